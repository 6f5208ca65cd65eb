"""What the dashboard shows of retention over time: rows deleted or anonymised per rule
per week, in one query."""

from __future__ import annotations

import datetime

from django.db.models import Sum
from django.db.models.functions import TruncWeek
from django.utils import timezone

from retention.models import RetentionRule, RetentionRun

REMOVING_ACTIONS = (RetentionRule.Action.DELETE, RetentionRule.Action.ANONYMISE)


def removals_per_rule_per_week(*, since: datetime.datetime) -> dict[int, dict[datetime.date, int]]:
    """{rule id: {Monday of the week: rows deleted or anonymised}} for the rules that
    delete or anonymise, from runs started since ``since``."""
    rows = (
        RetentionRun.objects.filter(
            started_at__gte=since, rule__action__in=REMOVING_ACTIONS, total_rows__gt=0
        )
        .annotate(week=TruncWeek("started_at"))
        .values("rule_id", "week")
        .annotate(n=Sum("total_rows"))
        .order_by()
    )
    result: dict[int, dict[datetime.date, int]] = {}
    for row in rows:
        week = row["week"]
        if isinstance(week, datetime.datetime):
            week = timezone.localtime(week).date() if timezone.is_aware(week) else week.date()
        result.setdefault(row["rule_id"], {})[week] = row["n"] or 0
    return result
