"""Applying the retention rules of the privacy statement, and the staff review of contact
messages. Every write the retention jobs make goes through here.

``retention_rule_apply`` is the one entry point of the scheduled jobs, the management
command and the admin: it records a ``RetentionRun`` before it starts, erases in batches
of primary keys, each batch (with the data subjects it leaves without purpose) in its
own transaction, counts what the committed batches did, and marks the run failed (and
re-raises, so Celery retries) when anything goes wrong. A run that failed part-way is
safe to repeat: committed batches stay done, the next run only finds the rows that are
left.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import logging
import time
import traceback
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import connections, models, router, transaction
from django.db.models import Max, Min, ProtectedError, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from retention import schedule, visit_partitions
from retention.clock import clock_cutoff
from retention.models import RetentionRule, RetentionRun
from retention.page_purge import delete_by_pages
from retention.selectors import (
    FULL_PASS_MARK,
    RELATIONSHIP_RULE,
    LastRun,
    clock_is_date,
    contact_message_delete_obstacle,
    contact_messages_due_count,
    data_subjects_without_purpose,
    expired_pk_batches,
    expired_rows,
    expired_summary,
    marketing_objectors,
    open_relationships_without_records,
    people_changed_since,
    relationship_people_after_the_end,
    rule_with_change_marks,
    trajectory_people_after_the_end,
)
from retention.tool_accounts import TOOLS_AFTER_END_RULE, tool_accounts_release
from retention.trajectory_review import TRAJECTORY_REVIEW_RULE, open_trajectories_due_count
from subjects.mailchimp_sync import DELETE, mailchimp_sync
from subjects.models import ContactMessage, DataSubject, NewsletterSubscription, SuppressedAddress
from subjects.registry import Erasure, RegistryEntry, registry
from subjects.services import Actor, audit_event_record
from subjects.suppression import address_suppress

logger = logging.getLogger(__name__)

# Rows per batch when the keys are fetched (rows that name a person, anonymisation).
BATCH_SIZE = 5000
# Rows per batch at most when a plain log is deleted by range (of keys, or on PostgreSQL
# of pages): no key is loaded, so memory does not depend on it; a batch still deletes
# at most this many rows in one short transaction. Larger than BATCH_SIZE so the
# per-batch round trips stay small next to the work (bench.retention_purge measures
# both); 50,000 is the most issue 13 allows in one transaction.
LOG_BATCH_SIZE = 50_000
# While a run runs, its counts reach the run log at most this often (seconds).
PROGRESS_EVERY = 1.0
# A run still "running" without a sign of life (``RetentionRun.heartbeat_at``, written with
# its progress, at least once per batch) for this long was cut off (worker killed,
# machine stopped): it is marked failed so the log stays honest. A batch takes seconds.
HEARTBEAT_STALE = datetime.timedelta(minutes=10)
INTERRUPTED = "Interrupted: the run stopped without finishing (worker or machine stopped)."
# The rule whose daily run also deletes everyone held only because they objected to direct
# marketing (``marketing_objectors_release``): the rule of the newsletter, the direct
# marketing the objection is about. The objection itself stays on the suppression list.
SUPPRESSION_RULE = "unsubscribe-6w"
# Data categories that rule video-none promises are never stored.
NEVER_STORED_CATEGORIES = ("image",)
SUBJECT_LABEL = DataSubject._meta.label


class RetentionRuleViolation(Exception):
    """The data contradicts a rule (data the statement says is never stored is held)."""


def retention_margin(rule: RetentionRule) -> datetime.timedelta:
    """How far ahead a run looks: until the next run, so no row outlives its limit."""
    hours = max(rule.run_every_hours, schedule.interval_hours(rule.key) or 0)
    return datetime.timedelta(hours=hours)


def _can_raw_delete(model: type[models.Model]) -> bool:
    """True when deleting a row of ``model`` cannot touch any other row: no relation
    points at it and it has no many-to-many fields, so there is nothing to cascade,
    protect or set to NULL."""
    meta = model._meta
    return not meta.related_objects and not meta.many_to_many and not meta.private_fields


def _subject_ids_of(entry: RegistryEntry, pks: list[int]) -> set[int]:
    ids: set[int] = set()
    for path in entry.subject_paths:
        ids.update(
            entry.model._default_manager.filter(pk__in=pks, **{f"{path}__isnull": False})
            .values_list(path, flat=True)
            .distinct()
        )
    return ids


def _erase_batch(entry: RegistryEntry, pks: list[int], now: datetime.datetime) -> int:
    manager = entry.model._default_manager
    if entry.model is NewsletterSubscription:
        _mailchimp_members_delete(pks)
    if entry.has_own_erasure:  # it sets anonymised_at itself
        return entry.erase(manager.filter(pk__in=pks))
    if entry.erasure.kind == Erasure.DELETE and _can_raw_delete(entry.model):
        return _delete_rows(manager.filter(pk__in=pks))
    changed = entry.erase(manager.filter(pk__in=pks))
    if entry.erasure.kind == Erasure.ANONYMISE and any(
        f.name == "anonymised_at" for f in entry.model._meta.fields
    ):
        manager.filter(pk__in=pks).update(anonymised_at=now)
    return changed


def _mailchimp_members_delete(pks: list[int]) -> None:
    """The newsletter's 6 weeks are over: Mailchimp deletes the members permanently too
    (on commit), except an address that has another active subscription here."""
    emails = set(NewsletterSubscription.objects.filter(pk__in=pks).values_list("email", flat=True))
    still = set(
        NewsletterSubscription.objects.filter(email__in=emails, unsubscribed_at__isnull=True)
        .exclude(pk__in=pks)
        .values_list("email", flat=True)
    )
    for email in sorted(emails - still):
        mailchimp_sync(action=DELETE, email=email)


def data_subjects_without_purpose_delete(*, subject_ids: Iterable[int]) -> int:
    """Delete the data subjects left with nothing we may hold them for (see
    ``retention.selectors.data_subjects_without_purpose``): name and e-mail address
    without a purpose are personal data kept too long (Art. 5(1)(e)). The address of one
    who objected to direct marketing is on the suppression list first (a keyed hash,
    which outlives them: Art. 21(3)). Returns how many were deleted. Call inside a
    transaction."""
    ids = data_subjects_without_purpose(set(subject_ids))
    if not ids:
        return 0
    for email in DataSubject.objects.filter(
        pk__in=ids, marketing_objection_at__isnull=False
    ).values_list("email", flat=True):
        address_suppress(email=email, reason=SuppressedAddress.Reason.OBJECTED)
    return _data_subjects_delete(ids)


def _data_subjects_delete(ids: set[int]) -> int:
    try:
        with transaction.atomic():
            _, per_model = DataSubject.objects.filter(pk__in=ids).delete()
            return per_model.get(SUBJECT_LABEL, 0)
    except ProtectedError:
        pass
    deleted = 0
    for pk in sorted(ids):  # one by one: a record we do not know about protects one of them
        try:
            with transaction.atomic():
                _, per_model = DataSubject.objects.filter(pk=pk).delete()
                deleted += per_model.get(SUBJECT_LABEL, 0)
        except ProtectedError:
            logger.warning("retention: data subject %s is protected by another record", pk)
    return deleted


@dataclasses.dataclass
class _Progress:
    """The counts of the batches a run has committed. They reach the run log at most
    every ``PROGRESS_EVERY`` seconds while it runs (one small UPDATE, not one per batch)
    and always when it ends, failed or not, so a failed run says exactly what its
    committed batches did; a run killed outright shows its counts of a second before."""

    run: RetentionRun
    written_at: float = 0.0

    def add(self, counts: dict[str, int]) -> None:
        for label, count in counts.items():
            if count:
                self.run.rows_affected[label] = self.run.rows_affected.get(label, 0) + count
                self.run.total_rows += count
        if time.monotonic() - self.written_at >= PROGRESS_EVERY:
            self.write()

    def write(self, **fields: Any) -> None:
        self.written_at = time.monotonic()
        RetentionRun.objects.filter(pk=self.run.pk).update(
            rows_affected=self.run.rows_affected,
            total_rows=self.run.total_rows,
            heartbeat_at=timezone.now(),
            **fields,
        )


def _is_plain_log(entry: RegistryEntry) -> bool:
    """A table that names no data subject, is deleted, and that nothing points at
    (website visits): it can be deleted by key range, without fetching the keys."""
    return (
        not entry.subject_paths
        and entry.erasure.kind == Erasure.DELETE
        and _can_raw_delete(entry.model)
    )


def _delete_rows(queryset: QuerySet[Any]) -> int:
    """One DELETE statement for the rows of ``queryset`` (only for models where
    ``_can_raw_delete`` holds: nothing to cascade, protect or set to NULL)."""
    return queryset._raw_delete(router.db_for_write(queryset.model))  # type: ignore[attr-defined]


@contextlib.contextmanager
def _commits_without_waiting_for_disk(model: type[models.Model]) -> Iterator[None]:
    """PostgreSQL: the batches' COMMITs do not wait for their WAL to reach the disk.

    Safe here: after a crash at most the last batches (each whole) are rolled back and
    the next run repeats them. The run's final "success" is an ordinary commit, which
    flushes every earlier batch to disk first."""
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def _partitions_prune(
    progress: _Progress, entry: RegistryEntry, cutoff: datetime.datetime | datetime.date
) -> list[str] | None:
    """The website visits on PostgreSQL, in daily partitions (``retention.visit_partitions``):
    a day whose visits all fall at or before the sure cutoff is dropped whole. Returns
    the partitions that may still hold expired visits (the day the cutoff falls in, a
    day not dropped, the default one); None, having done nothing, for any other table,
    or a plain one."""
    using = router.db_for_write(entry.model)
    if (
        entry.model._meta.db_table != visit_partitions.PARENT
        or entry.clock != "visited_at"
        or not isinstance(cutoff, datetime.datetime)
        or not visit_partitions.is_partitioned(using)
    ):
        return None
    visit_partitions.expired_partitions_drop(
        cutoff, lambda deleted: progress.add({entry.label: deleted}), using
    )
    return visit_partitions.partitions_holding_before(cutoff, using)


def _delete_by_key_ranges(
    progress: _Progress,
    entry: RegistryEntry,
    expired: QuerySet[Any],
    size: int,
    cutoff: datetime.datetime | datetime.date,
) -> None:
    """Delete the expired rows of a plain log in primary-key ranges of ``size`` keys:
    at most ``size`` rows per statement and per transaction, found by the database in
    the key index, so no key travels to Python and back. A range without expired rows
    (a gap in the keys) jumps to the next expired key. On PostgreSQL, ranges of table
    pages holding at most ``size`` rows instead (``retention.page_purge``), committed
    as usual: there, not waiting for the disk at each commit made the job slower (the
    unflushed log is then flushed to write out each page it evicts). The website visits
    in daily partitions lose every day past the limit whole first (``_partitions_prune``).
    Whatever ranges of pages could not take goes by key ranges."""

    def add(deleted: int) -> None:
        progress.add({entry.label: deleted})

    partitions = _partitions_prune(progress, entry, cutoff)
    if partitions is not None:
        # What is left of the expired visits, by pages of each partition that may hold
        # some; then the coming days' partitions (a failure there deletes nothing less).
        if expired.exists():
            for partition in partitions:
                delete_by_pages(expired, size, add, partition=partition)
        visit_partitions.partitions_ahead_ensure(
            timezone.now().date(), router.db_for_write(entry.model)
        )
    elif delete_by_pages(expired, size, add):
        return
    if partitions is not None and not expired.exists():
        return
    # Key ranges: SQLite, older PostgreSQL, a batch smaller than a page can hold, and
    # whatever the ranges of pages left.
    with _commits_without_waiting_for_disk(entry.model):
        bounds = expired.aggregate(low=Min("pk"), high=Max("pk"))
        low, high = bounds["low"], bounds["high"]
        while low is not None and low <= high:
            with transaction.atomic(using=router.db_for_write(entry.model)):
                deleted = _delete_rows(expired.filter(pk__gte=low, pk__lt=low + size))
            progress.add({entry.label: deleted})
            low += size
            if not deleted:
                low = expired.filter(pk__gte=low).aggregate(low=Min("pk"))["low"]


def _judges_people(rule_key: str) -> bool:
    """The rule's run has a daily pass that judges people (not only their rows)."""
    return rule_key in (SUPPRESSION_RULE, RELATIONSHIP_RULE) or any(
        _clocked_by_a_trajectory_end(entry) for entry in registry.for_rule(rule_key)
    )


