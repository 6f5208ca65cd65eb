"""Queries whose SQL is built once per process, for the reads every staff page makes:
a queryset of a dozen subqueries costs more to build than the database takes to run it.

``built_sql(key, build, values)`` calls ``build`` once per ``key`` (and database) with a
marker in place of each value that changes from call to call (a day or a moment in 1901,
a key below minus seven million: values no query holds otherwise), keeps the SQL and
where each marker went, and puts the values of each call in their place, adapted for
the database as Django would. ``build`` returns a queryset, or SQL and its parameters
(a query made of several querysets)."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Hashable, Mapping
from typing import Any

from django.db import connection
from django.db.models import QuerySet

_BUILT: dict[tuple[Any, ...], tuple[str, tuple[Any, ...], list[tuple[int, str, bool]]]] = {}


def _marker(value: Any, number: int) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return -7_654_321 - number
    if isinstance(value, datetime.datetime):
        return datetime.datetime(1901, 1, 1, 0, number // 60, number % 60, tzinfo=datetime.UTC)
    if isinstance(value, datetime.date):
        return datetime.date(1901, 1, 1) + datetime.timedelta(days=number)
    raise TypeError(f"no marker for {type(value).__name__}")


def _adapted(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, datetime.date):
        return connection.ops.adapt_datefield_value(value)
    return value


def _sql_of(built: QuerySet[Any] | tuple[str, Any]) -> tuple[str, tuple[Any, ...]]:
    if isinstance(built, QuerySet):
        sql, params = built.query.sql_with_params()
    else:
        sql, params = built
    return sql, tuple(params)


Build = Callable[..., "QuerySet[Any] | tuple[str, Any]"]


def _build(
    key: Hashable, build: Build, values: Mapping[str, Any]
) -> tuple[str, tuple[Any, ...], list[tuple[int, str, bool]]]:
    """(SQL, parameters, where each value goes), from two builds with other markers: the
    parameters must differ exactly where a marker was found, or a value was used for
    something else than a lookup (a day turned into a moment, say), which the SQL would
    then keep as it was in 1901."""
    names = sorted(values)
    builds = []
    for first in (1, 40):
        markers = {name: _marker(values[name], first + n) for n, name in enumerate(names)}
        sql, params = _sql_of(build(**markers))
        places = []
        for i, param in enumerate(params):
            for name, marker in markers.items():
                if param == marker:
                    places.append((i, name, False))
                elif param == _adapted(marker) != marker:
                    places.append((i, name, True))
        builds.append((sql, params, places))
    (sql, params, places), (other_sql, other_params, other_places) = builds
    missing = set(names) - {name for _, name, _ in places}
    if missing:
        raise ValueError(f"{key}: the query does not use {', '.join(sorted(missing))}")
    differing = {i for i, (a, b) in enumerate(zip(params, other_params, strict=True)) if a != b}
    if sql != other_sql or places != other_places or differing != {i for i, _, _ in places}:
        raise ValueError(f"{key}: a value is used for something else than a lookup")
    return sql, params, places


def built_sql(key: Hashable, build: Build, values: Mapping[str, Any]) -> tuple[str, list[Any]]:
    """The SQL of ``build(**values)`` and its parameters, the SQL built once per ``key``.
    ``values``: days, moments and keys, each given to ``build`` by name; ``build`` may
    use them only as values of lookups (not to compute other values)."""
    full_key = (connection.alias, connection.vendor, key, tuple(sorted(values)))
    built = _BUILT.get(full_key)
    if built is None:
        built = _BUILT[full_key] = _build(key, build, values)
    sql, params, places = built
    filled = list(params)
    for i, name, adapted in places:
        filled[i] = _adapted(values[name]) if adapted else values[name]
    return sql, filled
