"""When a retention limit passes, and which clocks have run out by a given moment.

The conventions, in Europe/Amsterdam (the project's ``TIME_ZONE``):

- A **datetime clock** (a visit, an unsubscribe, a brochure request) counts days and
  weeks as elapsed time: "4 weeks" is 672 hours, also across a change to or from
  summer time, so a row is never kept longer than the limit. Months and years are
  calendar months in Amsterdam: the same wall-clock time 3 months later, on the last
  day of the month when that month is shorter.
- A **date clock** (the day a trajectory ends, an invoice date, an evaluation date)
  stands for a whole day in Amsterdam. The period runs *through* the day the rule's
  arithmetic gives and the limit passes when that day ends, at midnight in Amsterdam.
  "At the end of the trajectory" (limit 0, clock ``ended_on``) therefore means: when
  the trajectory's last day, ``ended_on``, is over.
- **End of the book year** (fiscal-7y): the clock moves to 31 December of its year (the
  year in Amsterdam for a datetime); the limit passes when 31 December seven years
  later is over, i.e. on 1 January 00:00 of year + 8.

A job that runs every N hours handles every row whose limit passes before its *horizon*,
now + N hours, so no row outlives its limit waiting for the next run.
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

if TYPE_CHECKING:
    from retention.models import RetentionRule

# Months and years are clamped to the month's end (31 Jan + 1 month = 28 Feb), so a few
# clocks just after the plain subtraction can have run out too: they are checked one by
# one. Three days covers the clamping, two hours a change of summer time.
_CLAMP_BAND = datetime.timedelta(days=3)
_DST_SLACK = datetime.timedelta(hours=2)


def _is_elapsed_unit(rule: RetentionRule) -> bool:
    return rule.limit_unit in ("days", "weeks")


def _local(moment: datetime.datetime) -> datetime.datetime:
    """``moment`` in Amsterdam (the default time zone, whatever a request activated)."""
    return timezone.localtime(moment, timezone.get_default_timezone())


def _aware(wall: datetime.datetime) -> datetime.datetime:
    return timezone.make_aware(wall, timezone.get_default_timezone())


def local_midnight(day: datetime.date) -> datetime.datetime:
    """The start of ``day`` in Amsterdam, as an aware datetime."""
    return _aware(datetime.datetime.combine(day, datetime.time.min))


def _plus_limit(rule: RetentionRule, clock: datetime.datetime) -> datetime.datetime:
    if _is_elapsed_unit(rule):
        return clock + datetime.timedelta(**{rule.limit_unit: rule.limit_value})
    wall = _local(clock).replace(tzinfo=None) + rule.limit
    return _aware(wall)


def limit_passes_at(
    rule: RetentionRule, clock: datetime.date | datetime.datetime
) -> datetime.datetime:
    """The moment a row whose clock started at ``clock`` must be gone."""
    if isinstance(clock, datetime.datetime):
        if rule.clock_anchor != rule.Anchor.END_OF_BOOK_YEAR:
            return _plus_limit(rule, clock)
        clock = _local(clock).date()
    last_day = rule.expiry(clock)
    assert isinstance(last_day, datetime.date)
    return local_midnight(last_day + datetime.timedelta(days=1))


@dataclasses.dataclass(frozen=True)
class ClockCutoff:
    """Which clock values have run out by a horizon.

    Every clock ``<= sure`` (``< sure`` when ``strict``) has run out; clocks after
    ``sure`` up to ``band_end`` may have, and are checked with ``limit_passes_at``."""

    sure: datetime.date | datetime.datetime
    strict: bool = False
    band_end: datetime.date | datetime.datetime | None = None


def _last_day_cutoff(horizon: datetime.datetime) -> datetime.date:
    """The last "last day" whose end lies at or before ``horizon``."""
    return _local(horizon).date() - datetime.timedelta(days=1)


def clock_cutoff(rule: RetentionRule, *, horizon: datetime.datetime, is_date: bool) -> ClockCutoff:
    """The clock values whose limit passes at or before ``horizon``."""
    last_day = _last_day_cutoff(horizon)
    if rule.clock_anchor == rule.Anchor.END_OF_BOOK_YEAR:
        year = last_day.year
        while rule.expiry(datetime.date(year, 12, 31)) > last_day:
            year -= 1
        if is_date:
            return ClockCutoff(sure=datetime.date(year, 12, 31))
        return ClockCutoff(sure=local_midnight(datetime.date(year + 1, 1, 1)), strict=True)
    if is_date:
        if _is_elapsed_unit(rule):
            return ClockCutoff(
                sure=last_day - datetime.timedelta(**{rule.limit_unit: rule.limit_value})
            )
        sure_day = last_day - rule.limit
        return ClockCutoff(sure=sure_day, band_end=sure_day + _CLAMP_BAND)
    if _is_elapsed_unit(rule):
        return ClockCutoff(sure=horizon - datetime.timedelta(**{rule.limit_unit: rule.limit_value}))
    wall = _local(horizon).replace(tzinfo=None) - rule.limit
    sure = _aware(wall) - _DST_SLACK
    return ClockCutoff(sure=sure, band_end=sure + _CLAMP_BAND + 2 * _DST_SLACK)
