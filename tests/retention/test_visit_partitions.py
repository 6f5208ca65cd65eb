"""The website visits in daily partitions on PostgreSQL (``retention.visit_partitions``):
rule ip-4w drops a day whose visits are all past the limit, deletes the expired visits
of the day the limit falls in and of the default partition, keeps every visit within
the limit, and makes the coming days' partitions ahead."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection

from retention import visit_partitions as vp
from retention.clock import clock_cutoff
from retention.models import RetentionRule
from retention.services import retention_margin
from subjects import models as m
from tests.retention.conftest import apply_at, utc

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="partitions are PostgreSQL's"),
]

NOW = utc(2026, 6, 10, 12, 0)
LABEL = "subjects.WebsiteVisit"


def _sure_cutoff() -> datetime.datetime:
    rule = RetentionRule.objects.get(key="ip-4w")
    return clock_cutoff(rule, horizon=NOW + retention_margin(rule), is_date=False).sure


def _rows(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        return cursor.fetchone()[0]


def _visit(at: datetime.datetime) -> m.WebsiteVisit:
    return m.WebsiteVisit.objects.create(ip_address="192.0.2.7", visited_at=at)


def test_a_day_past_the_limit_is_dropped_the_day_of_the_limit_is_cut_at_it():
    cutoff = _sure_cutoff()
    old_day = (cutoff - datetime.timedelta(days=3)).date()
    limit_day = cutoff.date()
    vp.partitions_ensure(old_day, limit_day)
    old = [_visit(utc(old_day.year, old_day.month, old_day.day, h)) for h in (0, 12, 23)]
    at_cutoff = _visit(cutoff)  # the limit itself has passed (a clock <= sure)
    just_after = _visit(cutoff + datetime.timedelta(microseconds=1))
    fresh = _visit(NOW - datetime.timedelta(days=1))
    unpartitioned_old = _visit(cutoff - datetime.timedelta(days=400))  # the default one
    assert _rows(vp.partition_name(old_day)) == 3 and _rows(vp.DEFAULT) >= 1

    run = apply_at(NOW, "ip-4w")

    assert run.outcome == "success"
    assert run.rows_affected == {LABEL: len(old) + 2}
    assert old_day not in vp.day_partitions()  # dropped whole
    assert limit_day in vp.day_partitions()  # the day of the limit stays, cut at it
    left = set(m.WebsiteVisit.objects.values_list("pk", flat=True))
    assert left == {just_after.pk, fresh.pk}
    assert at_cutoff.pk not in left and unpartitioned_old.pk not in left


def test_the_run_makes_the_coming_days_partitions_once():
    apply_at(NOW, "ip-4w")
    days = vp.day_partitions()
    ahead = [NOW.date() + datetime.timedelta(days=n) for n in range(vp.DAYS_AHEAD + 1)]
    assert all(day in days for day in ahead)
    again = apply_at(NOW, "ip-4w")
    assert again.total_rows == 0 and vp.day_partitions() == days


def test_a_visit_waiting_in_the_default_partition_moves_into_its_days_partition():
    day = datetime.date(2031, 3, 4)
    assert day not in vp.day_partitions()
    visit = _visit(utc(2031, 3, 4, 15))
    before = _rows(vp.DEFAULT)
    assert vp.partitions_ensure(day, day) == 1
    assert _rows(vp.partition_name(day)) == 1 and _rows(vp.DEFAULT) == before - 1
    assert m.WebsiteVisit.objects.get(pk=visit.pk).visited_at == visit.visited_at
    assert vp.partitions_ensure(day, day) == 0  # there already: nothing done


def test_the_migration_back_to_a_plain_table_and_forth_keeps_every_visit():
    visits = {_visit(NOW - datetime.timedelta(days=d)).pk for d in (1, 10, 400)}
    with connection.schema_editor() as editor:
        vp.plain_table_restore(editor)
    assert not vp.is_partitioned()
    assert set(m.WebsiteVisit.objects.values_list("pk", flat=True)) == visits
    with connection.schema_editor() as editor:
        vp.partitioned_table_create(editor, NOW.date())
    assert vp.is_partitioned()
    assert set(m.WebsiteVisit.objects.values_list("pk", flat=True)) == visits
    assert _visit(NOW).pk > max(visits)  # the identity goes on from the highest key


def test_failing_to_make_a_coming_days_partition_does_not_stop_the_purge(monkeypatch):
    """Review 2: making a partition fails when a visit for its day is committed into the
    default partition meanwhile ("updated partition constraint for default partition
    ... would be violated by some row", reproduced with a concurrent INSERT while the
    day's partition was missing); a lock timeout would fail the same way. The run then
    fails before deleting anything, hour after hour while the site is busy: expired
    visits outlive their limit."""
    from django.db import IntegrityError

    def fails(day, using):
        raise IntegrityError("updated partition constraint for default partition")

    expired = _visit(_sure_cutoff() - datetime.timedelta(days=2))
    vp.partitions_ensure(expired.visited_at.date(), expired.visited_at.date())
    monkeypatch.setattr(vp, "_partition_create", fails)
    run = apply_at(NOW, "ip-4w")  # the failure is logged: the run goes on
    assert run.outcome == "success"
    assert not m.WebsiteVisit.objects.filter(pk=expired.pk).exists()


def test_deleting_by_pages_from_the_partitioned_table_itself_does_not_report_success():
    """Review 2: a partitioned table has no pages of its own (pg_relation_size 0), so
    ``delete_by_pages`` on it deletes nothing and still returns True ("done"); should
    ``is_partitioned`` ever answer False for it (it looks the name up in every schema),
    the run succeeds and keeps every expired visit."""
    from retention import page_purge

    expired = _visit(_sure_cutoff() - datetime.timedelta(days=400))  # the default one
    queryset = m.WebsiteVisit.objects.filter(visited_at__lte=_sure_cutoff())
    done = page_purge.delete_by_pages(queryset, 50_000, lambda deleted: None)
    assert not done or not m.WebsiteVisit.objects.filter(pk=expired.pk).exists()


def test_a_day_not_dropped_is_deleted_by_pages_with_the_rest(monkeypatch):
    """A drop that did not happen (its lock not had in time) leaves the day's visits to
    the deletes by pages of the same run: none outlives its limit."""
    cutoff = _sure_cutoff()
    old_day = (cutoff - datetime.timedelta(days=5)).date()
    vp.partitions_ensure(old_day, old_day)
    old = _visit(utc(old_day.year, old_day.month, old_day.day, 9))
    fresh = _visit(NOW - datetime.timedelta(hours=1))
    monkeypatch.setattr(vp, "expired_partitions_drop", lambda *args, **kwargs: None)
    run = apply_at(NOW, "ip-4w")
    assert run.outcome == "success" and run.rows_affected == {LABEL: 1}
    assert old_day in vp.day_partitions()  # not dropped, emptied
    assert set(m.WebsiteVisit.objects.values_list("pk", flat=True)) == {fresh.pk}
    assert not m.WebsiteVisit.objects.filter(pk=old.pk).exists()
