"""Art. 7(3): the named consents are withdrawn with a timestamp and the method, and data
whose only legal basis was that consent is erased (Art. 17(1)(b))."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from processing.models import Consent, ConsentMethod, ProcessingActivity
from requests_dsar.fulfilment.common import (
    TaskVerb,
    fulfilment_record,
    recipient_tasks_create,
    subject_ids,
)
from requests_dsar.models import DsarRequest
from subjects.models import DataSubject
from subjects.registry import registry
from subjects.services import Actor, audit_event_record, newsletter_stop

CONSENT = "a"


def consent_only_activities(keys: set[str]) -> set[str]:
    """Of these activities, those whose only legal basis is consent."""
    only = set()
    for activity in ProcessingActivity.objects.filter(key__in=keys).prefetch_related("legal_bases"):
        if {b.code for b in activity.legal_bases.all()} == {CONSENT}:
            only.add(activity.key)
    return only


@transaction.atomic
def consent_withdraw(*, actor: Actor, request: DsarRequest) -> dict[str, int]:
    """Withdraw the consents the request names and erase what rested only on them.
    Returns counts: consents withdrawn and rows erased per registry entry."""
    ids = subject_ids(request)
    keys = set(request.activities)
    now = timezone.now()
    withdrawn = Consent.objects.filter(
        subject_id__in=ids, activity__key__in=keys, withdrawn_at__isnull=True
    ).update(withdrawn_at=now, withdrawn_method=ConsentMethod.RIGHTS_REQUEST)
    counts: dict[str, int] = {"consents": withdrawn}
    only = consent_only_activities(keys)
    for entry in registry.subject_entries():
        if entry.activity in only and entry.model is not DataSubject:
            counts[entry.label] = entry.erase(entry.rows_for(ids))
    if "newsletter" in keys:
        for subject in DataSubject.objects.filter(pk__in=ids):
            counts["newsletter"] = newsletter_stop(
                actor=actor, subject=subject, note=request.reference
            )
    for subject in DataSubject.objects.filter(pk__in=ids):
        audit_event_record(
            actor=actor,
            action="consent.withdraw",
            subject=subject,
            note=f"request {request.reference}: {', '.join(sorted(keys))}",
        )
    recipient_tasks_create(request=request, activity_keys=keys, verb=TaskVerb.STOP_AND_ERASE)
    fulfilment_record(
        actor=actor,
        request=request,
        action="consent-withdrawn",
        note=", ".join(f"{k}: {v}" for k, v in counts.items()),
    )
    return counts
