"""Two retention rules of issue 12: login-4w deletes the sign-in attempts of the staff
login (django-axes' tables: IP address, browser, the user name typed) at most 4 weeks
after the attempt, like the website visits of rule ip-4w; reads-1y deletes the read log
(who read whose personal data, ``subjects.ReadEvent``) after 1 year. The retention text
of activity privacy-administration says so. Loaded from ``processing.register_data`` on
databases that loaded the register before; on a new database 0002 already loaded them
and this step writes the same values."""

from django.db import migrations


def load_rules(apps, schema_editor):
    from processing.register import register_wording_refresh, retention_rules_load

    retention_rules_load(apps, keys=("login-4w", "reads-1y"))
    register_wording_refresh(apps, activities=("privacy-administration",))


def remove_rules(apps, schema_editor):
    RetentionRule = apps.get_model("retention", "RetentionRule")
    RetentionRule.objects.filter(key__in=("login-4w", "reads-1y"), runs__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("retention", "0009_breach_retention"),
        ("subjects", "0010_read_event"),
    ]

    operations = [migrations.RunPython(load_rules, remove_rules)]
