"""Art. 17: erase every row of the person by its registry entry's strategy, except what
a legal obligation keeps (Art. 17(3)(b)): such rows stay, restricted, until the hold ends.
An erasure record proves what was erased and kept, by whom and when, without the data.

An Art. 18 restriction the person asked for to keep their data (18(1)(b): rather than
erased; 18(1)(c): for a legal claim; or one whose point is not recorded) is not undone by
an erasure in passing: the erasure is refused, naming the restriction, until staff have
lifted it, having told the person (Art. 18(3)) and made sure they no longer need the data
kept. A temporary restriction (18(1)(a), (d)) does not stand in the way.

A request may also name only tool accounts (``ACCOUNT_TOOLS``): then only those accounts
go, and the person and everything else stay."""

from __future__ import annotations

import dataclasses
import datetime
from collections import Counter, deque
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Case, ProtectedError, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from requests_dsar.fulfilment.common import (
    TaskVerb,
    activities_holding,
    connector_addresses_note,
    fulfilment_record,
    recipient_tasks_create,
    staff_verification_require,
    subject_ids,
)
from requests_dsar.models import OPEN_STATUSES, DsarRequest, ErasureRecord
from retention.models import LegalHold
from retention.restricted import art18_restrictions_keeping_data_of
from subjects.models import AuditEvent, DataSubject, NewsletterSubscription
from subjects.registry import (
    LEGAL_HOLD_GROUND,
    ErasedRows,
    RegistryEntry,
    RestrictableModel,
    registry,
)
from subjects.services import (
    Actor,
    audit_event_record,
    marketing_objection_record,
    newsletter_stop,
)
from subjects.trail import trail_lines

# The privacy statement: "Ten aanzien van het gebruik van de Clifton Strengths en E2Grow
# kan een gebruikersaccount ieder moment worden verwijderd door jou als gebruiker." The
# processing activities whose rows (the tool accounts) can be erased on their own, with
# the tool's name as people know it (a brand: not translated).
ACCOUNT_TOOLS: dict[str, str] = {"clifton-strengths": "CliftonStrengths", "e2grow": "E2Grow"}
# The newsletter: direct marketing, stopped at once rather than erased through a plan (its
# data go six weeks later, by rule ``unsubscribe-6w``).
MARKETING_ACTIVITY = "newsletter"


def _as_date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def statutory_hold(entry: RegistryEntry) -> LegalHold | None:
    """The statutory hold (with the retention rule it lasts as long as) that keeps the
    entry's rows, if any."""
    if not entry.legal_hold:
        return None
    return (
        LegalHold.objects.select_related("retention_rule")
        .filter(key=entry.legal_hold, retention_rule__isnull=False)
        .first()
    )


def hold_until(hold: LegalHold, clock: Any) -> datetime.date:
    """Until when ``hold`` keeps a row whose clock started at ``clock`` (the hold lasts as
    long as its retention rule, counted from the entry's clock)."""
    start = _as_date(clock)
    if start is None:  # no clock yet (for instance no invoice date): keep, it is still running
        return datetime.date.max
    return _as_date(hold.retention_rule.expiry(start))


def _ground(hold_key: str, article: str, until: datetime.date) -> str:
    until_text = "open" if until == datetime.date.max else until.isoformat()
    return f"{LEGAL_HOLD_GROUND} AVG: {hold_key} ({article}) until {until_text}"[:300]


def _primary_path(entry: RegistryEntry) -> str:
    return entry.subject_paths[0]


def _unlinkable_paths(entry: RegistryEntry) -> list[str]:
    """Further subject paths that are nullable foreign keys on the row itself: a row that
    only mentions the person there (a trainee's mentor) is unlinked, not erased."""
    paths = []
    for path in entry.subject_paths[1:]:
        if "__" in path:
            continue
        field = entry.model._meta.get_field(path)
        if getattr(field, "null", False):
            paths.append(path)
    return paths


