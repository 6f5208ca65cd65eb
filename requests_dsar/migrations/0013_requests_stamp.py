"""The requests change stamp (``RequestsStamp``) and the database triggers that give it
a new token with every committed change to rights requests (``requests_dsar.stamp``: on
PostgreSQL at commit, once per transaction; on SQLite per row)."""

import uuid

from django.db import migrations, models

from requests_dsar.stamp import triggers_create, triggers_drop


def create_triggers(apps, schema_editor):
    triggers_create(schema_editor)
    apps.get_model("requests_dsar", "RequestsStamp").objects.create(id=1, token=uuid.uuid4().hex)


def drop_triggers(apps, schema_editor):
    triggers_drop(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("requests_dsar", "0012_open_requests_index")]

    operations = [
        migrations.CreateModel(
            name="RequestsStamp",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token", models.CharField(max_length=32)),
            ],
            options={
                "verbose_name": "requests change stamp",
                "verbose_name_plural": "requests change stamps",
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers, elidable=False),
    ]
