"""The request trail's old notes (English sentences and Dutch reasons the code wrote)
become action parameters, rendered in the reader's language (``requests_dsar.trail``);
what a staff member typed stays a note. In batches, each in its own transaction
(``subjects.trail.legacy.notes_convert``); safe to run again."""

from django.db import migrations

from subjects.trail.legacy import notes_convert, request_note_convert


def convert(apps, schema_editor):
    notes_convert(apps.get_model("requests_dsar", "RequestEvent"), request_note_convert)


class Migration(migrations.Migration):
    # Batches commit one by one, so a large trail is never one long transaction.
    atomic = False

    dependencies = [("requests_dsar", "0008_request_event_params_open_request")]

    operations = [migrations.RunPython(convert, migrations.RunPython.noop, elidable=True)]