def plan_entry(
    entry: RegistryEntry, ids: list[int], today: datetime.date, specific_until: datetime.date | None
) -> dict[str, Any]:
    rows = entry.rows_for(ids)
    keep: dict[int, datetime.date] = {}
    if specific_until:
        keep = {pk: specific_until for pk in rows.values_list("pk", flat=True)}
    elif entry.clock and (hold := statutory_hold(entry)) is not None:
        for pk, clock in rows.values_list("pk", entry.clock):
            until = hold_until(hold, clock)
            if until >= today:
                keep[pk] = until
    primary = entry.model._default_manager.filter(
        **{f"{_primary_path(entry)}__in": ids}
    ).values_list("pk", flat=True)
    primary_pks = set(primary) if len(entry.subject_paths) > 1 else None
    all_pks = list(rows.values_list("pk", flat=True))
    erase = [pk for pk in all_pks if pk not in keep and (primary_pks is None or pk in primary_pks)]
    unlink = [
        pk for pk in all_pks if pk not in keep and primary_pks is not None and pk not in primary_pks
    ]
    return {"entry": entry, "keep": keep, "erase": erase, "unlink": unlink}


def restrict_kept(entry: RegistryEntry, keep: dict[int, datetime.date], hold_key: str) -> None:
    if not keep or not issubclass(entry.model, RestrictableModel):
        return
    now = timezone.now()
    article = (
        LegalHold.objects.filter(key=hold_key).values_list("article", flat=True).first() or hold_key
    )
    by_until: dict[datetime.date, list[int]] = {}
    for pk, until in keep.items():
        by_until.setdefault(until, []).append(pk)
    # One UPDATE whatever the number of rows (and of end dates): each row gets the ground
    # naming its own end date.
    grounds = Case(
        *(
            When(pk__in=pks, then=Value(_ground(hold_key, article, until)))
            for until, pks in by_until.items()
        ),
        output_field=models.CharField(),
    )
    entry.model._default_manager.filter(pk__in=list(keep)).update(
        restricted_at=now, restriction_ground=grounds
    )


def specific_hold(ids: list[int], today: datetime.date) -> tuple[datetime.date | None, str]:
    """A legal hold on the subjects themselves (a dispute, an investigation) keeps all
    their rows: until when, and its key."""
    specific = list(LegalHold.objects.in_force(today).filter(subject_id__in=ids))
    until = max((h.held_until for h in specific), default=None)
    return until, next((h.key for h in specific), "")


def plans_carry_out(plans: list[dict[str, Any]], ids: list[int], specific_key: str) -> None:
    """Erase and unlink what each plan may, and restrict what a hold keeps. An entry
    whose rows are still protected by another entry's rows waits until those are gone.
    Sets ``changed`` and ``unlinked`` on each plan, and ``deleted_by_strategy``: the rows
    an entry with its own erasure deleted rather than made anonymous."""
    queue = deque(plans)
    stalled = 0
    while queue:
        plan = queue.popleft()
        entry: RegistryEntry = plan["entry"]
        manager = entry.model._default_manager
        try:
            with transaction.atomic():
                erased = (
                    entry.erase_counted(manager.filter(pk__in=plan["erase"]))
                    if plan["erase"]
                    else ErasedRows()
                )
                plan["changed"] = erased.total
                plan["deleted_by_strategy"] = erased.deleted if entry.has_own_erasure else 0
                plan["unlinked"] = sum(
                    manager.filter(pk__in=plan["unlink"], **{f"{path}__in": ids}).update(
                        **{path: None}
                    )
                    for path in _unlinkable_paths(entry)
                )
        except ProtectedError:
            # Another entry's rows still point here; erase those first, then retry.
            stalled += 1
            if stalled > len(queue) + 1:
                raise
            queue.append(plan)
            continue
        stalled = 0
        restrict_kept(entry, plan["keep"], specific_key or entry.legal_hold or "")


def erasure_not_yet_recorded(request: DsarRequest) -> None:
    """Refuse to erase twice for one request: its erasure record is already the proof."""
    if ErasureRecord.objects.filter(request=request).exists():
        raise ValidationError(_("This erasure has already been carried out."))


def art34_pending_notices_refuse(ids: list[int]) -> None:
    """Refuse to erase a person who may still have to be told about an open breach
    (Art. 34): the erasure would remove the address the notice goes to, and the duty to
    tell them comes first (Art. 17(3)(b)). Once they are told, or the breach is assessed
    as not needing it, the erasure goes ahead."""
    from processing.breaches.selectors import notices_pending_for

    breaches = notices_pending_for(ids)
    if not breaches:
        return
    raise ValidationError(
        _(
            "The person is affected by a personal-data breach and may still have to be "
            "told about it (Art. 34 GDPR): %(breaches)s. Erasing them now would remove the "
            "address the notice goes to. Tell them first (or record on the breach why that "
            "is not needed); then erase. Nothing was erased."
        )
        % {"breaches": ", ".join(b.reference for b in breaches)}
    )


