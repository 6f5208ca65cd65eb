"""Art. 18: the person and all their rows are marked restricted: kept, but left out of
the newsletter and of every export to recipients. Each restriction records the point of
Art. 18(1) it rests on (``Art18Ground``): under (b) and (c) the person needs the data kept,
so no retention rule removes them until the restriction is lifted; under (a) and (d) use
is paused while something is checked, and retention limits still apply. Lifting requires
that the person was told first (Art. 18(3))."""

from __future__ import annotations

import datetime
from functools import reduce
from operator import or_

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
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
from subjects.registry import (
    Art18Ground,
    RestrictableModel,
    art18_ground_prefix,
    art18_request_prefixes,
    registry,
)
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


def _restricted_by(request: DsarRequest) -> Q:
    """Rows restricted by this request, on whichever point of Art. 18(1), or on none
    recorded: lifting it lifts only these, not an Art. 18 restriction of another request,
    nor a legal hold."""
    return reduce(
        or_,
        (Q(restriction_ground__startswith=p) for p in art18_request_prefixes(request.reference)),
    )


def _ground_require(ground: str) -> None:
    if ground not in Art18Ground.values:
        raise ValidationError(
            _("Choose the ground of the restriction (Art. 18(1)). Nothing was restricted.")
        )


@transaction.atomic
def restriction_apply(*, actor: Actor, request: DsarRequest, ground: str, reason: str = "") -> int:
    """Restrict the request's subjects and all their rows on the point of Art. 18(1) staff
    confirmed (``ground``, "a" to "d"); returns rows restricted. The rows' ground names
    that point and the request, so retention recognises a restriction that keeps data
    (b, c) and lifting finds what this request restricted."""
    _ground_require(ground)
    staff_verification_require(request)
    ids = subject_ids(request)
    request.restriction_ground = ground
    request.save(update_fields=["restriction_ground"])
    text = f"{art18_ground_prefix(ground, request.reference)} {reason}".strip()[:300]
    for subject in DataSubject.objects.filter(pk__in=ids):
        data_subject_restrict(actor=actor, subject=subject, ground=text)
    count = rows_restrict(ids=ids, ground=text)
    recipient_tasks_create(
        request=request, activity_keys=activities_holding(ids), verb=TaskVerb.RESTRICT
    )
    fulfilment_record(actor=actor, request=request, action="restricted", params={"count": count})
    return count


def restricted_rows_count(request: DsarRequest) -> int:
    """How many rows (the data subjects included) this request's restriction holds now: 0
    before it is applied and after it is lifted. One query per registry entry."""
    ids = subject_ids(request)
    if not ids:
        return 0
    return sum(
        entry.rows_for(ids).filter(_restricted_by(request)).count()
        for entry in registry.subject_entries()
        if issubclass(entry.model, RestrictableModel)
    )


@transaction.atomic
def restriction_ground_set(*, actor: Actor, request: DsarRequest, ground: str) -> int:
    """Record (or correct) the point of Art. 18(1) a restriction in force rests on: a
    restriction made before the point was recorded is kept past every retention limit
    until staff record it. Rewrites the ground of every row this request restricted,
    keeping the reason written after it; returns the rows rewritten."""
    _ground_require(ground)
    ids = subject_ids(request)
    prefixes = art18_request_prefixes(request.reference)
    new_prefix = art18_ground_prefix(ground, request.reference)
    changed = 0
    for entry in registry.subject_entries():
        if not issubclass(entry.model, RestrictableModel):
            continue
        rows = entry.rows_for(ids).filter(_restricted_by(request))
        for old in set(rows.values_list("restriction_ground", flat=True)):
            start = next(p for p in prefixes if old.startswith(p))
            changed += entry.model._default_manager.filter(
                pk__in=list(rows.values_list("pk", flat=True)), restriction_ground=old
            ).update(restriction_ground=(new_prefix + old[len(start) :])[:300])
    if not changed:
        raise ValidationError(
            _(
                "This request restricts nothing at the moment: restrict first, then record "
                "the ground."
            )
        )
    request.restriction_ground = ground
    request.save(update_fields=["restriction_ground"])
    for subject in DataSubject.objects.filter(pk__in=ids):
        audit_event_record(
            actor=actor,
            action="subject.restriction-ground",
            subject=subject,
            params={"reference": request.reference, "point": ground},
        )
    request_event_record(
        request=request, actor=actor, action="restriction-ground-set", params={"point": ground}
    )
    return changed


@transaction.atomic
def restriction_lift(
    *, actor: Actor, request: DsarRequest, informed_on: object, informed_how: str
) -> int:
    """Lift this request's Art. 18 restriction, only after recording that the person was
    told (Art. 18(3)), on a day not in the future. Rows restricted under a legal hold or
    by another request stay restricted. Rows a (b) or (c) restriction kept past their
    retention limit are no longer kept: their rule removes them at its next run (the
    request page shows staff which, so the person can be told that too)."""
    if not informed_on or not informed_how.strip():
        raise ValidationError(_("Record when and how the person was told before lifting."))
    if isinstance(informed_on, datetime.date) and informed_on > timezone.localdate():
        raise ValidationError(_("The day the person was told cannot be in the future."))
    ids = subject_ids(request)
    lifted = 0
    for entry in registry.subject_entries():
        if not issubclass(entry.model, RestrictableModel):
            continue
        pks = list(entry.rows_for(ids).filter(_restricted_by(request)).values_list("pk", flat=True))
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
