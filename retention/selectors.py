"""Reads for the retention jobs: which rows a rule has run out on, which contact messages
are due for review, which data subjects are left without any purpose.

Every selector applies the same exceptions as the jobs, so the dry run and the admin say
exactly what a run would do: a specific legal hold on the data subject (Art. 17(3)(e)),
explicit consent to keep the data longer for an agreed purpose, an Art. 18 restriction
that keeps the data for the person (18(1)(b), (c): such rows wait in the review queue,
``retention.restricted``), and, for anonymisation, any other restriction of processing but
a temporary Art. 18 one (18(1)(a), (d)).
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Iterator
from functools import reduce
from operator import or_
from typing import Any

from django.apps import apps
from django.db import connection, models
from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from leafspring.built_sql import built_sql
from retention.clock import ClockCutoff, clock_cutoff, limit_passes_at
from retention.models import LegalHold, RetentionRule
from subjects.models import (
    AuditEvent,
    ContactMessage,
    DataSubject,
    SubjectRole,
    Trajectory,
    TrajectoryParticipant,
)
from subjects.registry import (
    ART18_ARTICLE,
    ART18_TEMPORARY_GROUNDS,
    LEGAL_HOLD_GROUND,
    RegistryEntry,
    RestrictableModel,
    art18_article,
    registry,
)

# Categories of data subjects that exist only through one record (a visit, a message, a
# brochure request, a subscription): once the record is gone the role has no meaning,
# so such a role does not keep the data subject.
ROLES_DEFINED_BY_THEIR_RECORD = (
    "website-visitor",
    "contact-requester",
    "brochure-requester",
    "newsletter-subscriber",
)
# Categories of data subjects that exist through their part in a trajectory (as
# participant or as mentor, ``TrajectoryParticipant``): such a role keeps the data
# subject only while that trajectory runs (see ``data_subjects_without_purpose``).
ROLES_DEFINED_BY_A_TRAJECTORY = ("trainee", "mentor")
# Categories of data subjects in a business relationship (a contract, a supplier
# agreement) that staff end: no record of ours says when it ended. Ended, the person is
# kept only by their records (invoices and business e-mail: 7 years, rule fiscal-7y).
ROLES_ENDED_BY_STAFF = (
    "client",
    "client-organisation-contact",
    "trainer-coach",
    "supplier-contact",
)
# Records that prove what was done (audit trail, consents, rights requests): they do not
# keep a data subject, they outlive it.
ADMINISTRATION_ACTIVITY = "privacy-administration"
# The rule of customer and supplier data, whose daily run judges ended relationships and
# the open ones shown on the retention page.
RELATIONSHIP_RULE = "fiscal-7y"


def clock_field(entry: RegistryEntry) -> models.Field[Any, Any]:
    """The model field at the end of the entry's clock path (across relations)."""
    model: type[models.Model] = entry.model
    field: Any = None
    assert entry.clock
    for name in entry.clock.split("__"):
        field = model._meta.get_field(name)
        if field.is_relation:
            model = field.related_model
    return field


def clock_is_date(entry: RegistryEntry) -> bool:
    return not isinstance(clock_field(entry), models.DateTimeField)


def _held_subjects(today: datetime.date) -> QuerySet[Any]:
    return LegalHold.objects.in_force(today).values("subject_id")


def _consent_kept_subjects(entry: RegistryEntry, today: datetime.date) -> QuerySet[Any]:
    from processing.models import Consent

    return Consent.objects.filter(
        activity__key=entry.activity, withdrawn_at__isnull=True, keep_until__gte=today
    ).values("subject_id")


def _has_field(model: type[models.Model], name: str) -> bool:
    return any(f.name == name for f in model._meta.get_fields())


def _not_yet_anonymised(entry: RegistryEntry) -> Q:
    if _has_field(entry.model, "anonymised_at"):
        return Q(anonymised_at__isnull=True)
    blanks = entry.anonymised_values()
    return reduce(or_, (~Q(**{attname: value}) for attname, value in blanks.items()))


