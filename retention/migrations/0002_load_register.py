"""Load the register of the privacy statement (processing activities, recipients,
retention rules, legal holds) so every database starts complete."""

from django.db import migrations


def load(apps, schema_editor):
    from processing.register import register_load

    register_load(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("processing", "0001_initial"),
        ("subjects", "0001_initial"),
        ("retention", "0001_initial"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
