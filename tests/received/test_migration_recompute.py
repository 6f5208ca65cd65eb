"""The migration to one rule: open requests get the due date counted from their receipt
(even when that makes them overdue); closed ones keep the dates they were handled by."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from requests_dsar.models import DsarRequest, RequestEvent
from requests_dsar.services.due import due_dates_recompute, extension_months_of

AMS = ZoneInfo("Europe/Amsterdam")
pytestmark = pytest.mark.django_db


def _old_style(ref: str, status: str, submitted: datetime.datetime, verified_days: int, **kw):
    verified = submitted + datetime.timedelta(days=verified_days)
    due = verified.date() + datetime.timedelta(days=28)
    return DsarRequest.objects.create(
        reference=ref,
        request_type="access",
        status=status,
        name="Sanne de Vries",
        email="sanne@example.nl",
        created_at=submitted,
        received_at=submitted,
        verified_at=verified,
        original_due_on=due,
        due_on=kw.pop("due_on", due),
        **kw,
    )


def test_open_requests_are_set_by_the_rule_and_the_trail_says_so():
    submitted = datetime.datetime(2026, 3, 2, 10, tzinfo=AMS)
    late = _old_style("V-LATE", "in-progress", submitted, 2)
    extended = _old_style(
        "V-EXT",
        "extended",
        submitted,
        1,
        due_on=datetime.date(2026, 3, 31) + datetime.timedelta(days=61),
    )
    closed = _old_style("V-DONE", "completed", submitted, 2)
    right = _old_style("V-OK", "new", submitted, 0)
    with time_machine.travel(datetime.datetime(2026, 3, 30, 12, tzinfo=AMS), tick=False):
        assert due_dates_recompute(DsarRequest, RequestEvent) == 2
        for r in (late, extended, closed, right):
            r.refresh_from_db()
        assert late.due_on == late.original_due_on == datetime.date(2026, 3, 30)
        assert extended.original_due_on == datetime.date(2026, 3, 30)
        assert extended.extension_months == 2
        assert extended.due_on == datetime.date(2026, 5, 30)
        assert closed.due_on == datetime.date(2026, 4, 1)  # untouched
        assert right.due_on == datetime.date(2026, 3, 30)
    # The law's date is the date: the day after, the request shows as overdue.
    with time_machine.travel(datetime.datetime(2026, 3, 31, 9, tzinfo=AMS), tick=False):
        assert late.is_overdue
    event = RequestEvent.objects.get(request=late, action="due-date-recomputed")
    assert event.params == {"old_on": "2026-04-01", "new_on": "2026-03-30"}
    assert "1 april 2026" in event.what and "30 maart 2026" in event.what
    assert not RequestEvent.objects.filter(request=right).exists()
    # Running it again changes nothing.
    assert due_dates_recompute(DsarRequest, RequestEvent) == 0


@pytest.mark.parametrize(
    ("original", "due", "months"),
    [
        (None, None, 0),
        (datetime.date(2026, 3, 30), datetime.date(2026, 3, 30), 0),
        (datetime.date(2026, 3, 30), datetime.date(2026, 4, 30), 1),
        (datetime.date(2026, 1, 31), datetime.date(2026, 2, 28), 1),
        (datetime.date(2026, 3, 30), datetime.date(2026, 5, 30), 2),
    ],
)
def test_the_months_of_an_extension_are_read_back_from_the_dates(original, due, months):
    assert extension_months_of(original, due) == months
