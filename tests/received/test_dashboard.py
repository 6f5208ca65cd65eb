"""The dashboard's counts by right and status, consents of the last 30 days and its
charts of the last year (inline SVG, no script, no style attribute), in a fixed number
of queries at two data sizes."""

from __future__ import annotations

import datetime
import re
from unittest.mock import patch

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from requests_dsar.models import DsarRequest, RequestsStamp, RequestType, Status
from retention.models import RetentionRule, RetentionRun
from tests.factories import ConsentFactory

pytestmark = pytest.mark.django_db
# Noon tomorrow: after the register's consent wordings were published (by the migrations,
# at the real time of the test run, which may be minutes after this module was imported),
# whatever the time of day the tests run.
NOW = (datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1)).replace(
    hour=12, minute=0, second=0, microsecond=0
)


def _requests(n: int, *, start: int = 0) -> None:
    rights = ["access", "erasure", "objection"]
    statuses = ["new", "in-progress", "extended", "completed"]
    for i in range(start, start + n):
        received = NOW - datetime.timedelta(days=(i * 11) % 360)
        DsarRequest.objects.create(
            reference=f"R-{i:05d}",
            request_type=rights[i % 3],
            status=statuses[i % 4],
            name="Test Persoon",
            email=f"p{i}@example.nl",
            created_at=received,
            received_at=received,
            due_on=timezone.localdate(received) + datetime.timedelta(days=28),
        )


def _runs(n: int) -> None:
    rules = list(RetentionRule.objects.filter(action__in=["delete", "anonymise"])[:3])
    for i in range(n):
        RetentionRun.objects.create(
            rule=rules[i % len(rules)],
            started_at=NOW - datetime.timedelta(days=(i * 5) % 350),
            outcome="success",
            total_rows=i + 1,
        )


def _consents(n: int) -> None:
    for i in range(n):
        consent = ConsentFactory()
        if i % 2:
            consent.withdrawn_at = NOW - datetime.timedelta(days=3)
            consent.save(update_fields=["withdrawn_at"])


def test_the_dashboard_counts_requests_by_right_and_status_and_recent_consents(staff_client):
    with time_machine.travel(NOW, tick=False):
        _requests(12)
        old = ConsentFactory()
        old.given_at = NOW - datetime.timedelta(days=31)
        old.save(update_fields=["given_at"])
        _consents(4)
        page = staff_client.get(reverse("staff_dashboard"))
    by_right = page.context["requests_by_right"]
    assert by_right["statuses"][0] == str(Status.NEW.label)  # a label, not the code
    access = next(r for r in by_right["rows"] if r["label"] == str(RequestType.ACCESS.label))
    # i = 0, 3, 6, 9: statuses new, extended, in-progress, completed (not open).
    assert access["cells"] == [1, 1, 0, 1] and access["total"] == 3
    assert by_right["total"] == 9
    assert page.context["consents"] == {"given": 4, "withdrawn": 2}
    html = page.content.decode()
    assert 'id="requests-by-right"' in html and 'id="consents-recent"' in html


def _removal_charts(html: str) -> list[list[int]]:
    """The weekly removal charts as drawn: the value of every bar, per chart."""
    section = html.split('id="chart-removals"', 1)[1].split('<div class="row', 1)[0]
    return [
        [int(v) for v in re.findall(r"<title>[^<]*: (\d+)</title>", svg)]
        for svg in re.findall(r"<svg.*?</svg>", section, re.S)
    ]


def test_the_charts_cover_the_last_year_as_inline_svg(staff_client):
    with time_machine.travel(NOW, tick=False):
        _requests(20)
        _runs(10)
        page = staff_client.get(reverse("staff_dashboard"))
    chart = page.context["requests_chart"]
    assert len(chart.bars) == 12
    assert chart.bars[-1].label.endswith(str(NOW.year))
    # Unconfirmed form requests do not count; all 20 here were received within a year.
    assert chart.total == 20
    html = page.content.decode()
    removal = _removal_charts(html)
    assert removal and all(len(c) == 52 for c in removal)
    assert sum(sum(c) for c in removal) == sum(range(1, 11))
    svg = re.findall(r"<svg.*?</svg>", html, re.S)
    assert len(svg) == 1 + len(removal)
    assert not re.search(r"\sstyle=", "".join(svg))
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)  # no inline script
    assert 'fill="#198754"' in svg[0]
    # Coordinates are numbers with a dot, also in Dutch.
    assert not re.search(r'(x|y|width|height)="\d+,\d', "".join(svg))


