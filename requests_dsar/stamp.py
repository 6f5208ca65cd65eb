"""The requests change stamp (``RequestsStamp``): database triggers give it a new random
token with every committed change to rights requests, however it was made (a form, the
admin, a queryset update, a job, raw SQL: a signal would miss the last three). The
stamp is a digest of its rows (``stamp_read``).

On PostgreSQL the token is set at commit, by a deferred constraint trigger, once per
transaction, in a row of the connection's own (keyed by its backend's process id): no
two connections ever write the same row, so writers of requests neither wait for each
other nor deadlock (a shared row, locked at commit, deadlocked with the foreign keys
Django checks at commit too). A statement trigger marks the transaction as having
changed requests (``leafspring.requests_changed``), so that what it reads of them is
never taken from, nor kept in, the cache under a stamp its changes are not in yet.
TRUNCATE sets a token at once. The rows of connections gone are pruned
(``stamps_prune``), with a new token in the same statement.

On SQLite (one writer at a time) one trigger per row and kind of change sets the token
of one row at once. Django rebuilds a SQLite table for many schema changes, which drops
its triggers: they are created again after every ``migrate`` (``triggers_ensure``,
called on post_migrate)."""

from __future__ import annotations

from typing import Any

TABLE = "requests_dsar_dsarrequest"
STAMP = "requests_dsar_requestsstamp"
CHANGED_SETTING = "leafspring.requests_changed"

POSTGRESQL = [
    f"""
    CREATE OR REPLACE FUNCTION requests_dsar_stamp() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF current_setting('leafspring.requests_stamped', true) IS DISTINCT FROM '1' THEN
            INSERT INTO {STAMP} (id, token)
            VALUES (pg_backend_pid(), md5(random()::text || clock_timestamp()::text))
            ON CONFLICT (id) DO UPDATE SET token = EXCLUDED.token;
            PERFORM set_config('leafspring.requests_stamped', '1', true);
        END IF;
        RETURN NULL;
    END
    $$
    """,
    f"""
    CREATE OR REPLACE FUNCTION requests_dsar_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM set_config('{CHANGED_SETTING}', '1', true);
        RETURN NULL;
    END
    $$
    """,
    f"DROP TRIGGER IF EXISTS requests_dsar_stamp ON {TABLE}",
    f"""
    CREATE CONSTRAINT TRIGGER requests_dsar_stamp
    AFTER INSERT OR UPDATE OR DELETE ON {TABLE}
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION requests_dsar_stamp()
    """,
    f"""
    CREATE OR REPLACE TRIGGER requests_dsar_stamp_truncate
    AFTER TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION requests_dsar_stamp()
    """,
    f"""
    CREATE OR REPLACE TRIGGER requests_dsar_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION requests_dsar_changed()
    """,
]
POSTGRESQL_DROP = [
    f"DROP TRIGGER IF EXISTS requests_dsar_changed ON {TABLE}",
    f"DROP TRIGGER IF EXISTS requests_dsar_stamp_truncate ON {TABLE}",
    f"DROP TRIGGER IF EXISTS requests_dsar_stamp ON {TABLE}",
    "DROP FUNCTION IF EXISTS requests_dsar_changed()",
    "DROP FUNCTION IF EXISTS requests_dsar_stamp()",
]
SQLITE_CHANGES = ("insert", "update", "delete")
SQLITE = [
    f"""
    CREATE TRIGGER IF NOT EXISTS requests_dsar_stamp_{change} AFTER {change.upper()} ON {TABLE}
    BEGIN
        INSERT OR REPLACE INTO {STAMP} (id, token) VALUES (1, lower(hex(randomblob(16))));
    END
    """
    for change in SQLITE_CHANGES
]
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS requests_dsar_stamp_{change}" for change in SQLITE_CHANGES]


def _statements(vendor: str, *, drop: bool = False) -> list[str]:
    if vendor == "postgresql":
        return POSTGRESQL_DROP if drop else POSTGRESQL
    if vendor == "sqlite":
        return SQLITE_DROP if drop else SQLITE
    raise RuntimeError("The requests change stamp needs PostgreSQL or SQLite.")


def triggers_create(schema_editor: Any) -> None:
    for statement in _statements(schema_editor.connection.vendor):
        schema_editor.execute(statement)


def triggers_drop(schema_editor: Any) -> None:
    for statement in _statements(schema_editor.connection.vendor, drop=True):
        schema_editor.execute(statement)


def triggers_ensure(using: str = "default", **kwargs: Any) -> None:
    """After ``migrate`` on SQLite: the triggers again where a table rebuild dropped them
    (``IF NOT EXISTS``; nothing happens where they are). PostgreSQL keeps triggers
    through every ALTER TABLE Django makes."""
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    if not {TABLE, STAMP} <= set(connection.introspection.table_names()):
        return  # migrated back to before the stamp
    with connection.cursor() as cursor:
        for statement in SQLITE:
            cursor.execute(statement)


def stamp_read(connection: Any) -> tuple[str | None, bool, int]:
    """(the stamp: a digest of every row's token, whether this transaction changed
    requests itself, how many rows there are): one query. No stamp without a row (a
    flushed test database until the next change)."""
    if connection.vendor == "postgresql":
        sql = (
            "SELECT count(*), md5(coalesce(string_agg(id::text || ':' || token, ',' "
            f"ORDER BY id), '')), current_setting('{CHANGED_SETTING}', true) FROM {STAMP}"
        )
    else:
        sql = (
            "SELECT count(*), group_concat(id || ':' || token, ','), '' "
            f"FROM (SELECT id, token FROM {STAMP} ORDER BY id)"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        rows, digest, changed = cursor.fetchone()
    return (digest if rows else None), changed == "1", rows


def stamps_prune(connection: Any) -> None:
    """PostgreSQL: the rows of connections gone, removed, and a new token in this
    connection's row in the same statement (the stamp then differs from every earlier
    one: the rows left alone might once have been all there were)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH gone AS (DELETE FROM {STAMP} "
            "WHERE id NOT IN (SELECT pid FROM pg_stat_activity) RETURNING id) "
            f"INSERT INTO {STAMP} (id, token) "
            "SELECT pg_backend_pid(), md5(random()::text || clock_timestamp()::text) "
            "ON CONFLICT (id) DO UPDATE SET token = EXCLUDED.token"
        )
