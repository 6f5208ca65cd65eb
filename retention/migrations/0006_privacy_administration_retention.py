"""Closed rights requests of people no longer held are reduced to their outline after 12
months (requests_dsar.minimise_closed_requests): the retention text of activity
privacy-administration says so, on databases that loaded the register before."""

from django.db import migrations


def refresh_retention_text(apps, schema_editor):
    from processing.register import register_wording_refresh

    register_wording_refresh(apps, activities=("privacy-administration",))


class Migration(migrations.Migration):
    dependencies = [("retention", "0005_monitor_research_answers_5y")]

    operations = [migrations.RunPython(refresh_retention_text, migrations.RunPython.noop)]