def restriction_keeping_data(prefix: str = "") -> Q:
    """Rows (or, with ``prefix="subject__"``, data subjects) under an Art. 18 restriction
    that keeps the data for the person: on 18(1)(b) or (c), or on a point not recorded
    (an older restriction, kept to be safe until staff record it). The same test as
    ``subjects.registry.art18_keeps_data``, as a query."""
    ground = f"{prefix}restriction_ground"
    temporary = [Q(**{f"{ground}__startswith": art18_article(g)}) for g in ART18_TEMPORARY_GROUNDS]
    return (
        Q(**{f"{prefix}restricted_at__isnull": False})
        & (Q(**{ground: ""}) | Q(**{f"{ground}__startswith": ART18_ARTICLE}))
        & ~reduce(or_, temporary)
    )


def _restricted_not_temporarily(prefix: str = "") -> Q:
    """Restricted on any ground but a temporary Art. 18 one (18(1)(a), (d))."""
    ground = f"{prefix}restriction_ground"
    temporary = [Q(**{f"{ground}__startswith": art18_article(g)}) for g in ART18_TEMPORARY_GROUNDS]
    return Q(**{f"{prefix}restricted_at__isnull": False}) & ~reduce(or_, temporary)


def _rows_or_subjects(entry: RegistryEntry, condition: Callable[[str], Q]) -> Q | None:
    """Rows of the entry that meet ``condition`` themselves or through one of their data
    subjects; None when the entry can meet it neither way."""
    parts = []
    if issubclass(entry.model, RestrictableModel):
        parts.append(condition(""))
    for path in (*entry.subject_paths, *entry.kept_through):
        subjects = DataSubject.objects.filter(condition("")).values("pk")
        parts.append(Q(**{f"{path}__in": subjects}))
    return reduce(or_, parts) if parts else None


def kept_for_the_person(entry: RegistryEntry) -> Q | None:
    """Rows of the entry that an Art. 18 restriction keeps for the person, of the row or
    of its data subject (``restriction_keeping_data``); None when none can be."""
    return _rows_or_subjects(entry, restriction_keeping_data)


def candidate_rows(
    rule: RetentionRule, entry: RegistryEntry, *, today: datetime.date, held: bool = False
) -> QuerySet[Any]:
    """The entry's rows the rule may act on, before looking at the clock: without a
    specific legal hold or consent-extended retention for their data subject, not kept
    for the person by an Art. 18 restriction (18(1)(b), (c), or a point not recorded; of
    the row or of its data subject), and, when the rule anonymises, not restricted on
    another ground (a temporary 18(1)(a), (d) restriction aside) and not anonymised
    already. With ``held``: the rows the rule would act on but such an Art. 18
    restriction keeps (the review queue)."""
    qs = entry.model._default_manager.all()
    for path in entry.kept_through:
        qs = qs.exclude(**{f"{path}__in": _held_subjects(today)})
    for path in entry.subject_paths:
        qs = qs.exclude(**{f"{path}__in": _held_subjects(today)})
        qs = qs.exclude(**{f"{path}__in": _consent_kept_subjects(entry, today)})
    if rule.action == RetentionRule.Action.ANONYMISE:
        restricted = _rows_or_subjects(entry, _restricted_not_temporarily)
        if restricted is not None and not held:
            qs = qs.exclude(restricted)
        qs = qs.filter(_not_yet_anonymised(entry))
    kept = kept_for_the_person(entry)
    if held:
        return qs.filter(kept) if kept is not None else qs.none()
    return qs.exclude(kept) if kept is not None else qs


def _cutoff_filter(entry: RegistryEntry, cutoff: ClockCutoff) -> Q:
    lookup = "lt" if cutoff.strict else "lte"
    return Q(**{f"{entry.clock}__{lookup}": cutoff.sure})


def expired_rows(
    rule: RetentionRule, entry: RegistryEntry, *, horizon: datetime.datetime, held: bool = False
) -> tuple[QuerySet[Any], QuerySet[Any] | None]:
    """The entry's rows whose limit passes before ``horizon``: a queryset that has
    certainly run out, and a small one (a few days of clocks) to check row by row. With
    ``held``: those an Art. 18 restriction keeps for the person instead."""
    today = timezone.localdate()
    cutoff = clock_cutoff(rule, horizon=horizon, is_date=clock_is_date(entry))
    base = candidate_rows(rule, entry, today=today, held=held)
    sure = base.filter(_cutoff_filter(entry, cutoff))
    band = None
    if cutoff.band_end is not None:
        band = base.filter(
            **{f"{entry.clock}__gt": cutoff.sure, f"{entry.clock}__lte": cutoff.band_end}
        )
    return sure, band