def _apply_erasure(
    progress: _Progress,
    rule: RetentionRule,
    horizon: datetime.datetime,
    size: int | None,
    previous: LastRun | None = None,
) -> None:
    """Delete or anonymise, entry by entry, batch by batch. A batch and the data
    subjects it leaves without purpose commit together, or not at all. A rule whose
    clock is the end of a trajectory (coaching-end, monitor-end) first judges the
    participants and mentors of every ended trajectory (``_trajectory_people_release``):
    first, because deleting a trainee with their last row takes the participation, the
    mentor's last link to the trajectory, with it.

    These passes judge only the people something changed for since ``previous``, the
    rule's last successful run (``people_changed_since``; everyone without one): whoever
    was judged then and kept is judged again once what kept them changes, or a rule
    deletes one of their rows (the batches below judge those)."""
    entries = registry.for_rule(rule.key)
    among = people_changed_since(previous, timezone.localdate()) if previous else None
    if any(_clocked_by_a_trajectory_end(entry) for entry in entries):
        _trajectory_people_release(progress, size or BATCH_SIZE, among)
    if rule.key == SUPPRESSION_RULE:
        progress.add(
            {SUBJECT_LABEL: marketing_objectors_release(size=size or BATCH_SIZE, among=among)}
        )
    if rule.key == RELATIONSHIP_RULE:
        _relationship_people_release(progress, size or BATCH_SIZE, among)
        _idle_relationships_store(among)
    if rule.key == TOOLS_AFTER_END_RULE:
        _tool_accounts_release(progress, rule, horizon, size or BATCH_SIZE)
    for entry in entries:
        if _is_plain_log(entry):
            sure, band = expired_rows(rule, entry, horizon=horizon)
            cutoff = clock_cutoff(rule, horizon=horizon, is_date=clock_is_date(entry))
            _delete_by_key_ranges(progress, entry, sure, size or LOG_BATCH_SIZE, cutoff.sure)
            if band is None:
                continue
        for pks in expired_pk_batches(rule, entry, horizon=horizon, size=size or BATCH_SIZE):
            with transaction.atomic():
                subject_ids = _subject_ids_of(entry, pks)
                changed = _erase_batch(entry, pks, timezone.now())
                removed = data_subjects_without_purpose_delete(subject_ids=subject_ids)
            progress.add({entry.label: changed, SUBJECT_LABEL: removed})


