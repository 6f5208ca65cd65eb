"""Breach records hold personal data: they are in the registry with their own retention
(rule breach-5y, 5 years after closing), and erasing a linked person unlinks them and
keeps the record of the breach (accountability)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from processing.breaches.models import Breach, BreachNotification, BreachSubject
from processing.models import ProcessingActivity
from processing.register_data import RETENTION_RULES
from requests_dsar.fulfilment.access import access_report_data
from requests_dsar.fulfilment.erasure import erasure_carry_out
from retention.models import RetentionRule
from retention.schedule import beat_schedule
from retention.services import retention_rule_apply
from subjects.models import DataSubject
from subjects.registry import registry
from tests.breaches.factories import (
    BreachNotificationFactory,
    BreachSubjectFactory,
    HighRiskBreachFactory,
)
from tests.factories import DataSubjectFactory, SubjectRoleFactory
from tests.requests_dsar.factories import verified_request

pytestmark = pytest.mark.django_db


def test_the_breach_records_are_registered_with_rule_breach_5y():
    for model in (Breach, BreachSubject):
        entry = registry.get(model)
        assert entry.retention_rule == "breach-5y"
        assert entry.activity == "privacy-administration"
        assert entry.categories == ("breach-records",)
    assert registry.get(BreachSubject).subject_paths == ("subject",)
    assert not registry.get(Breach).links_to_subjects


def test_the_rule_is_in_the_register_in_dutch_and_english_and_on_the_schedule():
    rule = RetentionRule.objects.get(key="breach-5y")
    assert (rule.limit_value, rule.limit_unit, rule.action) == (5, "years", "delete")
    assert rule.name_nl == "Datalekregister 5 jaar na afsluiten"
    assert rule.name_en == "Breach register 5 years after closing"
    assert "5 jaar na het afsluiten" in rule.description_nl
    assert "5 years after it was closed" in rule.description_en
    assert list(rule.activities.values_list("key", flat=True)) == ["privacy-administration"]
    assert beat_schedule()["retention:breach-5y"]["args"] == ("breach-5y",)
    assert any(spec["key"] == "breach-5y" for spec in RETENTION_RULES)
    activity = ProcessingActivity.objects.get(key="privacy-administration")
    assert "datalek" in activity.purpose_nl and "breaches" in activity.purpose_en
    assert "5 jaar na het afsluiten" in activity.retention_nl
    assert "5 years after it was closed" in activity.retention_en
    assert activity.data_categories.filter(key="breach-records").exists()


def test_erasing_a_linked_person_unlinks_them_and_keeps_the_breach(officer):
    person = DataSubjectFactory(email="sanne@example.nl")
    breach = HighRiskBreachFactory()
    told_at = timezone.now()
    link = BreachSubjectFactory(breach=breach, subject=person, notified_at=told_at)
    BreachNotificationFactory(breach=breach)
    other = BreachSubjectFactory(breach=breach)
    request = verified_request(email="sanne@example.nl", right="erasure")
    assert list(request.subjects.all()) == [person]
    erasure_carry_out(actor=officer, request=request)
    assert not DataSubject.objects.filter(pk=person.pk).exists()
    breach.refresh_from_db()
    assert breach.description and BreachNotification.objects.filter(breach=breach).exists()
    link.refresh_from_db()
    # The record that someone affected was told stays; who it was does not.
    assert link.subject_id is None and link.notified_at == told_at
    other.refresh_from_db()
    assert other.subject_id is not None


def test_a_person_deleted_by_a_retention_job_leaves_the_link_without_them():
    person = DataSubjectFactory()
    link = BreachSubjectFactory(subject=person)
    person.delete()
    link.refresh_from_db()
    assert link.subject_id is None


def test_a_breach_link_does_not_keep_a_person_we_hold_nothing_else_for():
    from retention.selectors import data_subjects_without_purpose

    person = DataSubjectFactory()
    BreachSubjectFactory(subject=person)
    assert data_subjects_without_purpose({person.pk}) == {person.pk}
    SubjectRoleFactory(subject=person)
    assert data_subjects_without_purpose({person.pk}) == set()


def test_the_person_s_own_access_answer_names_the_breach_that_affected_them():
    person = DataSubjectFactory(email="sanne@example.nl")
    breach = HighRiskBreachFactory()
    BreachSubjectFactory(breach=breach, subject=person)
    request = verified_request(email="sanne@example.nl", right="access")
    report = access_report_data(request)
    section = next(s for s in report["data"] if s["model"] == "processing.BreachSubject")
    assert section["rows"][0]["breach_id"] == breach.pk
    assert "privacy-administration" in {a["key"] for a in report["processing"]}


def test_rule_breach_5y_deletes_a_closed_breach_5_years_after_closing():
    closed_at = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=datetime.UTC)
    old = HighRiskBreachFactory(closed_at=closed_at)
    BreachSubjectFactory(breach=old)
    BreachNotificationFactory(breach=old)
    still_open = HighRiskBreachFactory(aware_at=closed_at - relativedelta(years=6))
    recent = HighRiskBreachFactory(closed_at=closed_at + relativedelta(years=1))
    limit = closed_at + relativedelta(years=5)
    rule = RetentionRule.objects.get(key="breach-5y")
    margin = datetime.timedelta(hours=rule.run_every_hours)
    # A run whose look-ahead ends just before the limit keeps it ...
    with time_machine.travel(limit - margin - datetime.timedelta(minutes=1), tick=False):
        retention_rule_apply(rule_key="breach-5y")
    assert Breach.objects.filter(pk=old.pk).exists()
    # ... the next run, whose look-ahead passes the limit, deletes it with its links.
    with time_machine.travel(limit - margin + datetime.timedelta(minutes=1), tick=False):
        run = retention_rule_apply(rule_key="breach-5y")
    assert not Breach.objects.filter(pk=old.pk).exists()
    assert not BreachSubject.objects.filter(breach_id=old.pk).exists()
    assert set(Breach.objects.values_list("pk", flat=True)) == {still_open.pk, recent.pk}
    assert run.rows_affected["processing.Breach"] == 1