def art18_keeping_restrictions_refuse(ids: list[int], *, activities: set[str] | None) -> None:
    """Refuse to erase what an Art. 18 restriction keeps for the person (of the
    ``activities`` only, when given): they asked us to keep it (18(1)(b), (c)), or the
    point of the restriction is not recorded. Lifting it first (after telling the person,
    Art. 18(3)) is a deliberate step; then the erasure goes ahead."""
    restrictions = art18_restrictions_keeping_data_of(ids, activities=activities)
    if not restrictions:
        return
    named = [
        _("%(ground)s (request %(reference)s)")
        % {
            "ground": r["label"],
            "reference": r["reference"] or _("none recorded"),
        }
        for r in restrictions
    ]
    raise ValidationError(
        _(
            "The person asked us to keep these data: their processing is restricted under "
            "%(restrictions)s. Lift that restriction first, once you have told the person "
            "and made sure they no longer need the data kept (Art. 18(3)); then erase. "
            "Nothing was erased."
        )
        % {"restrictions": "; ".join(named)}
    )


def erasure_record_create(
    *, actor: Actor, request: DsarRequest, ids: list[int], lines: list[dict[str, Any]], **extra: Any
) -> ErasureRecord:
    lines.sort(key=lambda line: line["model"])
    return ErasureRecord.objects.create(
        request=request,
        performed_by=actor if actor and actor.is_authenticated else None,
        subject_references=[str(pk) for pk in ids],
        lines=lines,
        **extra,
    )


def erasure_check(request: DsarRequest) -> list[int]:
    """Refuse an erasure that may not run (``ValidationError``, nothing changed): a
    required staff identity check missing, already carried out, accounts named that
    cannot be erased on their own, or no data subject linked. Returns the subjects."""
    staff_verification_require(request)
    erasure_not_yet_recorded(request)
    unknown = set(request.activities) - set(ACCOUNT_TOOLS)
    if unknown:
        raise ValidationError(
            _(
                "Only these accounts can be erased on their own: %(tools)s. This request "
                "names %(unknown)s. Nothing was erased."
            )
            % {"tools": ", ".join(ACCOUNT_TOOLS.values()), "unknown": ", ".join(sorted(unknown))}
        )
    ids = subject_ids(request)
    if not ids:
        raise ValidationError(
            _(
                "No data subject is linked, so there is nothing to erase. If we hold no data "
                "about this person, record that instead: “Record that we hold no data about "
                "this person”."
            )
        )
    art18_keeping_restrictions_refuse(ids, activities=set(request.activities) or None)
    if not request.activities:  # erasing a tool account leaves the person and address
        art34_pending_notices_refuse(ids)
    return ids


