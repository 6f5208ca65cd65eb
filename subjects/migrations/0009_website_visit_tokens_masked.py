"""Rows of the website-visit log written before every path was masked may hold a working
token (a status or download link that almost matched its route). Mask them in place, in
batches; rows without a token are left untouched."""

from django.db import migrations

from leafspring.token_mask import tokens_masked

BATCH = 2000


def mask_paths(apps, schema_editor):
    WebsiteVisit = apps.get_model("subjects", "WebsiteVisit")
    changed = []
    for visit in WebsiteVisit.objects.only("pk", "path").order_by("pk").iterator(chunk_size=BATCH):
        masked = tokens_masked(visit.path)
        if masked != visit.path:
            visit.path = masked
            changed.append(visit)
        if len(changed) >= BATCH:
            WebsiteVisit.objects.bulk_update(changed, ["path"])
            changed = []
    if changed:
        WebsiteVisit.objects.bulk_update(changed, ["path"])


class Migration(migrations.Migration):
    dependencies = [("subjects", "0008_trajectory_review")]

    operations = [migrations.RunPython(mask_paths, migrations.RunPython.noop, elidable=True)]