def _tool_accounts_release(
    progress: _Progress, rule: RetentionRule, horizon: datetime.datetime, size: int
) -> None:
    """Rule tools-after-end has no clock field of its own: the end of a person's use of
    the tools is worked out per person (``retention.tool_accounts``). Each batch is
    erased like any other (``_erase_and_judge``), with an Art. 19 task per account."""
    for counts in tool_accounts_release(rule, horizon=horizon, size=size, erase=_erase_and_judge):
        progress.add(counts)


def _erase_and_judge(entry: RegistryEntry, pks: list[int]) -> dict[str, int]:
    """Erase one batch and delete the data subjects it leaves without purpose; call
    inside the batch's transaction."""
    subject_ids = _subject_ids_of(entry, pks)
    changed = _erase_batch(entry, pks, timezone.now())
    removed = data_subjects_without_purpose_delete(subject_ids=subject_ids)
    return {entry.label: changed, SUBJECT_LABEL: removed}


def _clocked_by_a_trajectory_end(entry: RegistryEntry) -> bool:
    return bool(entry.clock) and entry.clock.split("__")[-2:] == ["trajectory", "ended_on"]


def _trajectory_people_release(
    progress: _Progress, size: int, among: set[int] | None = None
) -> None:
    """Judge the participants and mentors of ended trajectories: those with nothing
    else to keep them go, with their participations (``data_subjects_without_purpose``
    says what keeps a person). A mentor has no row of their own that a rule deletes, so
    without this step nothing would ever look at them again."""
    _people_release(progress, trajectory_people_after_the_end(timezone.localdate(), among), size)


