"""The requests change stamp (``RequestsStamp``): database triggers give it a new random
token with every committed change to rights requests, however it was made (a form, the
admin, a queryset update, a job, raw SQL: a signal would miss the last three).

On PostgreSQL the token is set at commit, by a deferred constraint trigger, once per
transaction: its one row is locked only for the moment of the commit, so writers of
different requests neither wait for each other nor deadlock (a trigger per statement
would lock it from the first change to the commit). A statement trigger marks the
transaction as having changed requests (``leafspring.requests_changed``), so that what it
reads of them is never taken from, nor kept in, the cache under a token not set yet.
TRUNCATE sets the token at once.

On SQLite (one writer at a time) one trigger per row and kind of change sets it at once.
Django rebuilds a SQLite table for many schema changes, which drops its triggers: they
are created again after every ``migrate`` (``triggers_ensure``, called on post_migrate)."""

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
            VALUES (1, md5(random()::text || clock_timestamp()::text))
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


def stamp_read(connection: Any) -> tuple[str | None, bool]:
    """(the token, whether this transaction changed requests itself): one query. No
    token without its row (a flushed test database until the next change)."""
    changed = (
        f"current_setting('{CHANGED_SETTING}', true)" if connection.vendor == "postgresql" else "''"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token, {changed} FROM {STAMP} WHERE id = 1")
        row = cursor.fetchone()
    if row is None:
        return None, False
    return row[0], row[1] == "1"
