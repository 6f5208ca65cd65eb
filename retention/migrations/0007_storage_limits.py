"""Every record has an end (Art. 5(1)(e)): the rules added for what was kept for ever.

- meetin-3m: a MeetIn referral goes 3 months after it was passed on;
- tools-after-end: CliftonStrengths and E2Grow data go 3 months after the person's last
  trajectory ended, unless a new consent (purposes clifton-keep, e2grow-keep, whose
  wordings are loaded here) keeps them until an agreed date;
- trajectory-review: a trajectory without an end date comes before staff 12 months
  after its start;
- audit-5y and requests-5y: the audit trail and the request trail are deleted 5 years
  after the action and after the request closed (the proxy ``AuditTrail`` gives the
  audit trail its own registry entry).

The rules and the changed retention texts of the activities come from
``processing.register_data``; on a new database 0002 already loads them and this step
rewrites the same values."""

from django.db import migrations

NEW_RULES = ("meetin-3m", "tools-after-end", "trajectory-review", "audit-5y", "requests-5y")
CHANGED_ACTIVITIES = (
    "study-trips",
    "clifton-strengths",
    "e2grow",
    "traineeship-participants",
    "coaching-monitor",
    "privacy-administration",
)


def load_new_rules(apps, schema_editor):
    from processing.register import (
        consent_wordings_load,
        register_wording_refresh,
        retention_rules_load,
    )

    retention_rules_load(apps, keys=NEW_RULES)
    register_wording_refresh(apps, activities=CHANGED_ACTIVITIES)
    consent_wordings_load(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("processing", "0006_consent_keep_tool_accounts"),
        ("retention", "0006_privacy_administration_retention"),
        ("subjects", "0008_trajectory_review"),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditTrail",
            fields=[],
            options={
                "verbose_name": "audit trail (retention)",
                "verbose_name_plural": "audit trail (retention)",
                "proxy": True,
                "indexes": [],
                "constraints": [],
            },
            bases=("subjects.auditevent",),
        ),
        migrations.RunPython(load_new_rules, migrations.RunPython.noop),
    ]
