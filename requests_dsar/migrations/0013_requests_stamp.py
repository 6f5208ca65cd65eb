"""The requests change stamp (``RequestsStamp``) and the database triggers that set it
afresh with every insert, update or delete of rights requests, in the same transaction:
on PostgreSQL one trigger per statement (TRUNCATE included), on SQLite one per row and
kind of change. Raw SQL and queryset updates change it too, which a signal would miss."""

from django.db import migrations, models

TABLE = "requests_dsar_dsarrequest"
STAMP = "requests_dsar_requestsstamp"

POSTGRESQL = [
    f"""
    CREATE OR REPLACE FUNCTION requests_dsar_stamp() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO {STAMP} (id, token)
        VALUES (1, md5(random()::text || clock_timestamp()::text))
        ON CONFLICT (id) DO UPDATE SET token = EXCLUDED.token;
        RETURN NULL;
    END
    $$
    """,
    f"""
    CREATE TRIGGER requests_dsar_stamp
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION requests_dsar_stamp()
    """,
]
POSTGRESQL_REVERSE = [
    f"DROP TRIGGER IF EXISTS requests_dsar_stamp ON {TABLE}",
    "DROP FUNCTION IF EXISTS requests_dsar_stamp()",
]
SQLITE = [
    f"""
    CREATE TRIGGER requests_dsar_stamp_{change.lower()} AFTER {change} ON {TABLE}
    BEGIN
        INSERT OR REPLACE INTO {STAMP} (id, token) VALUES (1, lower(hex(randomblob(16))));
    END
    """
    for change in ("INSERT", "UPDATE", "DELETE")
]
SQLITE_REVERSE = [
    f"DROP TRIGGER IF EXISTS requests_dsar_stamp_{change}" for change in ("insert", "update", "delete")
]


def create_triggers(apps, schema_editor):
    statements = {"postgresql": POSTGRESQL, "sqlite": SQLITE}.get(schema_editor.connection.vendor)
    if statements is None:
        raise RuntimeError("The requests change stamp needs PostgreSQL or SQLite.")
    for statement in statements:
        schema_editor.execute(statement)
    apps.get_model("requests_dsar", "RequestsStamp").objects.create(id=1, token="initial")


def drop_triggers(apps, schema_editor):
    reverse = {"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}
    for statement in reverse.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("requests_dsar", "0012_open_requests_index")]

    operations = [
        migrations.CreateModel(
            name="RequestsStamp",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("token", models.CharField(max_length=32)),
            ],
            options={
                "verbose_name": "requests change stamp",
                "verbose_name_plural": "requests change stamps",
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers, elidable=False),
    ]