def expired_pk_batches(
    rule: RetentionRule, entry: RegistryEntry, *, horizon: datetime.datetime, size: int
) -> Iterator[list[int]]:
    """Primary keys of the expired rows, ``size`` at a time, in key order.

    Keyset pagination (``pk > last``) reads one batch per query, so memory does not grow
    with the number of rows, and rows handled by an earlier batch are never read again."""
    sure, band = expired_rows(rule, entry, horizon=horizon)
    last = 0
    while True:
        batch = list(sure.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:size])
        if not batch:
            break
        yield batch
        last = batch[-1]
    if band is None:
        return
    due = [
        pk
        for pk, clock in band.order_by("pk").values_list("pk", entry.clock).iterator()
        if limit_passes_at(rule, clock) <= horizon
    ]
    for start in range(0, len(due), size):
        yield due[start : start + size]


def expired_summary(
    rule: RetentionRule, entry: RegistryEntry, *, horizon: datetime.datetime, held: bool = False
) -> tuple[int, Any]:
    """How many rows of the entry have run out, and the oldest clock among them (with
    ``held``: of those an Art. 18 restriction keeps for the person)."""
    sure, band = expired_rows(rule, entry, horizon=horizon, held=held)
    found = sure.aggregate(count=Count("pk"), oldest=Min(entry.clock))  # one query
    count, oldest = found["count"], found["oldest"]
    if band is not None:
        for clock in band.values_list(entry.clock, flat=True).iterator():
            if limit_passes_at(rule, clock) <= horizon:
                count += 1
                oldest = clock if oldest is None else min(oldest, clock)
    return count, oldest


def retention_rules_with_last_run() -> list[RetentionRule]:
    """The rules in key order, each with ``last_run`` (or None): two queries."""
    from retention.models import RetentionRun

    latest = RetentionRun.objects.filter(rule=OuterRef("pk")).order_by("-started_at", "-pk")
    rules = list(
        RetentionRule.objects.annotate(last_run_id=Subquery(latest.values("pk")[:1])).order_by(
            "key"
        )
    )
    runs = RetentionRun.objects.in_bulk([r.last_run_id for r in rules if r.last_run_id])
    for rule in rules:
        rule.last_run = runs.get(rule.last_run_id)  # type: ignore[attr-defined]
    return rules


def restriction_of_processing(prefix: str = "") -> Q:
    """Rows (or, with ``prefix="subject__"``, data subjects) restricted under Art. 18:
    any restriction but the one recording a legal obligation after an erasure."""
    return Q(**{f"{prefix}restricted_at__isnull": False}) & ~Q(
        **{f"{prefix}restriction_ground__startswith": LEGAL_HOLD_GROUND}
    )


def contact_messages_reviewable(
    rule: RetentionRule, *, today: datetime.date | None = None
) -> QuerySet[ContactMessage]:
    """Contact messages staff may decide to delete, due or not: the exceptions the
    automatic rules respect (``candidate_rows``: a specific legal hold on the data
    subject, consent to keep it longer), and no restriction of processing, neither of
    the message itself nor of its data subject (Art. 18: keep storing). Deleting a
    message is a judgement that it is no longer needed, never a limit the law sets, so
    a restriction always wins."""
    today = today or timezone.localdate()
    entry = registry.get(ContactMessage)
    return (
        candidate_rows(rule, entry, today=today)
        .filter(restricted_at__isnull=True)
        .exclude(restriction_of_processing("subject__"))
    )


def contact_messages_due_for_review(
    rule: RetentionRule, *, today: datetime.date | None = None
) -> QuerySet[ContactMessage]:
    """Reviewable contact messages (``contact_messages_reviewable``) whose review date
    has come: ``next_review_on`` on or before today, or, never reviewed, received
    ``review_every_days`` days ago or longer."""
    today = today or timezone.localdate()
    return (
        contact_messages_reviewable(rule, today=today)
        .filter(_review_date_has_come(rule, today))
        .order_by("received_at", "pk")
    )


def contact_messages_review_date_passed(
    rule: RetentionRule, *, today: datetime.date | None = None
) -> QuerySet[ContactMessage]:
    """Contact messages whose review date has come, held or restricted ones included
    (the staff views find a message here and let the service say why it stays)."""
    today = today or timezone.localdate()
    return ContactMessage.objects.filter(_review_date_has_come(rule, today)).order_by(
        "received_at", "pk"
    )


