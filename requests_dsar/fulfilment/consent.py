"""Art. 7(3): the named consents are withdrawn with a timestamp and the method, and data
whose only legal basis was that consent is erased (Art. 17(1)(b)): whole activities that
rest on consent alone, and the consent-only fields and rows of activities that otherwise
rest on a contract (``consent_only_fields``, ``consent_only_rows``: read from the models'
``consent_needs``, the declaration that also refuses such data without a consent). The
self-service and staff paths withdraw through ``subjects.consents.consent_withdraw``,
which reads the same declaration. Legal holds keep rows, restricted, as in an erasure,
and an erasure record proves what was erased and what was kept, on which ground."""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any

from django.db import transaction
from django.utils import timezone

from processing.models import PURPOSE_ACTIVITY, Consent, ConsentMethod, ProcessingActivity
from requests_dsar.fulfilment.common import (
    fulfilment_record,
    recipient_tasks_create_asking,
    staff_verification_require,
    subject_ids,
)
from requests_dsar.fulfilment.erasure import (
    MARKETING_ACTIVITY,
    activities_stop_and_erase,
    erasure_not_yet_recorded,
    plan_entry,
    plan_line,
    restrict_kept,
    specific_hold,
)
from requests_dsar.models import DsarRequest
from subjects.consent_guard import ConsentNeed, Withdrawal
from subjects.consents import consent_needs_for, consent_recipients
from subjects.registry import RegistryEntry, registry
from subjects.services import Actor
from subjects.trail import trail_lines

CONSENT = "a"


def consent_only_fields() -> dict[str, dict[str, dict[str, Any]]]:
    """Activities that rest on a contract but process some fields only with (explicit)
    consent: activity key -> registry label -> field -> the value it gets on withdrawal.
    Read from the models' own ``consent_needs`` (``subjects.consent_guard``), the same
    declaration that refuses the data without a consent."""
    fields: dict[str, dict[str, dict[str, Any]]] = {}
    for purpose, activity in PURPOSE_ACTIVITY.items():
        for model, need in consent_needs_for(purpose):
            if need.withdrawal == Withdrawal.BLANK:
                per_label = fields.setdefault(activity, {}).setdefault(model._meta.label, {})
                per_label.update(need.blank_values(model))
    return fields


def consent_only_rows() -> dict[str, list[tuple[str, ConsentNeed]]]:
    """Rows (not fields) that exist only with a consent inside an activity that otherwise
    rests on a contract (a coaching note with health information): activity key ->
    [(registry label, need)]. Withdrawal deletes them."""
    rows: dict[str, list[tuple[str, ConsentNeed]]] = {}
    for purpose, activity in PURPOSE_ACTIVITY.items():
        for model, need in consent_needs_for(purpose):
            if need.withdrawal == Withdrawal.DELETE and need.fields:
                rows.setdefault(activity, []).append((model._meta.label, need))
    return rows


def consent_only_activities(keys: set[str]) -> set[str]:
    """Of these activities, those whose only legal basis is consent."""
    only = set()
    for activity in ProcessingActivity.objects.filter(key__in=keys).prefetch_related("legal_bases"):
        if {b.code for b in activity.legal_bases.all()} == {CONSENT}:
            only.add(activity.key)
    return only


def consent_plans(
    ids: list[int], keys: set[str], today: datetime.date, specific_until: datetime.date | None
) -> list[tuple[RegistryEntry, dict[str, Any], dict[str, Any] | None]]:
    """What withdrawing the consents for ``keys`` does to the activities that rest on
    them only in part, changing nothing: per kind of data (entry) its plan, with the
    values the consent-only fields get (``consent_only_fields``) or None when the plan
    deletes the consent-only rows (``consent_only_rows``, narrowed to the rows holding
    such data). Activities resting on consent alone are planned whole (``activity_plans``)."""
    plans: list[tuple[RegistryEntry, dict[str, Any], dict[str, Any] | None]] = []
    fields_by_activity = consent_only_fields()
    rows_by_activity = consent_only_rows()
    for key in sorted(keys - consent_only_activities(keys)):
        for label, blanks in fields_by_activity.get(key, {}).items():
            entry = registry.get_by_label(label)
            plans.append((entry, plan_entry(entry, ids, today, specific_until), blanks))
        for label, need in rows_by_activity.get(key, []):
            entry = registry.get_by_label(label)
            plan = plan_entry(entry, ids, today, specific_until)
            holding = entry.model._default_manager.filter(need.holding(entry.model))
            plan["erase"] = list(holding.filter(pk__in=plan["erase"]).values_list("pk", flat=True))
            held = set(holding.filter(pk__in=list(plan["keep"])).values_list("pk", flat=True))
            plan["keep"] = {pk: until for pk, until in plan["keep"].items() if pk in held}
            plan["unlink"] = []
            plans.append((entry, plan, None))
    return plans


