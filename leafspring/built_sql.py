"""Queries whose SQL is built once per process, for the reads every staff page makes:
a queryset of a dozen subqueries costs more to build than the database takes to run it.

``built_sql(key, build, values)`` calls ``build`` once per ``key`` (and database) with a
marker in place of each value that changes from call to call (a day or a moment in 1901,
which no query holds otherwise), keeps the SQL and where each marker went, and puts the
values of each call in their place, adapted for the database as Django would."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Hashable, Mapping
from typing import Any

from django.db import connection
from django.db.models import QuerySet

_BUILT: dict[tuple[Any, ...], tuple[str, tuple[Any, ...], list[tuple[int, str, bool]]]] = {}


def _marker(value: Any, number: int) -> Any:
    if isinstance(value, datetime.datetime):
        return datetime.datetime(1901, 1, 1, 0, 0, number, tzinfo=datetime.UTC)
    if isinstance(value, datetime.date):
        return datetime.date(1901, 1, 1 + number)
    raise TypeError(f"no marker for {type(value).__name__}")


def _adapted(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return connection.ops.adapt_datefield_value(value)


def built_sql(
    key: Hashable, build: Callable[..., QuerySet[Any]], values: Mapping[str, Any]
) -> tuple[str, list[Any]]:
    """The SQL of ``build(**values)`` and its parameters, the SQL built once per ``key``.
    ``values``: days and moments only, each given to ``build`` by name; ``build`` may
    use them only as values of lookups (not to compute other values)."""
    full_key = (connection.alias, connection.vendor, key, tuple(sorted(values)))
    built = _BUILT.get(full_key)
    if built is None:
        markers = {name: _marker(v, n + 1) for n, (name, v) in enumerate(sorted(values.items()))}
        sql, params = build(**markers).query.sql_with_params()
        places = []
        for i, param in enumerate(params):
            for name, marker in markers.items():
                if param == marker:
                    places.append((i, name, False))
                elif param == _adapted(marker):
                    places.append((i, name, True))
        missing = set(markers) - {name for _, name, _ in places}
        if missing:
            raise ValueError(f"{key}: the query does not use {', '.join(sorted(missing))}")
        built = _BUILT[full_key] = (sql, tuple(params), places)
    sql, params, places = built
    filled = list(params)
    for i, name, adapted in places:
        filled[i] = _adapted(values[name]) if adapted else values[name]
    return sql, filled