def _review_date_has_come(rule: RetentionRule, today: datetime.date) -> Q:
    kept, never_reviewed = _review_dates(rule, today)
    return kept | never_reviewed


def _review_dates(rule: RetentionRule, today: datetime.date) -> tuple[Q, Q]:
    """Messages whose review date has come, in two parts that never overlap: kept before
    and due again, and never reviewed and received long enough ago."""
    return _review_parts(today, _review_received_before(rule, today))


def _review_received_before(rule: RetentionRule, today: datetime.date) -> datetime.datetime:
    """A message never reviewed is due when it was received before this moment."""
    days = rule.review_every_days or rule.limit_value
    return timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=days - 1), datetime.time.min)
    )


def _review_parts(today: datetime.date, received_before: datetime.datetime) -> tuple[Q, Q]:
    return Q(next_review_on__lte=today), Q(
        next_review_on__isnull=True, received_at__lt=received_before
    )


def contact_messages_due_count(rule: RetentionRule, *, today: datetime.date | None = None) -> int:
    """How many contact messages are due for review (``contact_messages_due_for_review``):
    one count of two parts that never overlap, each found through an index on its date,
    so the number of messages held does not make it slower. Its SQL is built once per
    process and kind of rule (``leafspring.built_sql``)."""
    today = today or timezone.localdate()

    def due(*, today: datetime.date, received_before: datetime.datetime) -> QuerySet[Any]:
        reviewable = contact_messages_reviewable(rule, today=today).order_by().values("pk")
        kept, never_reviewed = _review_parts(today, received_before)
        return reviewable.filter(kept).union(reviewable.filter(never_reviewed), all=True)

    sql, params = built_sql(
        ("contact-messages-due", rule.pk, rule.action),
        due,
        {"today": today, "received_before": _review_received_before(rule, today)},
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}) due", params)
        return cursor.fetchone()[0]


def contact_message_delete_obstacle(
    message: ContactMessage, *, today: datetime.date | None = None
) -> tuple[str, Any] | None:
    """Why a contact message may not be deleted in the review, or None: ("hold", the
    specific legal hold on its data subject that lasts longest), ("consent", the latest
    ``keep_until`` of a consent to keep it longer), ("restricted", the restriction
    ground of the message or its data subject)."""
    from processing.models import Consent

    today = today or timezone.localdate()
    if message.subject_id is not None:
        hold = (
            LegalHold.objects.in_force(today)
            .filter(subject_id=message.subject_id)
            .order_by("-held_until")
            .first()
        )
        if hold is not None:
            return "hold", hold
    if message.restricted_at is not None:
        return "restricted", message.restriction_ground
    if message.subject_id is not None:
        subject = DataSubject.objects.filter(
            restriction_of_processing(), pk=message.subject_id
        ).first()
        if subject is not None:
            return "restricted", subject.restriction_ground
        entry = registry.get(ContactMessage)
        consent = (
            Consent.objects.filter(
                subject_id=message.subject_id,
                activity__key=entry.activity,
                withdrawn_at__isnull=True,
                keep_until__gte=today,
            )
            .order_by("-keep_until")
            .first()
        )
        if consent is not None:
            return "consent", consent.keep_until
    return None


def _open_request_subjects(subject_ids: set[int]) -> set[int]:
    """Data subjects with an open rights request (the request still needs their data)."""
    try:
        request_model = apps.get_model("requests_dsar", "DsarRequest")
    except LookupError:
        return set()
    from requests_dsar.models import OPEN_STATUSES

    return set(
        request_model._default_manager.filter(
            status__in=OPEN_STATUSES, subjects__in=subject_ids
        ).values_list("subjects", flat=True)
    )


def running_trajectory(today: datetime.date, prefix: str = "") -> Q:
    """Trajectories (or, with a prefix such as ``"trajectory__"``, rows of one) that have
    not ended: no end date yet, or one after today. On its end date a trajectory has
    ended, as rule coaching-end has it."""
    return Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gt": today})


def _people_among(among: set[int] | None) -> QuerySet[DataSubject]:
    """Every data subject, or those of ``among`` (ids)."""
    return DataSubject.objects.all() if among is None else DataSubject.objects.filter(pk__in=among)


