"""Art. 7(3): the named consents are withdrawn with a timestamp and the method, and data
whose only legal basis was that consent is erased (Art. 17(1)(b)): whole activities that
rest on consent alone, and the consent-only fields of activities that otherwise rest on a
contract (``CONSENT_ONLY_FIELDS``). Legal holds keep rows, restricted, as in an erasure,
and an erasure record proves what was erased and what was kept, on which ground."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from processing.models import Consent, ConsentMethod, ProcessingActivity
from requests_dsar.fulfilment.common import (
    TaskVerb,
    fulfilment_record,
    recipient_tasks_create,
    staff_verification_require,
    subject_ids,
)
from requests_dsar.fulfilment.erasure import (
    erasure_not_yet_recorded,
    erasure_record_create,
    plan_entry,
    plan_line,
    plan_lines,
    plans_carry_out,
    restrict_kept,
    specific_hold,
)
from requests_dsar.models import DsarRequest
from subjects.models import DataSubject
from subjects.registry import registry
from subjects.services import Actor, audit_event_record, newsletter_stop

CONSENT = "a"

# Activities that rest on a contract, but process some fields only with (explicit)
# consent, as the register's basis note says: withdrawing the consent blanks those
# fields (activity key -> registry label -> field -> the value it gets).
CONSENT_ONLY_FIELDS: dict[str, dict[str, dict[str, Any]]] = {
    # Allergies are health data, processed only with explicit consent (Art. 9(2)(a)).
    "traineeship-participants": {"subjects.TraineeProfile": {"allergies": ""}},
    "coaching-monitor": {
        "subjects.CoachingMonitorParticipation": {
            "initials": "",
            "gender": "",
            "age": None,
            "highest_education": "",
            "marital_status": "",
        }
    },
    # Visible to colleagues by default only with explicit consent.
    "e2grow": {"subjects.E2GrowAccount": {"profile_visible_to_colleagues": False}},
}


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
    staff_verification_require(request)
    erasure_not_yet_recorded(request)
    ids = subject_ids(request)
    keys = set(request.activities)
    now = timezone.now()
    withdrawn = Consent.objects.filter(
        subject_id__in=ids, activity__key__in=keys, withdrawn_at__isnull=True
    ).update(withdrawn_at=now, withdrawn_method=ConsentMethod.RIGHTS_REQUEST)
    counts: dict[str, int] = {"consents": withdrawn}
    today = timezone.localdate()
    specific_until, specific_key = specific_hold(ids, today)
    only = consent_only_activities(keys)
    plans = [
        plan_entry(entry, ids, today, specific_until)
        for entry in registry.subject_entries()
        if entry.activity in only and entry.model is not DataSubject
    ]
    plans_carry_out(plans, ids, specific_key)
    lines = plan_lines(plans, specific_key)
    for plan in plans:
        counts[plan["entry"].label] = plan["changed"] + plan["unlinked"]
        if plan["keep"]:
            counts[f"{plan['entry'].label} kept (legal hold)"] = len(plan["keep"])
    for key in sorted(keys - only):
        for label, blanks in CONSENT_ONLY_FIELDS.get(key, {}).items():
            entry = registry.get_by_label(label)
            plan = plan_entry(entry, ids, today, specific_until)
            blanked = entry.model._default_manager.filter(pk__in=plan["erase"]).update(**blanks)
            restrict_kept(entry, plan["keep"], specific_key or entry.legal_hold or "")
            plan.update(changed=blanked, unlinked=0)
            if line := plan_line(plan, specific_key, action="fields"):
                lines.append({**line, "fields": list(blanks)})
            counts[f"{label} ({', '.join(blanks)})"] = blanked
            if plan["keep"]:
                counts[f"{label} kept (legal hold)"] = len(plan["keep"])
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
    erasure_record_create(actor=actor, request=request, ids=ids, lines=lines)
    recipient_tasks_create(request=request, activity_keys=keys, verb=TaskVerb.STOP_AND_ERASE)
    fulfilment_record(
        actor=actor,
        request=request,
        action="consent-withdrawn",
        note=", ".join(f"{k}: {v}" for k, v in counts.items()),
    )
    return counts