def _idle_relationships_store(among: set[int] | None) -> None:
    """Judge again, from the source data, the open relationships the retention page
    shows (``IdleRelationship``) and those of the people something changed for since the
    last run (``among``; everyone's without one), and store the answer for the page."""
    from retention.models import IdleRelationship

    stored = dict(IdleRelationship.objects.values_list("role_id", "role__subject_id"))
    if among is not None:
        among = among | set(stored.values())
    roles = set(open_relationships_without_records(among).values_list("pk", flat=True))
    if roles == set(stored):
        return
    with transaction.atomic():
        IdleRelationship.objects.all().delete()
        IdleRelationship.objects.bulk_create(IdleRelationship(role_id=pk) for pk in roles)


def _relationship_people_release(
    progress: _Progress, size: int, among: set[int] | None = None
) -> None:
    """Judge the people whose business relationship (client, client-organisation
    contact, trainer/coach, supplier contact) has ended: kept while their records are
    (invoices and business e-mail, 7 years), gone with nothing left. Without this step
    a person whose role staff ended, but of whom no rule deletes a row, would stay."""
    _people_release(progress, relationship_people_after_the_end(timezone.localdate(), among), size)


def _people_release(progress: _Progress, people: set[int], size: int) -> None:
    """Delete those of ``people`` with nothing left to keep them, in batches of ``size``,
    each in its own transaction; people kept for another reason are judged again next
    run."""
    ids = sorted(people)
    for start in range(0, len(ids), size):
        with transaction.atomic():
            removed = data_subjects_without_purpose_delete(subject_ids=ids[start : start + size])
        progress.add({SUBJECT_LABEL: removed})