def trajectory_people_after_the_end(
    today: datetime.date, among: set[int] | None = None
) -> set[int]:
    """Data subjects whose purpose may have ended with a trajectory, for the subject
    cleanup to judge: participants and mentors of ended trajectories, and holders of a
    trainee or mentor role (whose participation may be gone already), except those who
    take part in or mentor a running trajectory. People a record still keeps
    (``kept_by_records``) are left out in the same query: whatever else the judgement
    finds, they stay, so an idle run reads no list of them. With ``among`` (ids, from
    ``people_changed_since``): only those of them."""
    ended = TrajectoryParticipant.objects.exclude(running_trajectory(today, "trajectory__"))
    running = TrajectoryParticipant.objects.filter(running_trajectory(today, "trajectory__"))
    roles = SubjectRole.objects.filter(category__key__in=ROLES_DEFINED_BY_A_TRAJECTORY)
    candidates = (
        Exists(ended.filter(participant_id=OuterRef("pk")))
        | Exists(ended.filter(mentor_id=OuterRef("pk")))
        | Exists(roles.filter(subject_id=OuterRef("pk")))
    )
    return set(
        _people_among(among)
        .filter(candidates)
        .exclude(Exists(running.filter(participant_id=OuterRef("pk"))))
        .exclude(Exists(running.filter(mentor_id=OuterRef("pk"))))
        .exclude(kept_by_records(today))
        .order_by()
        .values_list("pk", flat=True)
    )


def kept_by_records(today: datetime.date) -> Q:
    """Data subjects a row of a registry entry keeps (the last step of
    ``_data_subjects_without_a_purpose``, as one condition the database answers through
    the foreign-key indexes): the candidate lists of the daily passes leave them out
    before judging, so an idle run costs one query, not a list of every person ever
    kept. It only ever leaves people out who would be kept anyway; the judgement itself
    still decides from the source data."""
    parts = []
    for entry in registry.subject_entries():
        if entry.model in (DataSubject, SubjectRole) or entry.activity == ADMINISTRATION_ACTIVITY:
            continue
        rows = entry.model._default_manager.all()
        if entry.model is TrajectoryParticipant:
            rows = rows.filter(running_trajectory(today, "trajectory__"))
        for path in entry.subject_paths:
            parts.append(Q(Exists(rows.filter(**{path: OuterRef("pk")}))))
    return reduce(or_, parts)


def _data_subjects_without_a_purpose(
    subject_ids: set[int], ignore_roles: tuple[str, ...] = ()
) -> set[int]:
    """Those of ``subject_ids`` kept by nothing (``data_subjects_without_purpose`` lists
    what keeps a person), leaving the roles of ``ignore_roles`` out of account."""
    if not subject_ids:
        return set()
    today = timezone.localdate()
    remaining = set(
        DataSubject.objects.filter(pk__in=subject_ids)
        .exclude(restriction_of_processing())
        .values_list("pk", flat=True)
    )
    remaining -= set(
        LegalHold.objects.in_force(today)
        .filter(subject__in=remaining)
        .values_list("subject_id", flat=True)
    )
    remaining -= set(
        SubjectRole.objects.filter(subject__in=remaining)
        .active_on(today)
        .exclude(category__key__in=ROLES_DEFINED_BY_THEIR_RECORD)
        .exclude(category__key__in=ROLES_DEFINED_BY_A_TRAJECTORY)
        .exclude(category__key__in=ignore_roles)
        .values_list("subject_id", flat=True)
    )
    remaining -= _open_request_subjects(remaining)
    for entry in registry.subject_entries():
        if not remaining:
            break
        if entry.model in (DataSubject, SubjectRole) or entry.activity == ADMINISTRATION_ACTIVITY:
            continue
        rows = entry.model._default_manager.all()
        if entry.model is TrajectoryParticipant:
            rows = rows.filter(running_trajectory(today, "trajectory__"))
        for path in entry.subject_paths:
            remaining -= set(rows.filter(**{f"{path}__in": remaining}).values_list(path, flat=True))
    return remaining