def erasure_carry_out(*, actor: Actor, request: DsarRequest) -> ErasureRecord:
    """Erase what may be erased, keep and restrict what the law keeps, record it all.
    A request that names tool accounts (``request.activities``) erases only those."""
    ids = erasure_check(request)
    connector_addresses_note(request)
    if request.activities:
        return _accounts_erase(actor=actor, request=request, ids=ids)
    activities = activities_holding(ids)
    with transaction.atomic():
        plans, specific_until, specific_key = activity_plans(ids, None)
        plans_carry_out(plans, ids, specific_key)
        lines = plan_lines(plans, specific_key)
        # The person's earlier requests stay as proof (Art. 5(2)); what they wrote goes.
        # An open request of the person (another right, still being handled) keeps what
        # it needs to be carried out; it is reduced when it closes.
        blanked = (
            DsarRequest.objects.filter(subjects__in=ids)
            .exclude(pk=request.pk)
            .exclude(status__in=OPEN_STATUSES)
            .distinct()
            .values_list("pk", flat=True)
        )
        anonymised = DsarRequest.objects.filter(pk__in=list(blanked)).update(
            details="", portability_recipient_email=""
        )
        if anonymised:
            lines.append(
                {
                    "model": DsarRequest._meta.label,
                    "action": "blanked",
                    "fields": ["details", "portability_recipient_email"],
                    "erased": anonymised,
                    "unlinked": 0,
                    "kept": 0,
                    "ground": "",
                    "until": "",
                }
            )
        subjects_kept, subjects_blanked = _erase_subjects(ids, specific_until, specific_key)
        subject_until = _subject_until(lines, specific_until) if subjects_kept else ""
        lines.append(
            {
                "model": DataSubject._meta.label,
                "action": "delete",
                "erased": len(ids) - len(subjects_kept),
                "unlinked": 0,
                "kept": len(subjects_kept),
                "ground": ", ".join(sorted({ln["ground"] for ln in lines if ln["kept"]}))
                if subjects_kept
                else "",
                "until": subject_until,
                "until_dates": {subject_until: len(subjects_kept)} if subjects_kept else {},
                # The fields blanked on a person kept only for the held records.
                "blanked": list(kept_subject_blanks()) if subjects_blanked else [],
            }
        )
        record = erasure_record_create(
            actor=actor, request=request, ids=ids, lines=lines, subject_kept=bool(subjects_kept)
        )
        for pk in ids:
            kept = pk in subjects_kept
            audit_event_record(
                actor=actor,
                action="subject.erase",
                subject=DataSubject.objects.get(pk=pk) if kept else None,
                target=f"subjects.DataSubject #{pk}",
                params={"reference": request.reference, "kept": kept},
            )
        # Recipients of what was erased erase too; recipients of what the law keeps keep
        # it restricted (the financial administration must keep the invoices as well).
        erased_activities = activities_erased(plans) | (
            {"services"} if len(subjects_kept) < len(ids) else set()
        )
        recipient_tasks_create(
            request=request, activity_keys=erased_activities & activities, verb=TaskVerb.ERASE
        )
        recipient_tasks_create(
            request=request,
            activity_keys=activities - erased_activities,
            verb=TaskVerb.KEEP_RESTRICTED,
        )
        fulfilment_record(
            actor=actor,
            request=request,
            action="erasure-carried-out",
            params={"lines": trail_lines(lines)},
        )
    return record


def _accounts_erase(*, actor: Actor, request: DsarRequest, ids: list[int]) -> ErasureRecord:
    """Erase only the rows of the tool accounts the request names (the statement: an
    account can be deleted at any time). The data subject and all their other data stay.
    A legal hold on the person keeps the accounts too, restricted. Art. 19 tasks go only
    to the recipients of those tools (Gallup, E2Grow)."""
    keys = set(request.activities)
    with transaction.atomic():
        plans, lines = activity_plans_carry_out(ids, keys)
        record = erasure_record_create(actor=actor, request=request, ids=ids, lines=lines)
        for subject in DataSubject.objects.filter(pk__in=ids):
            audit_event_record(
                actor=actor,
                action="subject.erase-accounts",
                subject=subject,
                params={"reference": request.reference, "activities": sorted(keys)},
            )
        recipient_tasks_create(
            request=request, activity_keys=activities_erased(plans), verb=TaskVerb.ERASE
        )
        recipient_tasks_create(
            request=request,
            activity_keys=activities_kept_only(plans),
            verb=TaskVerb.KEEP_RESTRICTED,
        )
        fulfilment_record(
            actor=actor,
            request=request,
            action="erasure-carried-out",
            params={"activities": sorted(keys), "lines": trail_lines(lines)},
        )
    return record


def activity_plans(
    ids: list[int], keys: set[str] | None
) -> tuple[list[dict[str, Any]], datetime.date | None, str]:
    """What erasing the subjects' rows in the registry entries of the activities ``keys``
    (every activity when None; the data subject record itself aside) would do, changing
    nothing: the plans, and until when and by which key a legal hold on the subjects
    themselves keeps everything (``specific_hold``)."""
    today = timezone.localdate()
    specific_until, specific_key = specific_hold(ids, today)
    plans = [
        plan_entry(entry, ids, today, specific_until)
        for entry in registry.subject_entries()
        if (keys is None or entry.activity in keys) and entry.model is not DataSubject
    ]
    return plans, specific_until, specific_key