def marketing_objectors_release(*, size: int = BATCH_SIZE, among: set[int] | None = None) -> int:
    """Delete everyone held only because they objected to direct marketing: the
    objection is kept as a keyed hash on the suppression list, nothing else of them is
    needed. A person is otherwise judged only when a rule deletes one of their rows,
    which misses someone who objected while holding nothing a rule deletes, and people
    kept whole for their objection before the suppression list existed. Every objector
    still held is looked at, in batches of ``size`` by key, each in its own transaction,
    so a run cut off part-way is finished by the next; objectors kept for another
    purpose stay. With ``among`` (``people_changed_since``): only those of them. Returns
    how many were deleted."""
    deleted = 0
    after = 0
    while True:
        ids = list(
            marketing_objectors(among)
            .filter(pk__gt=after)
            .order_by("pk")
            .values_list("pk", flat=True)[:size]
        )
        if not ids:
            return deleted
        with transaction.atomic():
            deleted += data_subjects_without_purpose_delete(subject_ids=ids)
        after = ids[-1]


def _verify_never_stored(rule: RetentionRule) -> None:
    """Rule video-none: no registry entry may hold images of a video connection."""
    holders = [
        entry.label
        for entry in registry
        if set(entry.categories) & set(NEVER_STORED_CATEGORIES)
        or entry.activity in set(rule.activities.values_list("key", flat=True))
    ]
    if holders:
        raise RetentionRuleViolation(
            f"{rule.key}: never stored, but held by {', '.join(sorted(holders))}"
        )


def _review_reminder_send(rule: RetentionRule, due: int) -> None:
    trajectories = rule.key == TRAJECTORY_REVIEW_RULE
    url = settings.SITE_URL.rstrip("/") + reverse(
        "retention:trajectory_review" if trajectories else "retention:review_queue"
    )
    parts = []
    for language in ("nl", "en"):
        with translation.override(language):
            if trajectories:
                text = gettext(
                    "%(count)d trajectories without an end date are due for review under "
                    "rule %(rule)s. Set the end of each, or keep it open with a reason and "
                    "the next review date: %(url)s"
                )
            else:
                text = gettext(
                    "%(count)d contact messages are due for review under rule %(rule)s. "
                    "Decide for each whether to keep it (with a reason and the next review "
                    "date) or delete it: %(url)s"
                )
            parts.append(text % {"count": due, "rule": rule.key, "url": url})
    subjects = []
    for language in ("nl", "en"):
        with translation.override(language):
            if trajectories:
                subject = gettext("Trajectories to review (%(count)d)")
            else:
                subject = gettext("Contact messages to review (%(count)d)")
            subjects.append(subject % {"count": due})
    send_mail(
        subject=" / ".join(subjects),
        message="\n\n---\n\n".join(parts),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[settings.STAFF_NOTIFICATION_EMAIL],
    )