def data_subjects_without_purpose(subject_ids: set[int]) -> set[int]:
    """Those of ``subject_ids`` we have no reason left to hold. A data subject is kept by
    any of:

    - a row in a registry entry (the audit trail, consents and rights requests aside:
      they prove what was done and outlive the person); a participation
      (``TrajectoryParticipant``, as participant or as mentor) only while its
      trajectory runs (``running_trajectory``: no end date, or one after today), since
      the statement keeps trainee and mentor data until the end of the trajectory;
    - an active role (no end date, or one today or later), except a role that only
      existed through a record (website visitor, contact or brochure requester,
      newsletter subscriber) and a trainee or mentor role: those count only through
      their record, so a trainee or mentor is kept only while they take part in or
      mentor a running trajectory. A role whose end date has passed never counts;
    - an open rights request, or a specific legal hold;
    - a restriction of processing (Art. 18 says: keep storing; a restriction only
      recording that a legal obligation kept some rows after an erasure request,
      Art. 17(3)(b), does not count: once those rows are gone, so is the person).

    An objection to direct marketing keeps no one: it outlives the person as a keyed
    hash of the address on the suppression list (``subjects.suppression``), which is all
    that Art. 21(3) needs.

    Deleting such a person cascades to their participations in ended trajectories (as
    mentor they are unlinked)."""
    return _data_subjects_without_a_purpose(subject_ids)


def marketing_objectors(among: set[int] | None = None) -> QuerySet[Any]:
    """Everyone who objected to direct marketing and is still held, but for no record
    (``kept_by_records``): the candidates of the daily pass that deletes those held for
    nothing else (``retention.services.marketing_objectors_release``). With ``among`` (ids,
    from ``people_changed_since``): only those of them."""
    return (
        _people_among(among)
        .filter(marketing_objection_at__isnull=False)
        .exclude(kept_by_records(timezone.localdate()))
    )


def relationship_people_after_the_end(
    today: datetime.date, among: set[int] | None = None
) -> set[int]:
    """Data subjects whose business relationship has ended (a role of
    ``ROLES_ENDED_BY_STAFF`` whose end date has passed) and who have no such role open:
    for the daily pass of rule fiscal-7y to judge, whether staff ended the role on the
    retention page or in the admin. With ``among`` (ids, from
    ``people_changed_since``): only those of them."""
    relationships = SubjectRole.objects.filter(
        category__key__in=ROLES_ENDED_BY_STAFF, subject_id=OuterRef("pk")
    )
    return set(
        _people_among(among)
        .filter(Exists(relationships.filter(ended_on__lt=today)))
        .exclude(Exists(relationships.active_on(today)))
        .exclude(kept_by_records(today))
        .order_by()
        .values_list("pk", flat=True)
    )


# A run looks for changes from this long before the start of the rule's last successful
# run: longer than any transaction still open while that run ran (whose writes it could
# not see), so nothing committed late falls between two runs.
CHANGE_SLACK = datetime.timedelta(hours=1)
# The tables whose new rows may be the last thing a person was kept by, or the first sign
# of them (a person, a role, a participation added without a service, in bulk or by
# hand): a run records their highest key (``RetentionRun.marks``), the next run judges
# the people of every row added since.
MARKED = {"subject": DataSubject, "role": SubjectRole, "participation": TrajectoryParticipant}
# What the audit trail records that can take away nothing that keeps a person (reads
# aside): a person created (their own key mark counts them), corrected contact details
# (Art. 16: only ``requests_dsar.fulfilment.rectification.RECTIFIABLE_FIELDS``), a role or
# a legal hold added. Any other event about a person makes the next runs judge them.
KEEPS_OR_CHANGES_NOTHING = (
    "subject.create",
    "subject.update",
    "subject.role-add",
    "retention.hold-add",
)


# However well every change is traced, once a week a daily pass judges everyone again
# (the first run on or after the seventh day after the last that did, by the calendar:
# a run that starts a little later than last week's still counts): a change no trail
# recorded (a bulk delete, a row changed in the database by hand) still counts within a
# week.
FULL_PASS_EVERY = datetime.timedelta(days=7)
# The mark of a run that judged everyone.
FULL_PASS_MARK = "full"


