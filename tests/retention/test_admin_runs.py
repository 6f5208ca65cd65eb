"""The admin of retention runs: read-only, filterable, failures visible."""

from __future__ import annotations

import pytest
from django.urls import reverse

from retention.models import LegalHold, RetentionRule, RetentionRun

pytestmark = pytest.mark.django_db


def _run(key, outcome, **kwargs):
    return RetentionRun.objects.create(
        rule=RetentionRule.objects.get(key=key), outcome=outcome, **kwargs
    )


def test_it_lists_runs_with_failures_visible(officer_client):
    _run("ip-4w", "success", rows_affected={"subjects.WebsiteVisit": 3}, total_rows=3)
    _run("fiscal-7y", "failed", error="OperationalError: connection lost")
    response = officer_client.get(reverse("admin:retention_retentionrun_changelist"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "ip-4w" in content and "fiscal-7y" in content


@pytest.mark.parametrize(
    "query", ["outcome__exact=failed", "attention=failed", "trigger__exact=schedule"]
)
def test_it_filters_runs(officer_client, query):
    _run("ip-4w", "success")
    failed = _run("fiscal-7y", "failed", error="boom")
    response = officer_client.get(reverse("admin:retention_retentionrun_changelist") + "?" + query)
    assert response.status_code == 200
    runs = list(response.context["cl"].result_list)
    if query != "trigger__exact=schedule":
        assert runs == [failed]


def test_a_run_shows_its_rows_per_model_and_error_and_cannot_be_changed(officer_client):
    run = _run("fiscal-7y", "failed", error="boom", rows_affected={"subjects.Invoice": 2})
    url = reverse("admin:retention_retentionrun_change", args=[run.pk])
    response = officer_client.get(url)
    assert response.status_code == 200
    assert "subjects.Invoice" in response.content.decode()
    assert "boom" in response.content.decode()
    officer_client.post(url, {"outcome": "success"})
    run.refresh_from_db()
    assert run.outcome == "failed"
    assert officer_client.get(reverse("admin:retention_retentionrun_add")).status_code == 403


def test_staff_can_read_the_run_log(staff_client):
    _run("ip-4w", "success")
    assert staff_client.get(reverse("admin:retention_retentionrun_changelist")).status_code == 200


def test_outsiders_cannot(outsider_client):
    response = outsider_client.get(reverse("admin:retention_retentionrun_changelist"))
    assert response.status_code == 302


def test_the_rule_admin_shows_rules_with_limits_read_only(officer_client):
    rule = RetentionRule.objects.get(key="ip-4w")
    response = officer_client.get(reverse("admin:retention_retentionrule_change", args=[rule.pk]))
    assert response.status_code == 200
    assert 'name="limit_value"' not in response.content.decode()


def test_the_run_log_links_to_the_review_queue(staff_client):
    response = staff_client.get(reverse("admin:retention_retentionrun_changelist"))
    assert reverse("retention:review_queue") in response.content.decode()


def test_the_officer_can_queue_a_rule_to_run_now(officer_client):
    from unittest import mock

    rule = RetentionRule.objects.get(key="ip-4w")
    with mock.patch("retention.admin.retention_rule_apply_task.delay") as delay:
        response = officer_client.post(
            reverse("admin:retention_retentionrule_changelist"),
            {"action": "run_now", "_selected_action": [rule.pk]},
        )
    assert response.status_code == 302
    delay.assert_called_once_with("ip-4w", "staff")


def test_adding_a_legal_hold_on_a_person_is_audited(officer, officer_client):
    from subjects.models import AuditEvent
    from tests.factories import DataSubjectFactory

    person = DataSubjectFactory()
    response = officer_client.post(
        reverse("admin:retention_legalhold_add"),
        {
            "key": "claim-1",
            "name_nl": "Geschil",
            "name_en": "Dispute",
            "ground_nl": "Rechtsvordering",
            "ground_en": "Legal claim",
            "article": "Art. 17(3)(e) AVG",
            "subject": person.pk,
            "held_until": "2030-01-01",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    hold = LegalHold.objects.get(key="claim-1")
    assert hold.created_by == officer
    assert AuditEvent.objects.filter(action="retention.hold-add", subject=person).exists()
