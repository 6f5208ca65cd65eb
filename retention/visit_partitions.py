"""The website visits in daily partitions, on PostgreSQL (issue 13): a day whose every
visit is past the limit of rule ip-4w is dropped whole, which costs a fraction of
deleting its rows; the visits of the day the limit falls in go in batches as before
(``retention.page_purge``, partition by partition).

The table ``subjects_websitevisit`` is partitioned by range of ``visited_at``, one
partition per day in UTC (``subjects_websitevisit_d20261127``), and a default partition
for any moment without its day (migration 0021 of subjects). The rule's daily run
creates the partitions of the coming days ahead (``partitions_ensure``); a visit of a
day without a partition waits in the default one and moves into the day's partition when
that is created. The primary key is (id, visited_at), as PostgreSQL requires of a
partitioned table; Django knows the key as ``id`` (an identity, unique by itself).

SQLite (``make run``, the tests without PostgreSQL) and a PostgreSQL database not
migrated this way keep the plain table and its batched deletes: every function here
then does nothing."""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Callable
from typing import Any

from django.db import DatabaseError, connections, transaction

PARENT = "subjects_websitevisit"
DEFAULT = f"{PARENT}_default"
DAYS_AHEAD = 7
LOCK_TIMEOUT = "2s"
logger = logging.getLogger(__name__)
_NAME = re.compile(rf"^{PARENT}_d(\d{{8}})$")


def partition_name(day: datetime.date) -> str:
    return f"{PARENT}_d{day:%Y%m%d}"


def _bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.UTC)
    return start, start + datetime.timedelta(days=1)


def is_partitioned(using: str = "default") -> bool:
    connection = connections[using]
    if connection.vendor != "postgresql":
        return False
    return relkind(connection, PARENT) == "p"


def relkind(connection: Any, table: str) -> str | None:
    """The kind of ``table`` as the search path finds it ("r" a table, "p" a
    partitioned one); None where there is no such table."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [table])
        row = cursor.fetchone()
    return row[0] if row else None


def day_partitions(using: str = "default") -> dict[datetime.date, str]:
    """The daily partitions there are, by day: one query."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT child.relname FROM pg_inherits "
            "JOIN pg_class child ON child.oid = pg_inherits.inhrelid "
            "JOIN pg_class parent ON parent.oid = pg_inherits.inhparent "
            "WHERE parent.oid = to_regclass(%s)",
            [PARENT],
        )
        names = [row[0] for row in cursor.fetchall()]
    found = {}
    for name in names:
        match = _NAME.match(name)
        if match:
            found[datetime.datetime.strptime(match.group(1), "%Y%m%d").date()] = name
    return found


def partitions_ensure(first: datetime.date, last: datetime.date, using: str = "default") -> int:
    """The daily partitions from ``first`` to ``last`` (both included), where missing:
    each created in a transaction of its own, with the visits of its day the default
    partition held moved into it. Returns how many were created."""
    if not is_partitioned(using):
        return 0
    there = day_partitions(using)
    created = 0
    day = first
    while day <= last:
        if day not in there:
            try:
                _partition_create(day, using)
            except DatabaseError:
                # A lock not had in time, or a visit of that day committed into the
                # default partition meanwhile: the next run tries again, and the day's
                # visits wait in the default partition, deleted by pages when expired.
                logger.warning("visits: the partition of %s not made now", day, exc_info=True)
            else:
                created += 1
        day += datetime.timedelta(days=1)
    return created


def _partition_create(day: datetime.date, using: str) -> None:
    start, end = _bounds(day)
    name = partition_name(day)
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        # No visit comes in between the look into the default partition and the new
        # partition (inserts wait that long); nor does the site wait long for the lock.
        cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
        cursor.execute(f"LOCK TABLE {PARENT} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(
            f"SELECT EXISTS (SELECT 1 FROM {DEFAULT} WHERE visited_at >= %s AND visited_at < %s)",
            [start, end],
        )
        waiting = cursor.fetchone()[0]
        if waiting:
            # The day's visits leave the default partition first: a partition cannot be
            # created for values the default one holds.
            cursor.execute(f"CREATE TEMPORARY TABLE visits_moving (LIKE {PARENT})")
            cursor.execute(
                f"WITH moved AS (DELETE FROM {DEFAULT} "
                "WHERE visited_at >= %s AND visited_at < %s RETURNING *) "
                "INSERT INTO visits_moving SELECT * FROM moved",
                [start, end],
            )
        cursor.execute(
            f"CREATE TABLE {name} PARTITION OF {PARENT} FOR VALUES FROM (%s) TO (%s)",
            [start, end],
        )
        if waiting:
            cursor.execute(f"INSERT INTO {PARENT} SELECT * FROM visits_moving")
            cursor.execute("DROP TABLE visits_moving")


def partitions_ahead_ensure(today: datetime.date, using: str = "default") -> int:
    """Today's partition and those of the next ``DAYS_AHEAD`` days (the rule's daily
    run; an idle run finds them there: one query)."""
    return partitions_ensure(today, today + datetime.timedelta(days=DAYS_AHEAD), using)


