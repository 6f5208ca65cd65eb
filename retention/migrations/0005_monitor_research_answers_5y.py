"""Coaching Monitor data at the end of the trajectory: deleted without consent for
research, anonymised (answers on a scale only) with it, and the anonymised answers kept
at most 5 years under rule nobco-5y (the proxy ``AnonymisedMonitorAnswers``).

The register rows changed with it (rules monitor-end and nobco-5y, the retention of
activity coaching-monitor) are refreshed from ``processing.register_data`` on databases
that loaded the register before (migration 0002); on a new database 0002 already loads
the current wording and this step rewrites the same values."""

from django.db import migrations

def refresh_register_rows(apps, schema_editor):
    from processing.register import register_wording_refresh

    register_wording_refresh(
        apps, rules=("monitor-end", "nobco-5y"), activities=("coaching-monitor",)
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