def _apply_review(run: RetentionRun, rule: RetentionRule) -> None:
    """A review rule deletes nothing itself: it counts what is due for the staff review
    queue and reminds staff by e-mail. Rule contact-review reviews contact messages,
    rule trajectory-review the trajectories without an end date."""
    if rule.key == TRAJECTORY_REVIEW_RULE:
        due = open_trajectories_due_count(rule)
    else:
        due = contact_messages_due_count(rule)
    run.due_for_review = due
    RetentionRun.objects.filter(pk=run.pk).update(due_for_review=due)
    if due:
        _review_reminder_send(rule, due)


def _restricted_rows_queue(
    run: RetentionRun, rule: RetentionRule, horizon: datetime.datetime
) -> None:
    """Art. 18 beats retention where the restriction keeps data for the person: the rows
    the rule would have removed but such a restriction keeps go to the review queue
    (``retention.restricted.restricted_rows_held``, the page of restricted rows), and the
    run records how many as due for review. Nothing is written to the rows: the first
    run after the restriction is lifted finds them like any other expired row."""
    held = sum(
        expired_summary(rule, entry, horizon=horizon, held=True)[0]
        for entry in registry.for_rule(rule.key)
        if entry.clock
    )
    run.due_for_review = held
    RetentionRun.objects.filter(pk=run.pk).update(due_for_review=held)
    if held:
        logger.info("retention: rule %s keeps %s restricted rows (Art. 18)", rule.key, held)


def interrupted_runs_close(
    *, now: datetime.datetime | None = None, rule: RetentionRule | None = None
) -> int:
    """Mark failed ("interrupted") every run still marked running whose last sign of life
    (or, before its first, its start) is ``HEARTBEAT_STALE`` or more ago: its worker was
    killed. The rule's next run finishes the work. Returns how many were closed."""
    now = now or timezone.now()
    runs = RetentionRun.objects.annotate(alive_at=Coalesce("heartbeat_at", "started_at")).filter(
        outcome=RetentionRun.Outcome.RUNNING, alive_at__lte=now - HEARTBEAT_STALE
    )
    if rule is not None:
        runs = runs.filter(rule=rule)
    return RetentionRun.objects.filter(pk__in=list(runs.values_list("pk", flat=True))).update(
        outcome=RetentionRun.Outcome.FAILED, error=INTERRUPTED, finished_at=now
    )


def _stale_runs_close(rule: RetentionRule, now: datetime.datetime) -> None:
    interrupted_runs_close(now=now, rule=rule)


def retention_rule_apply(
    *,
    rule_key: str,
    trigger: str = RetentionRun.Trigger.SCHEDULE,
    batch_size: int | None = None,
) -> RetentionRun | None:
    """Apply one retention rule now and log it as a ``RetentionRun``.

    The rule: every row of the rule's registry entries whose limit passes before the
    next run (now + the rule's interval) is deleted or anonymised, as the entry says;
    rows of a data subject under a specific legal hold, or kept longer with explicit
    consent for an agreed purpose, stay; so do rows an Art. 18 restriction keeps for the
    person (18(1)(b) unlawful processing kept instead of erased, 18(1)(c) a legal claim,
    or a point not recorded): the run counts them as due for review (``due_for_review``,
    the queue ``retention.restricted``), and the first run after the restriction is
    lifted removes them. Other restricted rows are not anonymised but are deleted when
    the rule deletes (the limit is the law); a temporary restriction (18(1)(a), (d)) is
    no reason to keep anything past its limit. Data subjects left without any
    purpose are deleted with their last row; the run of ``SUPPRESSION_RULE`` also
    deletes everyone held only for their objection to direct marketing
    (``marketing_objectors_release``; the objection stays on the suppression list).
    Returns None for an inactive rule."""
    previous, marks = None, {}
    judges_people = _judges_people(rule_key)
    if judges_people:
        rule, previous, marks = rule_with_change_marks(rule_key)
    else:
        rule = RetentionRule.objects.get(key=rule_key)
    if not rule.is_active:
        logger.info("retention: rule %s is not active, nothing done", rule_key)
        return None
    started = timezone.now()
    if judges_people and (previous is None or previous.judge_everyone(started)):
        # This run judges everyone (the first, or a week since the last that did).
        previous = None
        marks = {**marks, FULL_PASS_MARK: 1}
    _stale_runs_close(rule, started)
    horizon = started + retention_margin(rule)
    run = RetentionRun.objects.create(
        rule=rule,
        trigger=trigger,
        started_at=started,
        cutoff=horizon,
        heartbeat_at=started,
        marks=marks,
    )
    progress = _Progress(run, written_at=time.monotonic())
    clock = time.monotonic()
    try:
        if rule.action in (RetentionRule.Action.DELETE, RetentionRule.Action.ANONYMISE):
            _apply_erasure(progress, rule, horizon, batch_size, previous)
            _restricted_rows_queue(run, rule, horizon)
        elif rule.action == RetentionRule.Action.REVIEW:
            _apply_review(run, rule)
        elif rule.action == RetentionRule.Action.NEVER_STORED:
            _verify_never_stored(rule)
    except Exception as exc:
        run.outcome = RetentionRun.Outcome.FAILED
        run.error = "".join(traceback.format_exception_only(type(exc), exc)).strip()[:4000]
        _finish(progress, clock, error=run.error)
        logger.exception("retention: rule %s failed after %s rows", rule_key, run.total_rows)
        raise
    run.outcome = RetentionRun.Outcome.SUCCESS
    _finish(progress, clock)
    logger.info("retention: rule %s done, %s rows %s", rule_key, run.total_rows, run.rows_affected)
    return run


