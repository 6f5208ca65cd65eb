"""The data migration that brings the register rows of a database loaded before the
Coaching Monitor change (research consent, 5 years for the anonymised answers) up to
date: the register is loaded once, by migration 0002, so a change of wording needs a
migration of its own."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from processing import register_data
from processing.models import ProcessingActivity
from retention.models import RetentionRule

pytestmark = pytest.mark.django_db

migration = importlib.import_module("retention.migrations.0005_monitor_research_answers_5y")


def _spec(key: str) -> dict:
    return next(s for s in register_data.RETENTION_RULES if s["key"] == key)


def test_the_migration_rewrites_the_rules_and_the_activity_loaded_with_the_old_wording():
    RetentionRule.objects.filter(key="monitor-end").update(
        description_nl="Gegevens in de Coaching Monitor worden na afloop verwijderd of "
        "geanonimiseerd.",
        description_en="Coaching Monitor data is deleted or anonymised at the end.",
    )
    RetentionRule.objects.filter(key="nobco-5y").update(
        clock_description_nl="de evaluatie", clock_description_en="the evaluation"
    )
    ProcessingActivity.objects.filter(key="coaching-monitor").update(
        retention_nl="oud", retention_en="old"
    )
    migration.refresh_register_rows(apps, None)
    monitor = RetentionRule.objects.get(key="monitor-end")
    nobco = RetentionRule.objects.get(key="nobco-5y")
    assert (monitor.description_nl, monitor.description_en) == _spec("monitor-end")["description"]
    assert "toestemming voor onderzoek" in monitor.description_nl
    assert (nobco.clock_description_nl, nobco.clock_description_en) == _spec("nobco-5y")["clock"]
    assert "Coaching Monitor" in nobco.description_en
    activity = ProcessingActivity.objects.get(key="coaching-monitor")
    assert "5 jaar" in activity.retention_nl and "5 years" in activity.retention_en
    assert "vrije tekst" in activity.retention_nl


def test_the_anonymised_answers_are_registered_under_the_five_year_rule():
    from subjects.registry import registry

    entries = registry.for_rule("nobco-5y")
    labels = {entry.label for entry in entries}
    assert labels == {"subjects.ClientEvaluation", "retention.AnonymisedMonitorAnswers"}
    rule = RetentionRule.objects.get(key="nobco-5y")
    assert set(rule.activities.values_list("key", flat=True)) >= {
        entry.activity for entry in entries
    }


def test_the_privacy_administration_says_how_long_closed_requests_are_kept():
    ProcessingActivity.objects.filter(key="privacy-administration").update(
        retention_nl="Zolang de onderliggende gegevens bestaan.",
        retention_en="As long as the underlying data exists.",
    )
    later = importlib.import_module("retention.migrations.0006_privacy_administration_retention")
    later.refresh_retention_text(apps, None)
    activity = ProcessingActivity.objects.get(key="privacy-administration")
    assert "12 maanden na de afronding" in activity.retention_nl
    assert "12 months after closing" in activity.retention_en