def test_the_dashboard_costs_the_same_number_of_queries_at_two_sizes(staff_client):
    url = reverse("staff_dashboard")
    with time_machine.travel(NOW, tick=False):
        _requests(5)
        _runs(3)
        _consents(2)
        staff_client.get(url)  # draws the charts and words the statement: kept after
        with CaptureQueriesContext(connection) as few:
            assert staff_client.get(url).status_code == 200
        DsarRequest.objects.filter(reference="R-00000").update(name="Ander")
        with CaptureQueriesContext(connection) as few_counted:  # a request changed
            staff_client.get(url)
        _requests(200, start=5)
        _runs(60)
        _consents(20)
        staff_client.get(url)
        with CaptureQueriesContext(connection) as many:
            assert staff_client.get(url).status_code == 200
        DsarRequest.objects.filter(reference="R-00000").update(name="Weer ander")
        with CaptureQueriesContext(connection) as many_counted:
            staff_client.get(url)
    assert len(few) == len(many)
    assert len(few_counted) == len(many_counted)


def test_the_drawn_removal_charts_are_reused_and_follow_every_new_run(staff_client):
    url = reverse("staff_dashboard")
    with time_machine.travel(NOW, tick=False):
        _runs(3)
        first = _removal_charts(staff_client.get(url).content.decode())
        with patch("leafspring.views.weekly_chart", side_effect=AssertionError("drawn again")):
            again = _removal_charts(staff_client.get(url).content.decode())
        assert again == first
        rule = RetentionRule.objects.filter(action__in=["delete", "anonymise"]).first()
        RetentionRun.objects.create(rule=rule, started_at=NOW, outcome="success", total_rows=7)
        after = _removal_charts(staff_client.get(url).content.decode())
    assert sum(map(sum, after)) == sum(map(sum, first)) + 7
    with time_machine.travel(NOW, tick=False):
        RetentionRun.objects.filter(total_rows=7).delete()
        page = staff_client.get(url).content.decode()
    assert sum(map(sum, _removal_charts(page))) == sum(map(sum, first))


def _stamp() -> str:
    from requests_dsar.stamp import stamp_read

    return stamp_read(connection)[0]


# The stamp is renewed at commit on PostgreSQL: these tests commit (a transactional test,
# the database restored afterwards), as production does.
committing = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("database_restored_afterwards"),
]


@committing[0]
@committing[1]
def test_every_change_to_a_request_renews_the_stamp_however_it_is_made():
    with time_machine.travel(NOW, tick=False):
        _requests(2)
    seen = [_stamp()]
    request = DsarRequest.objects.first()
    list(DsarRequest.objects.all())  # reading changes nothing
    assert _stamp() == seen[-1]
    request.status = Status.IN_PROGRESS
    request.save(update_fields=["status"])  # a save
    assert _stamp() not in seen
    seen.append(_stamp())
    DsarRequest.objects.filter(pk=request.pk).update(status=Status.EXTENDED)  # no signal
    assert _stamp() not in seen
    seen.append(_stamp())
    with connection.cursor() as cursor:  # raw SQL
        cursor.execute(
            f"UPDATE {DsarRequest._meta.db_table} SET due_on = due_on WHERE id = %s", [request.pk]
        )
    assert _stamp() not in seen
    seen.append(_stamp())
    DsarRequest.objects.filter(pk=request.pk).delete()
    assert _stamp() not in seen


@pytest.mark.skipif(connection.vendor != "postgresql", reason="set at commit on PostgreSQL")
def test_a_transaction_that_changed_requests_counts_them_itself(staff_client):
    """Its changes are under no stamp until it commits: neither read from the cache nor
    kept there."""
    from requests_dsar.stamp import stamp_read

    url = reverse("staff_dashboard")
    with time_machine.travel(NOW, tick=False):
        before = stamp_read(connection)
        _requests(4)
        assert stamp_read(connection)[:2] == (before[0], True)
        assert staff_client.get(url).context["requests_summary"]["open"] == 3
        DsarRequest.objects.update(status=Status.NEW)
        assert staff_client.get(url).context["requests_summary"]["open"] == 4


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite rebuilds tables")
def test_triggers_a_table_rebuild_dropped_come_back_after_migrate():
    from requests_dsar.stamp import SQLITE_DROP, triggers_ensure

    with connection.cursor() as cursor:
        for statement in SQLITE_DROP:
            cursor.execute(statement)
    with time_machine.travel(NOW, tick=False):
        _requests(1)
    before = _stamp()
    DsarRequest.objects.update(status=Status.EXTENDED)
    assert _stamp() == before  # no trigger: this is what a rebuild leaves
    triggers_ensure(using="default")
    triggers_ensure(using="default")  # twice: nothing happens where they are
    DsarRequest.objects.update(status=Status.IN_PROGRESS)
    assert _stamp() != before