@dataclasses.dataclass(frozen=True)
class LastRun:
    """What a run needs of its rule's last successful run: when it started, its marks,
    and when the last successful run that judged everyone started (None: never)."""

    started_at: datetime.datetime
    marks: dict[str, int]
    full_at: datetime.datetime | None = None

    def judge_everyone(self, now: datetime.datetime) -> bool:
        """Whether the run starting ``now`` judges everyone (``FULL_PASS_EVERY``, counted
        in days of the calendar in Amsterdam)."""
        if self.full_at is None:
            return True
        return timezone.localdate(now) - timezone.localdate(self.full_at) >= FULL_PASS_EVERY


def rule_with_change_marks(rule_key: str) -> tuple[RetentionRule, LastRun | None, dict[str, int]]:
    """The rule, its last successful run (None without one, with when the last one that
    judged everyone started) and the highest key of each ``MARKED`` table now (0 for an
    empty one): one query."""
    from retention.models import RetentionRun

    last = RetentionRun.objects.filter(
        rule=OuterRef("pk"), outcome=RetentionRun.Outcome.SUCCESS
    ).order_by("-started_at", "-pk")
    latest = {
        f"mark_{name}": Subquery(model._default_manager.order_by("-pk").values("pk")[:1])
        for name, model in MARKED.items()
    }
    full = last.filter(**{f"marks__{FULL_PASS_MARK}": 1})
    rule = RetentionRule.objects.annotate(
        last_started_at=Subquery(last.values("started_at")[:1]),
        last_marks=Subquery(last.values("marks")[:1], output_field=models.JSONField()),
        last_full_at=Subquery(full.values("started_at")[:1]),
        **latest,
    ).get(key=rule_key)
    previous = None
    if rule.last_started_at is not None:  # type: ignore[attr-defined]
        previous = LastRun(
            rule.last_started_at,  # type: ignore[attr-defined]
            rule.last_marks or {},  # type: ignore[attr-defined]
            rule.last_full_at,  # type: ignore[attr-defined]
        )
    marks = {name: getattr(rule, f"mark_{name}") or 0 for name in MARKED}
    return rule, previous, marks


def _trajectories_changed_since(moment: datetime.datetime) -> list[int]:
    """Trajectories the audit trail names as changed from ``moment`` on (an end set, also
    one in the past, on the review page or in the admin): one query through the index
    on the event's time."""
    prefix = f"{Trajectory._meta.label} #"
    targets = AuditEvent.objects.filter(at__gte=moment, target__startswith=prefix)
    return sorted(
        {
            int(t[len(prefix) :])
            for t in targets.values_list("target", flat=True)
            if t[len(prefix) :].isdigit()
        }
    )


def people_changed_since(
    previous: Any, today: datetime.date, *, slack: datetime.timedelta = CHANGE_SLACK
) -> set[int] | None:
    """The data subjects for whom something that keeps a person may have changed since
    ``previous`` (the rule's last successful ``RetentionRun``), for the daily passes to
    judge: one query through indexes, whose answer grows with what changed, never with
    the people who were judged before and are still kept. None when there is no such
    run, or it recorded no marks (a run of an earlier version): then everyone is judged.

    Changes counted, from ``slack`` (``CHANGE_SLACK``) before ``previous`` started:

    - anything the audit trail records about a person (a role ended or changed, a
      restriction lifted, a record deleted or changed by staff, a hold changed or
      deleted, an objection recorded; reads and ``KEEPS_OR_CHANGES_NOTHING`` aside);
    - a role whose last day has passed since (from the day before ``previous`` on), a
      specific legal hold that ended since, a trajectory that ended since (its
      participants and mentors, also of one whose end the audit trail says was set or
      changed since, into the past too), a rights request closed since;
    - a person, role or participation added since (``RetentionRun.marks``), and an
      objection to direct marketing recorded since.

    A run that failed or was missed is no ``previous``: the next one looks back to the
    last that succeeded, so it catches up. It only chooses whom to judge; the judgement
    decides from the source data."""
    from requests_dsar.models import DsarRequest

    marks = getattr(previous, "marks", None) or {}
    if previous is None or any(name not in marks for name in MARKED):
        return None
    moment = previous.started_at - slack
    since_day = timezone.localdate(previous.started_at) - datetime.timedelta(days=1)
    participations = TrajectoryParticipant.objects.filter(
        Q(trajectory__ended_on__gte=since_day, trajectory__ended_on__lte=today)
        | Q(pk__gt=marks["participation"])
        | Q(trajectory_id__in=_trajectories_changed_since(moment))
    )
    parts = [
        AuditEvent.objects.filter(at__gte=moment, subject__isnull=False)
        .exclude(action__startswith="read.")
        .exclude(action__in=KEEPS_OR_CHANGES_NOTHING)
        .values_list("subject_id", flat=True),
        SubjectRole.objects.filter(
            Q(ended_on__gte=since_day, ended_on__lt=today) | Q(pk__gt=marks["role"])
        ).values_list("subject_id", flat=True),
        LegalHold.objects.filter(
            subject__isnull=False, held_until__gte=since_day, held_until__lt=today
        ).values_list("subject_id", flat=True),
        participations.values_list("participant_id", flat=True),
        participations.filter(mentor__isnull=False).values_list("mentor_id", flat=True),
        DsarRequest.subjects.through.objects.filter(dsarrequest__closed_at__gte=moment).values_list(
            "datasubject_id", flat=True
        ),
        DataSubject.objects.filter(
            Q(pk__gt=marks["subject"]) | Q(marketing_objection_at__gte=moment)
        ).values_list("pk", flat=True),
    ]
    first, *others = (part.order_by() for part in parts)
    return set(first.union(*others))


