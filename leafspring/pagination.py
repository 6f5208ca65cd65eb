"""Counting without reading every row of a large table on every page view."""

from __future__ import annotations

import json

from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property

# From this many rows on, an unfiltered list takes PostgreSQL's own estimate of the
# table's size (kept by autovacuum's ANALYZE) instead of counting every row.
ESTIMATE_FROM = 10_000


class EstimatedCountPaginator(Paginator):
    """Counts exactly, except a whole table of ``ESTIMATE_FROM`` rows or more on
    PostgreSQL: then the planner's estimate, and ``estimated`` is true (the page says
    "about"). One query either way. A page past the estimated end is empty rather than
    an error, and pages past it stay reachable when the estimate was low."""

    estimated = False

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        query = getattr(queryset, "query", None)
        if query is None or query.where or query.distinct or query.combinator:
            return super().count
        connection = connections[queryset.db]
        if connection.vendor != "postgresql":
            return super().count
        table = queryset.model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT CASE WHEN c.reltuples >= %s THEN c.reltuples::bigint"
                f" ELSE (SELECT count(*) FROM {connection.ops.quote_name(table)}) END,"
                " c.reltuples >= %s FROM pg_class c WHERE c.oid = %s::regclass",
                [ESTIMATE_FROM, ESTIMATE_FROM, table],
            )
            total, self.estimated = cursor.fetchone()
        return int(total)

    def validate_number(self, number: object) -> int:
        if not self.estimated:
            return super().validate_number(number)
        try:
            return max(1, int(number))  # type: ignore[call-overload]
        except (TypeError, ValueError):
            return super().validate_number(number)

    def page(self, number: object) -> Page:
        """A page of the list; with an estimated count, its rows are not cut at the
        estimate (Django's own ``page`` does), so the people past a low estimate (after
        a bulk import, before the next ANALYZE) are still on the pages after it."""
        if not self.estimated:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return self._get_page(self.object_list[bottom : bottom + self.per_page], number, self)


def count_up_to(queryset: QuerySet, cap: int) -> tuple[int, bool]:
    """How many rows ``queryset`` has: exact while at most ``cap`` (reading no more than
    ``cap + 1`` of them), above it PostgreSQL's estimate, and whether it is one (the page
    then says "about"). On PostgreSQL two queries whatever the count (the count and the
    planner's estimate); elsewhere an exact count."""
    queryset = queryset.order_by()
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return queryset.count(), False
    counted = queryset[: cap + 1].count()
    sql, params = queryset.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if counted <= cap:
        return counted, False
    if isinstance(plan, str):
        plan = json.loads(plan)
    return max(int(plan[0]["Plan"]["Plan Rows"]), counted), True
