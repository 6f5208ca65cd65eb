"""The query cut-off agrees with the definition of a limit, for any clock and any moment:
a clock is selected exactly when its limit passes at or before the horizon. So no row
outlives its limit and none goes early, month ends, leap days and summer time included."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retention.clock import clock_cutoff, limit_passes_at
from retention.models import RetentionRule

UTC = datetime.UTC
RULES = [
    RetentionRule(key="w", limit_value=4, limit_unit="weeks"),
    RetentionRule(key="m", limit_value=3, limit_unit="months"),
    RetentionRule(key="y", limit_value=5, limit_unit="years"),
    RetentionRule(key="d", limit_value=0, limit_unit="days"),
    RetentionRule(key="f", limit_value=7, limit_unit="years", clock_anchor="end-of-book-year"),
]
AMS = ZoneInfo("Europe/Amsterdam")
any_moment = st.datetimes(
    min_value=datetime.datetime(2015, 1, 1),
    max_value=datetime.datetime(2035, 1, 1),
    timezones=st.just(UTC),
)
# The last days of a month (where months clamp) and the nights summer time changes.
month_end = st.builds(
    lambda year, month, day, minute: (
        datetime.datetime(year, month, 1, tzinfo=AMS)
        + datetime.timedelta(days=31)
        - datetime.timedelta(days=datetime.datetime(year, month, 1).day + day)
        + datetime.timedelta(minutes=minute)
    ).astimezone(UTC),
    st.integers(2015, 2034),
    st.integers(1, 12),
    st.integers(0, 6),
    st.integers(0, 24 * 60 - 1),
)
moments = st.one_of(any_moment, month_end)
# The horizon lands near the limit: a few days either side, to the second.
near = st.integers(-4 * 24 * 3600, 4 * 24 * 3600)


def _selected(rule, clock, horizon, is_date) -> bool:
    cutoff = clock_cutoff(rule, horizon=horizon, is_date=is_date)
    if clock < cutoff.sure or (clock == cutoff.sure and not cutoff.strict):
        return True
    if cutoff.band_end is not None and cutoff.sure < clock <= cutoff.band_end:
        return limit_passes_at(rule, clock) <= horizon
    return False


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rule=st.sampled_from(RULES), clock=moments, offset=near)
def test_a_datetime_clock_is_selected_exactly_when_its_limit_has_passed(rule, clock, offset):
    horizon = limit_passes_at(rule, clock) + datetime.timedelta(seconds=offset)
    expected = limit_passes_at(rule, clock) <= horizon
    assert _selected(rule, clock, horizon, is_date=False) == expected


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rule=st.sampled_from(RULES), clock=moments, offset=near)
def test_a_date_clock_is_selected_exactly_when_its_last_day_is_over(rule, clock, offset):
    day = clock.astimezone(AMS).date()
    horizon = limit_passes_at(rule, day) + datetime.timedelta(seconds=offset)
    expected = limit_passes_at(rule, day) <= horizon
    assert _selected(rule, day, horizon, is_date=True) == expected


def test_the_limit_of_a_date_is_midnight_in_amsterdam_after_its_last_day():
    rule = RULES[3]
    passes = limit_passes_at(rule, datetime.date(2026, 6, 10))
    assert passes == datetime.datetime(2026, 6, 10, 22, 0, tzinfo=UTC)  # 11 June 00:00 CEST
