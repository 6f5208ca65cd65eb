"""The surname and first-name prefix indexes of "find a person" (0017) hold the key too:
``(lower(name) COLLATE "C", id)``, the order the search reads its candidates in, so a
common surname ("de Vries", one person in 60) stops after the 200 candidates it needs
instead of sorting everyone who has it: the same work at 1,000 people as at 100,000.
PostgreSQL only, like 0017; on SQLite this migration does nothing."""

from django.db import migrations

INDEXES = (
    ("subjects_datasubject_last_prefix", "last_name"),
    ("subjects_datasubject_first_prefix", "first_name"),
)


def _replace(schema_editor, with_key: bool) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in INDEXES:
        key = ", id" if with_key else ""
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
        schema_editor.execute(
            f'CREATE INDEX {name} ON subjects_datasubject (lower({column}) COLLATE "C"{key})'
        )


def add_key(apps, schema_editor):
    _replace(schema_editor, with_key=True)


def drop_key(apps, schema_editor):
    _replace(schema_editor, with_key=False)


class Migration(migrations.Migration):
    dependencies = [("subjects", "0018_phone_digits_index")]

    operations = [migrations.RunPython(add_key, drop_key, elidable=False)]