def expired_partitions_drop(
    cutoff: datetime.datetime, on_dropped: Callable[[int], None], using: str = "default"
) -> None:
    """Drop every daily partition whose day ended at or before ``cutoff`` (all its
    visits are past the limit for certain: a visit names no one, so no hold or
    restriction keeps one), each in a transaction of its own, after counting its rows
    for the run's log (``on_dropped``). One not dropped (its lock not had in time) is
    left to the deletes by pages (``partitions_holding_before``)."""
    if not is_partitioned(using):
        return
    connection = connections[using]
    for day, name in sorted(day_partitions(using).items()):
        if _bounds(day)[1] > cutoff:
            continue
        try:
            with transaction.atomic(using=using), connection.cursor() as cursor:
                # The site's inserts wait for the drop; never long (the lock, if not had
                # in time, leaves the day to the deletes by pages of this run).
                cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
                cursor.execute(f"LOCK TABLE {PARENT} IN ACCESS EXCLUSIVE MODE")
                cursor.execute(f"SELECT count(*) FROM {name}")
                rows = cursor.fetchone()[0]
                cursor.execute(f"DROP TABLE {name}")
        except DatabaseError:
            logger.warning("visits: the partition %s not dropped now", name, exc_info=True)
            continue
        on_dropped(rows)


def partitions_holding_before(cutoff: datetime.datetime, using: str = "default") -> list[str]:
    """The partitions that may hold visits at or before ``cutoff`` once the expired
    days are dropped: the day the cutoff falls in (and any day not dropped), and the
    default partition."""
    if not is_partitioned(using):
        return []
    return [DEFAULT] + [
        name for day, name in sorted(day_partitions(using).items()) if _bounds(day)[0] <= cutoff
    ]


def table_partition(sql: str, partition: str) -> str:
    """``sql`` written for the parent table, for one of its partitions."""
    return sql.replace(f'"{PARENT}"', f'"{partition}"')


def _visited_at_index(connection: Any) -> str:
    """The name Django gave the index on ``visited_at`` (kept through the change)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexdef LIKE %s",
            [PARENT, "%(visited_at)"],
        )
        row = cursor.fetchone()
    if row is None:
        raise RuntimeError(f"{PARENT}: no index on visited_at to keep")
    return row[0]


def _table_rebuilt(
    schema_editor: Any, *, aside: str, key: str, partitioned_from: datetime.date | None
) -> None:
    """The table made again (the old one set aside as ``<table>_<aside>``, its rows
    copied over, then dropped) with the same columns, defaults, identity and index
    names, the primary key ``key``; partitioned by day when ``partitioned_from`` is a
    day (a default partition, and the daily ones from that day to a week ahead of it
    plus five weeks)."""
    execute = schema_editor.execute
    index = _visited_at_index(schema_editor.connection)
    old = f"{PARENT}_{aside}"
    execute(f"ALTER TABLE {PARENT} RENAME TO {old}")
    execute(f"ALTER INDEX {index} RENAME TO {index}_{aside}")
    execute(f"ALTER TABLE {old} RENAME CONSTRAINT {PARENT}_pkey TO {old}_pkey")
    partitioning = " PARTITION BY RANGE (visited_at)" if partitioned_from else ""
    execute(
        f"CREATE TABLE {PARENT} (LIKE {old} INCLUDING DEFAULTS INCLUDING IDENTITY)" + partitioning
    )
    execute(f"ALTER TABLE {PARENT} ADD CONSTRAINT {PARENT}_pkey PRIMARY KEY ({key})")
    execute(f"CREATE INDEX {index} ON {PARENT} (visited_at)")
    if partitioned_from:
        # The partitions before the rows, so that each row goes straight to its own.
        execute(f"CREATE TABLE {DEFAULT} PARTITION OF {PARENT} DEFAULT")
        day = partitioned_from
        while day <= partitioned_from + datetime.timedelta(weeks=5, days=DAYS_AHEAD):
            start, end = _bounds(day)
            execute(
                f"CREATE TABLE {partition_name(day)} PARTITION OF {PARENT} "
                f"FOR VALUES FROM ('{start.isoformat()}') TO ('{end.isoformat()}')"
            )
            day += datetime.timedelta(days=1)
    execute(f"INSERT INTO {PARENT} SELECT * FROM {old}")
    execute(
        f"SELECT setval(pg_get_serial_sequence('{PARENT}', 'id'), "
        f"coalesce((SELECT max(id) FROM {PARENT}), 0) + 1, false)"
    )
    execute(f"DROP TABLE {old}")


def partitioned_table_create(schema_editor: Any, today: datetime.date) -> None:
    """Migration: the plain table becomes a partitioned one with the same columns,
    indexes (by name) and rows, with a default partition and the daily partitions of
    the last five weeks and the coming week."""
    if schema_editor.connection.vendor != "postgresql" or is_partitioned(
        schema_editor.connection.alias
    ):
        return
    _table_rebuilt(
        schema_editor,
        aside="plain",
        key="id, visited_at",
        partitioned_from=today - datetime.timedelta(weeks=5),
    )


def plain_table_restore(schema_editor: Any) -> None:
    """Migration, backwards: the partitioned table becomes a plain one again."""
    if not is_partitioned(schema_editor.connection.alias):
        return
    _table_rebuilt(schema_editor, aside="parted", key="id", partitioned_from=None)
