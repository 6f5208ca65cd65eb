"""Indexes that serve "find a person" (subjects.search) on PostgreSQL at 100,000 people:
the e-mail address by ``lower(email)`` (exact and prefix: ``text_pattern_ops``), and the
contains-searches of names, phone numbers and organisation names by trigram GIN indexes
(the pg_trgm extension). Trigram indexes exist only on PostgreSQL: on SQLite (development,
tests) this migration does nothing."""

from django.db import migrations

INDEXES = (
    (
        "subjects_datasubject_email_lower",
        "subjects_datasubject",
        "(lower(email) text_pattern_ops)",
        "btree",
    ),
    ("subjects_datasubject_first_trgm", "subjects_datasubject", "(lower(first_name) gin_trgm_ops)", "gin"),
    ("subjects_datasubject_last_trgm", "subjects_datasubject", "(lower(last_name) gin_trgm_ops)", "gin"),
    ("subjects_datasubject_phone_trgm", "subjects_datasubject", "(lower(phone) gin_trgm_ops)", "gin"),
    ("subjects_organisation_name_trgm", "subjects_organisation", "(lower(name) gin_trgm_ops)", "gin"),
)


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, expression, method in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING {method} {expression}")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _expression, _method in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("subjects", "0012_audit_notes_to_codes")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
