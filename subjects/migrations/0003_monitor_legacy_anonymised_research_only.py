"""Coaching Monitor participations anonymised before research consent counted.

The earlier rule monitor-end anonymised every participation at the end of the
trajectory, with or without consent for research, and kept all its answers, free text
included. The current rule deletes a participation without that consent and keeps only
the answers on a scale of one with it (``CoachingMonitorParticipation.research_answers``),
and the register (retention migration 0005) says so. This migration brings the rows
anonymised the old way into line: a participation with ``anonymised_at`` set and no
consent for research is deleted; the others keep only their research answers, with the
anonymised fields blanked once more, and a row left with no answers is deleted.

The rule is copied here (``research_answers``) rather than imported, because a migration
works on the historical model, and the model's rule may change later."""

import math

from django.db import migrations

BATCH_SIZE = 500

# The fields the registry entry of CoachingMonitorParticipation anonymises.
ANONYMISED_BLANKS = {
    "subject": None,
    "trajectory": None,
    "invited_at": None,
    "demographics_consent_at": None,
    "initials": "",
    "gender": "",
    "age": None,
    "highest_education": "",
    "marital_status": "",
}


def research_answers(answers):
    """The answers on a scale (numbers, yes/no) by question key; free text and anything
    else dropped. The same rule as ``CoachingMonitorParticipation.research_answers`` when
    this migration was written."""
    if not isinstance(answers, dict):
        return {}
    return {
        str(question): value
        for question, value in answers.items()
        if isinstance(value, int | float) and math.isfinite(value)
    }


def legacy_anonymised_participations_reduce(apps, schema_editor):
    Participation = apps.get_model("subjects", "CoachingMonitorParticipation")
    anonymised = Participation.objects.filter(anonymised_at__isnull=False)
    anonymised.filter(research_consent=False).delete()
    empty = []
    changed = []
    for pk, answers in (
        anonymised.filter(research_consent=True)
        .order_by("pk")
        .values_list("pk", "answers")
        .iterator(chunk_size=BATCH_SIZE)
    ):
        kept = research_answers(answers)
        if not kept:
            empty.append(pk)
        elif kept != answers:
            changed.append(Participation(pk=pk, answers=kept))
    for start in range(0, len(empty), BATCH_SIZE):
        Participation.objects.filter(pk__in=empty[start : start + BATCH_SIZE]).delete()
    Participation.objects.bulk_update(changed, ["answers"], batch_size=BATCH_SIZE)
    anonymised.filter(research_consent=True).update(**ANONYMISED_BLANKS)


class Migration(migrations.Migration):
    dependencies = [
        ("subjects", "0002_monitor_anonymised_unlinked"),
        ("retention", "0005_monitor_research_answers_5y"),
    ]

    operations = [
        migrations.RunPython(legacy_anonymised_participations_reduce, migrations.RunPython.noop),
    ]
