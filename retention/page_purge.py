"""Deleting the expired rows of a plain log (website visits, rule ip-4w) on PostgreSQL
by ranges of table pages, at the speed of one ``DELETE`` of the same rows.

A plain log names no person and nothing points at it (``services._is_plain_log``): its
expired rows can go without being fetched. One ``DELETE`` of all of them would hold its
locks and its write-ahead log for the whole run, so they go in batches; but batches by
primary-key range need the highest expired key first, which PostgreSQL finds only by
walking back through every recent row (0.4 s at a million), and then fetch each row
through the key index. Here a batch is a range of the table's pages instead (a TID Range
Scan: the pages read in order, like the sequential scan of the one ``DELETE``), with the
same condition on the clock, one statement each, committed on its own (autocommit), no
key or row travelling to Python.

A batch holds at most ``size`` rows for certain, not by estimate: no row of the table
can be smaller than its header (24 bytes) and its NOT NULL columns at their smallest
(fixed widths aligned, at least one byte of each text), plus a line pointer of 4 bytes;
for the website visits 48 + 4 bytes, so a page of 8 kB holds at most 157 rows (never more
than PostgreSQL's MaxHeapTuplesPerPage, 291), and ``size // 157`` pages cannot hold more
than ``size`` rows. The pages are those of the table when the run starts, then of any
page added while it ran.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connections, router
from django.db.models import QuerySet
from django.db.models.sql import DeleteQuery

from retention.visit_partitions import relkind, table_partition

# Bytes of a page header, of a row's header (at its smallest) and of a line pointer
# (PostgreSQL's SizeOfPageHeaderData, MAXALIGN(SizeofHeapTupleHeader), sizeof(ItemIdData)),
# and the alignment of a row (MAXALIGN).
_PAGE_HEADER = 24
_ROW_HEADER = 24
_LINE_POINTER = 4
_MAXALIGN = 8
_ALIGN = {"c": 1, "s": 2, "i": 4, "d": 8}


def pages_delete_statement(queryset: QuerySet[Any], using: str) -> tuple[str, list[Any]] | None:
    """``DELETE FROM table WHERE (the queryset's condition) AND ctid in [%s, %s)``, built
    once for all batches, and its parameters without the two page bounds; None when the
    queryset's condition needs a join (then it has no simple form) or matches nothing."""
    query = queryset.query.chain(DeleteQuery)
    compiler = query.get_compiler(using)
    if not compiler.single_alias:
        return None
    table = compiler.quote_name_unless_alias(query.base_table)
    try:
        where, params = compiler.compile(query.where)
    except FullResultSet:
        where, params = "TRUE", []
    except EmptyResultSet:
        return None
    sql = (
        f"DELETE FROM {table} WHERE ({where}) "
        f"AND {table}.ctid >= %s::tid AND {table}.ctid < %s::tid"
    )
    return sql, list(params)


def _pages(cursor: Any, table: str) -> int:
    cursor.execute(
        "SELECT pg_relation_size(%s::regclass) / current_setting('block_size')::int", [table]
    )
    return int(cursor.fetchone()[0])


def _up(offset: int, alignment: int) -> int:
    return -(-offset // alignment) * alignment


def rows_per_page_at_most(cursor: Any, table: str) -> int:
    """The most rows one page of ``table`` can hold: the page divided by the smallest
    row the columns allow (a NULL takes no space, a NOT NULL text at least one byte, a
    fixed width its width after alignment)."""
    cursor.execute(
        "SELECT attlen, attalign, attnotnull AND NOT attisdropped FROM pg_attribute "
        "WHERE attrelid = %s::regclass AND attnum > 0 ORDER BY attnum",
        [table],
    )
    offset = _ROW_HEADER
    for length, align, not_null in cursor.fetchall():
        if not not_null:
            continue
        offset = _up(offset, _ALIGN[align]) + length if length > 0 else offset + 1
    cursor.execute("SELECT current_setting('block_size')::int")
    block_size = cursor.fetchone()[0]
    smallest_row = _up(offset, _MAXALIGN) + _LINE_POINTER
    most = (block_size - _PAGE_HEADER) // (_ROW_HEADER + _LINE_POINTER)  # MaxHeapTuplesPerPage
    return min(most, (block_size - _PAGE_HEADER) // smallest_row)


def delete_by_pages(
    queryset: QuerySet[Any],
    size: int,
    on_batch: Callable[[int], None],
    partition: str | None = None,
) -> bool:
    """Delete the rows of ``queryset`` (a plain log's expired rows) in ranges of pages
    that hold at most ``size`` rows, each range one statement and one transaction,
    calling ``on_batch`` with the rows each deleted. Returns False, having done nothing,
    when this is not PostgreSQL 14 or later, when one page could hold more than ``size`` rows, or
    when the queryset has no single-table form: the caller deletes by key range then.
    With ``partition``: the rows of that partition of the queryset's table only
    (``retention.visit_partitions``)."""
    using = router.db_for_write(queryset.model)
    connection = connections[using]
    if connection.vendor != "postgresql" or connection.pg_version < 140000:
        return False  # a range of pages is read by itself from PostgreSQL 14 on
    statement = pages_delete_statement(queryset, using)
    if statement is None:
        return False
    sql, params = statement
    table = connection.ops.quote_name(queryset.model._meta.db_table)
    if partition is not None:
        sql, table = table_partition(sql, partition), connection.ops.quote_name(partition)
    elif relkind(connection, table) != "r":
        return False  # a partitioned table has no pages of its own: partition by partition
    with connection.cursor() as cursor:
        step = size // rows_per_page_at_most(cursor, table)
        if not step:
            return False
        if partition is None and not queryset.exists():  # nothing due: an idle run
            return True
        start, end = 0, _pages(cursor, table)
        while start < end:
            cursor.execute(sql, [*params, f"({start},0)", f"({start + step},0)"])
            on_batch(cursor.rowcount)
            start += step
            if start >= end:  # pages added while the run ran
                end = _pages(cursor, table)
    return True