@transaction.atomic
def consent_withdraw(*, actor: Actor, request: DsarRequest) -> dict[str, int]:
    """Withdraw the consents the request names and erase what rested only on them; a
    withdrawn newsletter consent stops the newsletter (its data go six weeks later).
    Returns counts, summed over the request's subjects: consents withdrawn, rows erased
    per registry entry, newsletter subscriptions stopped."""
    staff_verification_require(request)
    erasure_not_yet_recorded(request)
    ids = subject_ids(request)
    keys = set(request.activities)
    now = timezone.now()
    withdrawn = Consent.objects.filter(
        subject_id__in=ids, activity__key__in=keys, withdrawn_at__isnull=True
    ).update(
        withdrawn_at=now,
        withdrawn_method=ConsentMethod.RIGHTS_REQUEST,
        withdrawn_via=request.reference,
        withdrawn_by=actor if actor is not None and actor.is_authenticated else None,
    )
    counts: Counter[str] = Counter({"consents": withdrawn})
    today = timezone.localdate()
    specific_until, specific_key = specific_hold(ids, today)
    only = consent_only_activities(keys)
    # Recipients holding a copy of data declared as resting on these consents are asked
    # exactly what the withdrawal means there, as on the consent page; read before the
    # data goes. The other activities' recipients are told generally.
    purposes = {p for p, activity in PURPOSE_ACTIVITY.items() if activity in keys}
    declared = {
        activity
        for purpose, activity in PURPOSE_ACTIVITY.items()
        if activity in keys and consent_needs_for(purpose)
    }
    asked = consent_recipients(subject_ids=ids, purposes=purposes)
    field_lines = []
    for entry, plan, blanks in consent_plans(ids, keys, today, specific_until):
        label = entry.label
        manager = entry.model._default_manager
        if blanks is not None:
            blanked = manager.filter(pk__in=plan["erase"]).update(**blanks)
            restrict_kept(entry, plan["keep"], specific_key or entry.legal_hold or "")
            plan.update(changed=blanked, unlinked=0)
            if line := plan_line(plan, specific_key, action="fields"):
                field_lines.append({**line, "fields": list(blanks)})
            counts[f"{label} ({', '.join(blanks)})"] += blanked
            if plan["keep"]:
                counts[f"{label} kept (legal hold)"] += len(plan["keep"])
        else:
            manager.filter(pk__in=plan["erase"]).delete()
            restrict_kept(entry, plan["keep"], specific_key or entry.legal_hold or "")
            if line := plan_line(plan, specific_key, action="delete"):
                field_lines.append(line)
                counts[label] += line["erased"]
    done = activities_stop_and_erase(
        actor=actor,
        request=request,
        ids=ids,
        keys=keys,
        erase_keys=only,
        audit_action="consent.withdraw",
        extra_lines=field_lines,
        task_keys=keys - declared,
    )
    recipient_tasks_create_asking(request=request, recipients=asked)
    for plan in done.plans:
        counts[plan["entry"].label] += plan["changed"] + plan["unlinked"]
        if plan["keep"]:
            counts[f"{plan['entry'].label} kept (legal hold)"] += len(plan["keep"])
    if MARKETING_ACTIVITY in keys:
        counts["newsletter"] += done.stopped
    fulfilment_record(
        actor=actor,
        request=request,
        action="consent-withdrawn",
        params={"consents": withdrawn, "lines": trail_lines(done.lines)},
    )
    return dict(counts)
