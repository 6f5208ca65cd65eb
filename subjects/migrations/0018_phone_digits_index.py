"""The phone search by digits (``subjects.search.PhoneDigits``): a trigram index on the
digits of the phone number, so 0612345678 finds "06 12345678" through an index at
100,000 people. PostgreSQL only (pg_trgm); on SQLite this migration does nothing."""

from django.db import migrations

NAME = "subjects_datasubject_phone_digits_trgm"
EXPRESSION = "(regexp_replace(lower(phone), '[^0-9]', '', 'g') gin_trgm_ops)"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {NAME} ON subjects_datasubject USING gin {EXPRESSION}"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("subjects", "0017_person_search_prefix_indexes")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
