"""The IP purge (rule ip-4w) deletes the expired website visits in batches of at most the
batch size, with a number of queries bounded by the number of batches, never by the
number of rows; on PostgreSQL by ranges of table pages (``retention.page_purge``)."""

from __future__ import annotations

import datetime
import random
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from retention import page_purge, services, visit_partitions
from subjects import models as m
from tests.retention.conftest import apply_at, utc

pytestmark = pytest.mark.django_db

NOW = utc(2026, 6, 1, 12, 0)
FRESH = utc(2026, 5, 30)
LABEL = "subjects.WebsiteVisit"
# At least one page's worth of rows (PostgreSQL holds at most 291 on a page of 8 kB), so
# PostgreSQL deletes by pages; SQLite by key range.
SIZE = 300


def _visits(expired: int, fresh: int) -> set[int]:
    """``expired`` visits of two months ago and ``fresh`` ones of two days ago, mixed
    in the table as a log is after a vacuum; returns the keys of the fresh ones."""
    old = [True] * expired + [False] * fresh
    random.Random(13).shuffle(old)
    m.WebsiteVisit.objects.bulk_create(
        m.WebsiteVisit(ip_address="192.0.2.1", visited_at=utc(2026, 4, 1) if o else FRESH)
        for o in old
    )
    return set(m.WebsiteVisit.objects.filter(visited_at=FRESH).values_list("pk", flat=True))


def _purge(size: int):
    """Apply ip-4w; the rows of each batch and the number of queries."""
    batches: list[int] = []
    add = services._Progress.add

    def counted(progress, counts):
        batches.append(counts.get(LABEL, 0))
        add(progress, counts)

    with (
        mock.patch.object(services._Progress, "add", counted),
        CaptureQueriesContext(connection) as queries,
    ):
        run = apply_at(NOW, "ip-4w", batch_size=size)
    return run, batches, queries


@pytest.mark.parametrize("expired", [10, 1000])
def test_every_batch_holds_at_most_the_batch_size_and_only_expired_visits_go(expired):
    fresh = _visits(expired, 100)
    run, batches, _ = _purge(SIZE)
    assert run.outcome == "success"
    assert run.rows_affected == {LABEL: expired} and run.total_rows == expired
    assert sum(batches) == expired
    assert max(batches) <= SIZE
    assert set(m.WebsiteVisit.objects.values_list("pk", flat=True)) == fresh


def _most_batches(rows: int) -> int:
    """Batches of SIZE the purge may take over the table as it is: key ranges of SIZE
    keys, or on PostgreSQL ranges of whole pages (every page of the table is read)."""
    if connection.vendor != "postgresql":
        return -(-rows // SIZE) + 1
    tables = [m.WebsiteVisit._meta.db_table]
    if visit_partitions.is_partitioned():  # the pages of each partition
        tables = [visit_partitions.DEFAULT, *visit_partitions.day_partitions().values()]
    with connection.cursor() as cursor:
        step = SIZE // page_purge.rows_per_page_at_most(cursor, tables[0])
        return sum(page_purge._pages(cursor, table) // step + 1 for table in tables)


def _not_per_batch(queries) -> list[str]:
    per_batch = ("DELETE", "SAVEPOINT", "RELEASE SAVEPOINT")
    return [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(per_batch)]


def test_the_queries_grow_with_the_batches_not_with_the_rows():
    # The coming days' partitions (PostgreSQL) are there, as after any earlier day's run.
    visit_partitions.partitions_ahead_ensure(NOW.date())
    _visits(10, 100)
    small_most = _most_batches(110)
    _, small_batches, small = _purge(SIZE)
    _visits(1000, 100)
    big_most = _most_batches(1100)
    _, big_batches, big = _purge(SIZE)

    assert len(small_batches) <= small_most and len(big_batches) <= big_most
    assert len(big_batches) > len(small_batches)
    # One DELETE per batch; everything else costs the same at 10 and at 1,000 expired
    # rows: nothing per row.
    for batches, queries in ((small_batches, small), (big_batches, big)):
        deletes = [q for q in queries.captured_queries if q["sql"].startswith("DELETE")]
        assert len(deletes) == len(batches)
    assert len(_not_per_batch(big)) == len(_not_per_batch(small)), _not_per_batch(big)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pages are PostgreSQL's")
def test_postgresql_deletes_by_ranges_of_pages_one_statement_each():
    _visits(1000, 100)
    _, batches, queries = _purge(SIZE)
    deletes = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("DELETE")]
    assert len(deletes) == len(batches) and all("ctid" in sql for sql in deletes)
    assert not any("MAX(" in q["sql"] for q in queries.captured_queries), "no walk to the top key"
    assert max(batches) <= SIZE


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pages are PostgreSQL's")
def test_a_batch_smaller_than_a_page_can_hold_goes_by_key_range_and_stays_that_small():
    _visits(100, 10)
    _, batches, queries = _purge(40)
    assert not any("ctid" in q["sql"] for q in queries.captured_queries)
    assert sum(batches) == 100 and max(batches) <= 40


def test_an_idle_run_reads_no_page_and_deletes_nothing():
    fresh = _visits(0, 50)
    run, batches, queries = _purge(SIZE)
    assert run.total_rows == 0 and sum(batches) == 0
    assert not any(q["sql"].startswith("DELETE") for q in queries.captured_queries)
    assert set(m.WebsiteVisit.objects.values_list("pk", flat=True)) == fresh


def test_a_visit_exactly_at_the_limit_goes_and_one_a_second_younger_stays():
    horizon = NOW + datetime.timedelta(hours=1)  # ip-4w looks ahead to its next hourly run
    limit = horizon - datetime.timedelta(weeks=4)
    m.WebsiteVisit.objects.bulk_create(
        [
            m.WebsiteVisit(visited_at=limit),
            m.WebsiteVisit(visited_at=limit + datetime.timedelta(seconds=1)),
        ]
        + [m.WebsiteVisit(visited_at=limit - datetime.timedelta(days=3)) for _ in range(400)]
    )
    run, _, _ = _purge(SIZE)
    assert run.total_rows == 401
    assert list(m.WebsiteVisit.objects.values_list("visited_at", flat=True)) == [
        limit + datetime.timedelta(seconds=1)
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pages are PostgreSQL's")
def test_no_page_holds_more_rows_than_the_bound_the_batches_rely_on():
    # The smallest rows a website visit can have: no IP address, empty texts.
    m.WebsiteVisit.objects.bulk_create(
        m.WebsiteVisit(ip_address=None, operating_system="", browser="", path="", visited_at=FRESH)
        for _ in range(1000)
    )
    table = connection.ops.quote_name(m.WebsiteVisit._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT max(n) FROM (SELECT count(*) AS n FROM {table} "
            "GROUP BY (ctid::text::point)[0]) AS pages"
        )
        fullest = cursor.fetchone()[0]
        assert fullest == page_purge.rows_per_page_at_most(cursor, table) == 157
