"""The breach register (processing 0007) holds personal data and has its own retention:
rule breach-5y deletes the record of a breach 5 years after it was closed. Activity
privacy-administration names the breach records (purpose, legal basis, data category,
retention text), on databases that loaded the register before; on a new database 0002
already loads the current register and this step writes the same values."""

from django.db import migrations


def breach_retention_load(apps, schema_editor):
    from processing.register import (
        data_categories_load,
        register_wording_refresh,
        retention_rules_load,
    )

    data_categories_load(apps)
    retention_rules_load(apps, keys=("breach-5y",))
    register_wording_refresh(apps, activities=("privacy-administration",))
    ProcessingActivity = apps.get_model("processing", "ProcessingActivity")
    DataCategory = apps.get_model("processing", "DataCategory")
    activity = ProcessingActivity.objects.filter(key="privacy-administration").first()
    if activity is not None:
        activity.data_categories.add(*DataCategory.objects.filter(key="breach-records"))


class Migration(migrations.Migration):
    dependencies = [
        ("processing", "0008_breach_register"),
        ("retention", "0008_run_due_for_review_restricted_rows"),
    ]

    operations = [migrations.RunPython(breach_retention_load, migrations.RunPython.noop)]