@committing[0]
@committing[1]
def test_the_counts_are_kept_until_a_request_changes(staff_client):
    url = reverse("staff_dashboard")
    with time_machine.travel(NOW, tick=False):
        _requests(8)
        first = staff_client.get(url).context["requests_summary"]
        with patch(
            "requests_dsar.selectors.open_requests_grouped",
            side_effect=AssertionError("counted again"),
        ):
            assert staff_client.get(url).context["requests_summary"] == first
        # A queryset update sends no signal; the trigger still renews the stamp.
        DsarRequest.objects.filter(status__in=["new", "in-progress", "extended"]).update(
            status=Status.COMPLETED
        )
        page = staff_client.get(url)
    assert first["open"] > 0
    assert page.context["requests_summary"]["open"] == 0
    assert page.context["requests_chart"].total == 8  # completed requests still count


@committing[0]
@committing[1]
def test_the_counts_follow_the_day_at_midnight(staff_client):
    """Kept counts are of one day: a request due today is overdue from the next day."""
    url = reverse("staff_dashboard")
    with time_machine.travel(NOW, tick=False):
        DsarRequest.objects.create(
            reference="R-DUE",
            request_type="access",
            status=Status.IN_PROGRESS,
            name="Test Persoon",
            email="due@example.nl",
            received_at=NOW - datetime.timedelta(days=28),
            due_on=timezone.localdate(NOW),
        )
        assert staff_client.get(url).context["requests_summary"]["overdue"] == 0
    end_of_day = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(NOW), datetime.time(23, 59, 59))
    )
    with time_machine.travel(end_of_day, tick=False):
        assert staff_client.get(url).context["requests_summary"]["overdue"] == 0
    with time_machine.travel(end_of_day + datetime.timedelta(seconds=1), tick=False):
        assert staff_client.get(url).context["requests_summary"]["overdue"] == 1


@committing[0]
@committing[1]
def test_counts_are_not_kept_when_a_request_changed_while_counting(staff_client):
    """The stamp read after counting differs from the one before: the counts may be of
    neither, so they are not kept and the next view counts again."""
    from requests_dsar import selectors

    url = reverse("staff_dashboard")
    counting = selectors.open_requests_grouped
    changed = []

    def count_while_a_request_changes(**kwargs):
        result = counting(**kwargs)
        if not changed:
            DsarRequest.objects.update(status=Status.IN_PROGRESS)
            changed.append(True)
        return result

    with time_machine.travel(NOW, tick=False):
        _requests(4)  # one of the four is completed
        with patch.object(selectors, "open_requests_grouped", count_while_a_request_changes):
            assert staff_client.get(url).context["requests_summary"]["open"] == 3
        assert staff_client.get(url).context["requests_summary"]["open"] == 4


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a row per connection")
def test_the_rows_of_connections_gone_are_pruned_into_a_stamp_never_seen():
    from requests_dsar.selectors import STAMPS_KEPT
    from requests_dsar.stamp import stamp_read

    RequestsStamp.objects.bulk_create(
        RequestsStamp(id=4_000_000 + n, token=f"{n:032d}") for n in range(STAMPS_KEPT + 1)
    )
    seen, _, rows = stamp_read(connection)
    assert rows > STAMPS_KEPT
    with time_machine.travel(NOW, tick=False):
        _requests(1)
    # The dashboard prunes first: only rows of connections alive are left, one of them
    # this connection's with a new token.
    from requests_dsar.selectors import request_counts

    request_counts(today=NOW.date(), due_soon_days=7, since=NOW)
    stamp, _, rows = stamp_read(connection)
    assert rows <= 2 and stamp != seen
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert RequestsStamp.objects.filter(pk=cursor.fetchone()[0]).exists()
