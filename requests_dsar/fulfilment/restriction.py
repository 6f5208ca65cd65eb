"""Art. 18: the person and all their rows are marked restricted: kept, but left out of
the newsletter and of every export to recipients. Lifting requires that the person was
told first (Art. 18(3))."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from requests_dsar.fulfilment.common import (
    TaskVerb,
    activities_holding,
    fulfilment_record,
    recipient_tasks_create,
    staff_verification_require,
    subject_ids,
)
from requests_dsar.models import DsarRequest
from requests_dsar.services.events import request_event_record
from subjects.mailchimp_sync import SUBSCRIBE, mailchimp_sync
from subjects.models import DataSubject
from subjects.newsletter import audience_rows
from subjects.registry import ART18_GROUND, RestrictableModel, registry
from subjects.services import Actor, audit_event_record, data_subject_restrict


def rows_restrict(*, ids: list[int], ground: str) -> int:
    """Restrict every restrictable registry row of these subjects not yet restricted."""
    now = timezone.now()
    total = 0
    for entry in registry.subject_entries():
        if entry.model is DataSubject or not issubclass(entry.model, RestrictableModel):
            continue
        pks = list(
            entry.rows_for(ids).filter(restricted_at__isnull=True).values_list("pk", flat=True)
        )
        total += entry.model._default_manager.filter(pk__in=pks).update(
            restricted_at=now, restriction_ground=ground[:300]
        )
    return total


def _ground_prefix(request: DsarRequest) -> str:
    """The start of the ground this request restricts on: lifting it lifts only what
    this request restricted, not an Art. 18 restriction of another request, nor a
    legal hold."""
    return f"{ART18_GROUND} ({request.reference})"


@transaction.atomic
def restriction_apply(*, actor: Actor, request: DsarRequest, reason: str = "") -> int:
    """Restrict the request's subjects and all their rows; returns rows restricted."""
    staff_verification_require(request)
    ids = subject_ids(request)
    ground = f"{_ground_prefix(request)} {reason}".strip()[:300]
    for subject in DataSubject.objects.filter(pk__in=ids):
        data_subject_restrict(actor=actor, subject=subject, ground=ground)
    count = rows_restrict(ids=ids, ground=ground)
    recipient_tasks_create(
        request=request, activity_keys=activities_holding(ids), verb=TaskVerb.RESTRICT
    )
    fulfilment_record(actor=actor, request=request, action="restricted", params={"count": count})
    return count


@transaction.atomic
def restriction_lift(
    *, actor: Actor, request: DsarRequest, informed_on: object, informed_how: str
) -> int:
    """Lift this request's Art. 18 restriction, only after recording that the person was
    told (Art. 18(3)), on a day not in the future. Rows restricted under a legal hold or
    by another request stay restricted."""
    if not informed_on or not informed_how.strip():
        raise ValidationError(_("Record when and how the person was told before lifting."))
    if isinstance(informed_on, datetime.date) and informed_on > timezone.localdate():
        raise ValidationError(_("The day the person was told cannot be in the future."))
    ids = subject_ids(request)
    ground = _ground_prefix(request)
    lifted = 0
    for entry in registry.subject_entries():
        if not issubclass(entry.model, RestrictableModel):
            continue
        pks = list(
            entry.rows_for(ids)
            .filter(restriction_ground__startswith=ground)
            .values_list("pk", flat=True)
        )
        lifted += entry.model._default_manager.filter(pk__in=pks).update(
            restricted_at=None, restriction_ground=""
        )
    # Mailchimp archived the members when the restriction came: who may be mailed again
    # is put back.
    for subscription in audience_rows():
        if subscription.subject_id in ids:
            mailchimp_sync(
                action=SUBSCRIBE, email=subscription.email, first_name=subscription.first_name
            )
    told_on = (
        informed_on.isoformat() if isinstance(informed_on, datetime.date) else str(informed_on)
    )
    for subject in DataSubject.objects.filter(pk__in=ids):
        audit_event_record(
            actor=actor,
            action="subject.restriction-lift",
            subject=subject,
            params={"reference": request.reference, "told_on": told_on},
            note=informed_how.strip(),
        )
    request_event_record(
        request=request,
        actor=actor,
        action="restriction-lifted",
        params={"told_on": told_on},
        note=informed_how.strip(),
    )
    return lifted
