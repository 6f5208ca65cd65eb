"""The audit trail's old notes (English sentences the code wrote, and the Dutch ones of
the consent-ledger migration) become action parameters, rendered in the reader's
language (``subjects.trail``); what a staff member typed stays a note. In batches, each
in its own transaction (``subjects.trail.legacy.notes_convert``); safe to run again."""

from django.db import migrations

from subjects.trail.legacy import audit_note_convert, notes_convert


def convert(apps, schema_editor):
    notes_convert(apps.get_model("subjects", "AuditEvent"), audit_note_convert)


class Migration(migrations.Migration):
    # Batches commit one by one, so a large trail is never one long transaction.
    atomic = False

    dependencies = [("subjects", "0011_audit_event_params")]

    operations = [migrations.RunPython(convert, migrations.RunPython.noop, elidable=True)]