def open_relationships_without_records(among: set[int] | None = None) -> QuerySet[SubjectRole]:
    """Open business relationships (``ROLES_ENDED_BY_STAFF``) of people we hold nothing
    else for: no invoice, business e-mail, trajectory, account, other role, hold,
    restriction or open request. Nothing ends such a role but staff, so the retention
    page asks them. Oldest first; judged from the source data, in a number of queries
    that does not grow with the number of people. With ``among`` (ids): only theirs."""
    today = timezone.localdate()
    roles = SubjectRole.objects.filter(category__key__in=ROLES_ENDED_BY_STAFF).active_on(today)
    if among is not None and not among:
        return roles.none()
    candidates = (
        _people_among(among)
        .filter(Exists(roles.filter(subject_id=OuterRef("pk"))))
        .exclude(kept_by_records(today))
        .order_by()
        .values_list("pk", flat=True)
    )
    idle = _data_subjects_without_a_purpose(set(candidates), ignore_roles=ROLES_ENDED_BY_STAFF)
    return (
        roles.filter(subject_id__in=idle)
        .select_related("subject", "category", "organisation")
        .order_by("started_on", "pk")
    )


def open_relationships_shown(last: Any = None) -> QuerySet[SubjectRole]:
    """The open relationships the retention page lists (``open_relationships_without_
    records``), kept current without judging every open relationship on every view: the
    ones the last successful run of rule fiscal-7y found (``IdleRelationship``) and the
    people something changed for since that run (``people_changed_since``), all judged
    again from the source data. Before such a run: everyone's. For display only: ending
    a relationship judges it again. ``last``: that run, when the caller has it."""
    from retention.models import IdleRelationship, RetentionRun

    if last is None or last.outcome != RetentionRun.Outcome.SUCCESS:
        last = (
            RetentionRun.objects.filter(
                rule__key=RELATIONSHIP_RULE, outcome=RetentionRun.Outcome.SUCCESS
            )
            .order_by("-started_at", "-pk")
            .first()
        )
    changed = people_changed_since(last, timezone.localdate(), slack=datetime.timedelta(0))
    if changed is None:
        return open_relationships_without_records()
    shown = IdleRelationship.objects.values_list("role__subject_id", flat=True)
    return open_relationships_without_records(changed | set(shown))


def due_at_next_run() -> list[tuple[RetentionRule, list[tuple[RegistryEntry, int]]]]:
    """What each active rule would delete or anonymise if it ran now (as its dry run
    counts it), leaving out rules and entries with nothing due: one or two queries per
    registry entry of a rule, whatever the number of rows."""
    from retention.services import retention_margin

    due = []
    acting = (RetentionRule.Action.DELETE, RetentionRule.Action.ANONYMISE)
    for rule in RetentionRule.objects.filter(is_active=True, action__in=acting).order_by("key"):
        horizon = timezone.now() + retention_margin(rule)
        counts = [
            (entry, expired_summary(rule, entry, horizon=horizon)[0])
            for entry in registry.for_rule(rule.key)
        ]
        counts = [(entry, count) for entry, count in counts if count]
        if counts:
            due.append((rule, counts))
    return due
