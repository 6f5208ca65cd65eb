"""Bar charts drawn on the server as inline SVG: nothing loaded from another host, no
script, and no style attribute (the CSP forbids both); the bars take their colour from
a class in ``static/css/leafspring.css``."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable, Mapping

from django.utils.formats import date_format

WIDTH = 600
HEIGHT = 120
LABEL_SPACE = 16


@dataclasses.dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: int


@dataclasses.dataclass(frozen=True)
class BarChart:
    title: str
    bars: list[Bar]
    maximum: int
    total: int
    first_label: str
    last_label: str
    width: int = WIDTH
    height: int = HEIGHT
    plot_height: int = HEIGHT - LABEL_SPACE


def bar_chart(title: str, points: Iterable[tuple[str, int]]) -> BarChart:
    """Bars for ``points`` (label, value) in order, scaled to the highest value."""
    points = list(points)
    maximum = max((v for _, v in points), default=0)
    plot = HEIGHT - LABEL_SPACE
    slot = WIDTH / max(len(points), 1)
    bars = []
    for i, (label, value) in enumerate(points):
        h = round(plot * value / maximum, 1) if maximum else 0
        bars.append(
            Bar(
                x=round(i * slot + slot * 0.1, 1),
                y=round(plot - h, 1),
                width=round(slot * 0.8, 1),
                height=h,
                label=label,
                value=value,
            )
        )
    return BarChart(
        title=title,
        bars=bars,
        maximum=maximum,
        total=sum(v for _, v in points),
        first_label=points[0][0] if points else "",
        last_label=points[-1][0] if points else "",
    )


def last_months(today: datetime.date, count: int = 12) -> list[datetime.date]:
    """The first days of the ``count`` months up to and including today's."""
    year, month = today.year, today.month
    months = []
    for _ in range(count):
        months.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def last_weeks(today: datetime.date, count: int = 52) -> list[datetime.date]:
    """The Mondays of the ``count`` weeks up to and including today's."""
    monday = today - datetime.timedelta(days=today.weekday())
    return [monday - datetime.timedelta(weeks=n) for n in range(count - 1, -1, -1)]


def monthly_chart(title: str, per_month: Mapping[datetime.date, int], today: datetime.date):
    return bar_chart(
        title,
        ((date_format(m, "N Y"), per_month.get(m, 0)) for m in last_months(today)),
    )


def weekly_chart(title: str, per_week: Mapping[datetime.date, int], today: datetime.date):
    return bar_chart(
        title,
        ((date_format(w, "j N Y"), per_week.get(w, 0)) for w in last_weeks(today)),
    )