def _finish(progress: _Progress, clock: float, **fields: Any) -> None:
    run = progress.run
    run.finished_at = timezone.now()
    run.duration_seconds = time.monotonic() - clock
    progress.write(
        outcome=run.outcome,
        finished_at=run.finished_at,
        duration_seconds=run.duration_seconds,
        **fields,
    )


@transaction.atomic
def contact_message_keep(
    *, actor: Actor, message: ContactMessage, reason: str, next_review_on: datetime.date
) -> None:
    """Staff keep a contact message that is still needed: the reason is required and the
    next review at most a year ahead, so it is reviewed "frequently" as the statement
    promises. Audited (field names only)."""
    today = timezone.localdate()
    errors: dict[str, Any] = {}
    if not reason.strip():
        errors["reason"] = _("Give the reason to keep this message.")
    if next_review_on <= today:
        errors["next_review_on"] = _("The next review must be after today.")
    elif next_review_on > today + datetime.timedelta(days=366):
        errors["next_review_on"] = _("Review again within a year.")
    if errors:
        raise ValidationError(errors)
    message.keep_reason = reason.strip()[:300]
    message.next_review_on = next_review_on
    message.save(update_fields=["keep_reason", "next_review_on"])
    audit_event_record(
        actor=actor,
        action="retention.review-keep",
        subject=message.subject,
        target=message,
        changed_fields=["keep_reason", "next_review_on"],
        params={"next_review_on": next_review_on.isoformat()},
    )


def _delete_refusal(obstacle: tuple[str, Any]) -> str:
    kind, detail = obstacle
    if kind == "hold":
        return gettext(
            "This message cannot be deleted: the legal hold %(hold)s keeps this person's "
            "data until %(until)s."
        ) % {"hold": detail.tr("name"), "until": date_format(detail.held_until)}
    if kind == "consent":
        return gettext(
            "This message cannot be deleted: the person consented to keeping it until %(until)s."
        ) % {"until": date_format(detail)}
    return gettext("This message cannot be deleted: its processing is restricted (%(ground)s).") % {
        "ground": detail or gettext("no ground recorded")
    }


@transaction.atomic
def contact_message_delete(*, actor: Actor, message: ContactMessage) -> None:
    """Staff delete a contact message that is no longer needed (the statement: deleted
    when no longer needed); a data subject left without any purpose goes with it.

    Refused (``ValidationError``) where the automatic rules would not delete either: a
    specific legal hold on the data subject, consent to keep it longer, or a
    restriction of processing of the message or its data subject."""
    obstacle = contact_message_delete_obstacle(message)
    if obstacle is not None:
        raise ValidationError(_delete_refusal(obstacle))
    subject = message.subject
    target = f"{message._meta.label} #{message.pk}"
    message.delete()
    audit_event_record(
        actor=actor, action="retention.review-delete", subject=subject, target=target
    )
    if subject is not None:
        data_subjects_without_purpose_delete(subject_ids=[subject.pk])