def activity_plans_carry_out(
    ids: list[int], keys: set[str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Erase the subjects' rows in the registry entries of the activities ``keys`` (the
    data subject record itself aside), each by its entry's strategy; a legal hold keeps
    rows, restricted. Returns the carried-out plans and their erasure-record lines."""
    plans, _until, specific_key = activity_plans(ids, keys)
    plans_carry_out(plans, ids, specific_key)
    return plans, plan_lines(plans, specific_key)


def activities_erased(plans: list[dict[str, Any]]) -> set[str]:
    """The activities some of whose rows the plans erased or unlinked."""
    return {p["entry"].activity for p in plans if p["erase"] or p["unlink"]}


def activities_kept_only(plans: list[dict[str, Any]]) -> set[str]:
    """The activities whose rows a legal hold kept, and of which nothing was erased: their
    recipients keep them restricted instead of erasing them."""
    return {p["entry"].activity for p in plans if p["keep"]} - activities_erased(plans)


def plan_lines(plans: list[dict[str, Any]], specific_key: str) -> list[dict[str, Any]]:
    """The erasure record's lines for carried-out plans: one per entry that changed, two
    when an entry with its own erasure deleted some rows and made others anonymous (a
    Coaching Monitor participation without research consent is deleted), so the record
    and the answer say "deleted" for the rows that are gone."""
    lines = []
    for plan in plans:
        line = plan_line(plan, specific_key)
        deleted = plan.get("deleted_by_strategy", 0)
        if line is None or not deleted:
            lines += [line] if line else []
            continue
        rest = {**line, "erased": line["erased"] - deleted}
        if rest["erased"] or rest["unlinked"] or rest["kept"]:
            lines.append(rest)
        lines.append(
            {
                **line,
                **{"action": "delete", "erased": deleted, "unlinked": 0, "kept": 0},
                **{"ground": "", "until": ""},
            }
        )
    return lines


def plan_line(
    plan: dict[str, Any], specific_key: str, action: str | None = None
) -> dict[str, Any] | None:
    """What happened to one entry; deletions are counted afterwards, so rows that went
    with a cascade from another entry are counted too. ``action`` overrides the entry's
    erasure strategy (``"fields"`` when only the fields a consent covered were blanked;
    the caller adds their names as ``"fields"``)."""
    entry: RegistryEntry = plan["entry"]
    action = action or entry.erasure.kind
    if action == "delete":
        remaining = entry.model._default_manager.filter(pk__in=plan["erase"]).count()
        erased = len(plan["erase"]) - remaining
    else:
        erased = plan.get("changed", 0)
    unlinked = plan.get("unlinked", 0)
    keep = plan["keep"]
    if not (erased or unlinked or keep):
        return None
    until = max(keep.values(), default=None)
    return {
        "model": entry.label,
        "action": action,
        "erased": erased,
        "unlinked": unlinked,
        "kept": len(keep),
        "ground": (specific_key or entry.legal_hold or "") if keep else "",
        "until": _iso(until),
        "until_dates": until_dates(keep.values()),
    }


def _iso(until: datetime.date | None) -> str:
    """A hold's end as an ISO date; "" when there is none yet (its clock has not
    started)."""
    return "" if until is None or until == datetime.date.max else until.isoformat()


def until_dates(ends: Iterable[datetime.date]) -> dict[str, int]:
    """How many kept rows each end date keeps, oldest first: each kept row is kept until
    its own end (two invoices of different years end in different years). "" counts the
    rows whose end is not known yet."""
    return dict(sorted(Counter(_iso(end) for end in ends).items(), key=lambda i: i[0] or "9"))


def _subject_until(lines: list[dict[str, Any]], specific_until: datetime.date | None) -> str:
    """Until when a kept person stays: as long as the last record that keeps them (a
    hold on the person themselves, or the held records that refer to them)."""
    if specific_until is not None:
        return _iso(specific_until)
    ends = [str(ln["until"]) for ln in lines if ln["kept"]]
    return "" if not ends or "" in ends else max(ends)


# What held records need of the person they refer to: enough to find those records again
# (for an access request, for the tax inspector). Every other field of the kept person
# is blanked.
SUBJECT_FIELDS_HELD_ROWS_NEED = ("first_name", "last_name", "email")


def kept_subject_blanks() -> dict[str, Any]:
    """The blank value of every registered DataSubject field the held rows do not need."""
    return registry.get(DataSubject).blank_values_except(SUBJECT_FIELDS_HELD_ROWS_NEED)


def _erase_subjects(
    ids: list[int], specific_until: datetime.date | None, specific_key: str
) -> tuple[set[int], set[int]]:
    """Delete each subject unless a kept row still references it (the foreign keys of
    held records protect it) or a specific hold keeps everything; kept subjects are
    restricted with a ground starting with "Art. 17(3)(b)" (a legal hold, not an Art. 18
    restriction). A subject kept only because held rows refer to it keeps just what those
    rows need (name and e-mail address): the rest of it is blanked. Returns the kept
    subjects and those of them that were blanked."""
    kept: set[int] = set()
    blanked: set[int] = set()
    now = timezone.now()
    for subject in DataSubject.objects.filter(pk__in=ids):
        blanks: dict[str, Any] = {}
        if specific_until is None:
            try:
                with transaction.atomic():
                    AuditEvent.objects.filter(subject=subject).update(subject=None)
                    subject.delete()
                continue
            except ProtectedError:
                blanks = kept_subject_blanks()
                blanked.add(subject.pk)
        kept.add(subject.pk)
        ground = (
            f"{LEGAL_HOLD_GROUND} AVG: {specific_key} until {specific_until.isoformat()}"
            if specific_until
            else f"{LEGAL_HOLD_GROUND} AVG: records under a legal hold still refer to this person"
        )
        DataSubject.objects.filter(pk=subject.pk).update(
            restricted_at=subject.restricted_at or now, restriction_ground=ground[:300], **blanks
        )
    return kept, blanked


@dataclasses.dataclass(frozen=True)
class ActivitiesStopped:
    """What ``activities_stop_and_erase`` did: the plans carried out, the erasure record's
    lines and the number of newsletter subscriptions stopped."""

    plans: list[dict[str, Any]]
    lines: list[dict[str, Any]]
    stopped: int
    record: ErasureRecord


def activities_stop_and_erase(
    *,
    actor: Actor,
    request: DsarRequest,
    ids: list[int],
    keys: set[str],
    erase_keys: set[str],
    audit_action: str,
    extra_lines: list[dict[str, Any]] | tuple[()] = (),
    suppress_marketing: bool = False,
    task_keys: set[str] | None = None,
) -> ActivitiesStopped:
    """The shared body of a consent withdrawal and an upheld objection: the rows of the
    ``erase_keys`` activities are erased through the erasure plan (a legal hold keeps
    rows, restricted, as in an erasure), a newsletter among ``keys`` is stopped with a
    "stop" line in the record (with ``suppress_marketing`` the person is also never used
    for marketing again, Art. 21(3)), each subject gets an audit event, an erasure record
    proves what was done (with ``extra_lines``), and the recipients of the activities (of
    ``task_keys``, when given) are asked to stop and erase, or to keep restricted what only
    a hold keeps (Art. 19)."""
    erasure_not_yet_recorded(request)
    plans, lines = activity_plans_carry_out(ids, erase_keys - {MARKETING_ACTIVITY})
    lines += extra_lines
    subjects = list(DataSubject.objects.filter(pk__in=ids))
    stopped = 0
    if MARKETING_ACTIVITY in keys:
        stop = marketing_objection_record if suppress_marketing else newsletter_stop
        for subject in subjects:
            stopped += stop(actor=actor, subject=subject, params={"reference": request.reference})
        if stopped:
            lines.append(
                {
                    "model": NewsletterSubscription._meta.label,
                    "action": "stop",
                    "erased": stopped,
                    "unlinked": 0,
                    "kept": 0,
                    "ground": "",
                    "until": "",
                }
            )
    for subject in subjects:
        audit_event_record(
            actor=actor,
            action=audit_action,
            subject=subject,
            params={"reference": request.reference, "activities": sorted(keys)},
        )
    record = erasure_record_create(actor=actor, request=request, ids=ids, lines=lines)
    kept_only = activities_kept_only(plans)
    if suppress_marketing and MARKETING_ACTIVITY in keys:
        recipient_tasks_create(
            request=request, activity_keys=[MARKETING_ACTIVITY], verb=TaskVerb.SUPPRESS
        )
    # ``task_keys``: the activities whose recipients are told generally (a consent
    # withdrawal tells the others exactly what it means there).
    told = keys if task_keys is None else task_keys
    recipient_tasks_create(
        request=request, activity_keys=told - kept_only, verb=TaskVerb.STOP_AND_ERASE
    )
    recipient_tasks_create(
        request=request, activity_keys=told & kept_only, verb=TaskVerb.KEEP_RESTRICTED
    )
    return ActivitiesStopped(plans=plans, lines=lines, stopped=stopped, record=record)
