"""Coaching Monitor data at the end of the trajectory: deleted without consent for
research, anonymised (answers on a scale only) with it, and the anonymised answers kept
at most 5 years under rule nobco-5y (the proxy ``AnonymisedMonitorAnswers``).

The register rows changed with it (rules monitor-end and nobco-5y, the retention of
activity coaching-monitor) are refreshed from ``processing.register_data`` on databases
that loaded the register before (migration 0002); on a new database 0002 already loads
the current wording and this step rewrites the same values."""

from django.db import migrations

RULES = ("monitor-end", "nobco-5y")
ACTIVITIES = ("coaching-monitor",)


def refresh_register_rows(apps, schema_editor):
    from processing import register_data as data

    RetentionRule = apps.get_model("retention", "RetentionRule")
    ProcessingActivity = apps.get_model("processing", "ProcessingActivity")
    for spec in data.RETENTION_RULES:
        if spec["key"] in RULES:
            RetentionRule.objects.filter(key=spec["key"]).update(
                name_nl=spec["name"][0],
                name_en=spec["name"][1],
                description_nl=spec["description"][0],
                description_en=spec["description"][1],
                clock_description_nl=spec["clock"][0],
                clock_description_en=spec["clock"][1],
            )
    for spec in data.ACTIVITIES:
        if spec["key"] in ACTIVITIES:
            ProcessingActivity.objects.filter(key=spec["key"]).update(
                retention_nl=spec["retention"][0], retention_en=spec["retention"][1]
            )


class Migration(migrations.Migration):
    dependencies = [
        ("processing", "0002_initial"),
        ("retention", "0004_run_cutoff_help"),
        ("subjects", "0002_monitor_anonymised_unlinked"),
    ]

    operations = [
        migrations.CreateModel(
            name="AnonymisedMonitorAnswers",
            fields=[],
            options={
                "verbose_name": "anonymised Coaching Monitor answers",
                "verbose_name_plural": "anonymised Coaching Monitor answers",
                "proxy": True,
                "indexes": [],
                "constraints": [],
            },
            bases=("subjects.coachingmonitorparticipation",),
        ),
        migrations.RunPython(refresh_register_rows, migrations.RunPython.noop),
    ]
