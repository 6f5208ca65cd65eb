"""Indexes that let "find a person" (subjects.search) stop after a page's worth of
candidates on PostgreSQL: a surname, first name or organisation name that starts with
what was typed is found in the order of ``lower(name) COLLATE "C"`` (a btree serves both
the prefix and the order, so a common surname costs the same at 1,000 people as at
100,000). Like 0013, PostgreSQL only: on SQLite (development, tests) this migration does
nothing."""

from django.db import migrations

INDEXES = (
    ("subjects_datasubject_last_prefix", "subjects_datasubject", '(lower(last_name) COLLATE "C")'),
    ("subjects_datasubject_first_prefix", "subjects_datasubject", '(lower(first_name) COLLATE "C")'),
    ("subjects_organisation_name_prefix", "subjects_organisation", '(lower(name) COLLATE "C")'),
)

TRIGRAM_INDEXES = (
    "subjects_datasubject_first_trgm",
    "subjects_datasubject_last_trgm",
    "subjects_datasubject_phone_trgm",
    "subjects_organisation_name_trgm",
)


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, expression in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} {expression}")
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f"ALTER INDEX {name} SET (fastupdate = off)")
        schema_editor.execute(f"SELECT gin_clean_pending_list('{name}'::regclass)")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f"ALTER INDEX {name} SET (fastupdate = on)")
    for name, _table, _expression in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("subjects", "0016_retention_change_indexes")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
