"""The data migration for Coaching Monitor participations anonymised by the earlier rule
monitor-end, which anonymised every participation, with or without consent for
research, and kept all its answers. After it, what the register promises holds for
those rows too: only participations with consent for research, only their answers on a
scale."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.apps import apps

from subjects.models import CoachingMonitorParticipation
from tests import factories as f

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "subjects.migrations.0003_monitor_legacy_anonymised_research_only"
)

ANONYMISED_AT = datetime.datetime(2024, 3, 1, 9, 0, tzinfo=datetime.UTC)


def _legacy(research_consent: bool, answers: dict, **fields) -> CoachingMonitorParticipation:
    """A participation as the earlier rule left it: person and demographics blanked,
    answers whole, ``anonymised_at`` set."""
    defaults = dict(
        subject=None,
        trajectory=None,
        invited_at=None,
        initials="",
        gender="",
        age=None,
        highest_education="",
        marital_status="",
    )
    row = f.CoachingMonitorParticipationFactory(
        research_consent=research_consent,
        answers=answers,
        anonymised_at=ANONYMISED_AT,
        **defaults,
    )
    # What the earlier rule left behind is refused by the model today: write it directly.
    CoachingMonitorParticipation.objects.filter(pk=row.pk).update(**fields)
    row.refresh_from_db()
    return row


def test_an_anonymised_participation_without_research_consent_is_deleted():
    row = _legacy(False, {"q1": 3, "toelichting": "Mijn burn-out na de scheiding"})
    migration.legacy_anonymised_participations_reduce(apps, None)
    assert not CoachingMonitorParticipation.objects.filter(pk=row.pk).exists()


def test_with_research_consent_only_the_answers_on_a_scale_remain():
    row = _legacy(
        True,
        {"q1": 3, "q2": 4.5, "q3": True, "toelichting": "Mijn burn-out", "q4": None},
    )
    migration.legacy_anonymised_participations_reduce(apps, None)
    row.refresh_from_db()
    assert row.answers == {"q1": 3, "q2": 4.5, "q3": True}
    assert row.anonymised_at == ANONYMISED_AT, "the 5 years under nobco-5y keep their start"
    assert row.answers == CoachingMonitorParticipation.research_answers(
        {"q1": 3, "q2": 4.5, "q3": True, "toelichting": "Mijn burn-out", "q4": None}
    )


def test_a_row_with_research_consent_but_no_answer_on_a_scale_is_deleted():
    row = _legacy(True, {"toelichting": "Alleen vrije tekst"})
    migration.legacy_anonymised_participations_reduce(apps, None)
    assert not CoachingMonitorParticipation.objects.filter(pk=row.pk).exists()


def test_fields_left_by_the_earlier_rule_are_blanked():
    row = _legacy(True, {"q1": 2}, initials="P.J.", age=44, gender="man")
    migration.legacy_anonymised_participations_reduce(apps, None)
    row.refresh_from_db()
    assert (row.subject_id, row.trajectory_id, row.initials, row.age, row.gender) == (
        None,
        None,
        "",
        None,
        "",
    )


def test_participations_not_anonymised_are_untouched_and_a_second_run_changes_nothing():
    live = f.CoachingMonitorParticipationFactory(
        research_consent=False, answers={"q1": 1, "toelichting": "nog lopend"}
    )
    kept = _legacy(True, {"q1": 5, "toelichting": "weg"})
    migration.legacy_anonymised_participations_reduce(apps, None)
    migration.legacy_anonymised_participations_reduce(apps, None)
    live.refresh_from_db()
    kept.refresh_from_db()
    assert live.answers == {"q1": 1, "toelichting": "nog lopend"}
    assert live.subject_id is not None and live.anonymised_at is None
    assert kept.answers == {"q1": 5}
    assert CoachingMonitorParticipation.objects.count() == 2


def test_the_migration_runs_after_the_register_wording_it_brings_the_data_in_line_with():
    assert ("retention", "0005_monitor_research_answers_5y") in migration.Migration.dependencies
