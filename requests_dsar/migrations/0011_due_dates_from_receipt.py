"""One rule for the due date (issue 11): an existing request was received when it was
submitted (received_at = created_at), and every open request's due dates are set from
its receipt (requests_dsar.services.due.due_dates_recompute), each change written in its
trail. A request whose four weeks from receipt have passed is shown as overdue."""

from django.db import migrations
from django.db.models import F


def forwards(apps, schema_editor):
    from requests_dsar.services.due import due_dates_recompute

    DsarRequest = apps.get_model("requests_dsar", "DsarRequest")
    RequestEvent = apps.get_model("requests_dsar", "RequestEvent")
    DsarRequest.objects.update(received_at=F("created_at"))
    due_dates_recompute(DsarRequest, RequestEvent)


class Migration(migrations.Migration):
    dependencies = [("requests_dsar", "0010_receipt_channel_identity_question")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
