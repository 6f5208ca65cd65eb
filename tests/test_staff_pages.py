"""The staff dashboard and the Art. 30 register: who may see them, what they show, and
what they cost."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from processing.models import ProcessingActivity
from requests_dsar.models import DsarRequest, Status
from retention.models import RetentionRule, RetentionRun
from tests import factories as f

pytestmark = pytest.mark.django_db
PAGES = ["staff_dashboard", "staff_register", "staff_register_csv", "staff_register_pdf"]


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_visitors_are_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize("name", PAGES)
def test_outsiders_are_refused(outsider_client, name):
    assert outsider_client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", PAGES)
def test_staff_and_the_officer_may_see_them(staff_client, officer_client, name):
    assert staff_client.get(reverse(name)).status_code == 200
    assert officer_client.get(reverse(name)).status_code == 200


def test_the_register_lists_every_activity_with_transfers_outside_the_eea(staff_client):
    body = staff_client.get(reverse("staff_register")).content.decode()
    assert body.count("<section") == ProcessingActivity.objects.count() == 19
    assert "Gallup (CliftonStrengths) (Verenigde Staten" in body
    assert "Gerechtvaardigd belang" in body


def test_the_register_csv_has_one_row_per_activity_in_the_chosen_language(staff_client):
    response = staff_client.get("/en" + reverse("staff_register_csv"))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == ProcessingActivity.objects.count() == 19
    newsletter = next(r for r in rows if r["Processing activity"] == "Newsletter")
    assert "Mailchimp" in newsletter["Recipients"]
    assert "Data Privacy Framework" in newsletter["Transfers outside the EEA"]
    assert "6 weeks" in newsletter["Erasure time limit"]


def _request(status: str, due_in_days: int) -> DsarRequest:
    today = timezone.localdate()
    return DsarRequest.objects.create(
        reference=f"R-{DsarRequest.objects.count() + 1:05d}",
        request_type="access",
        status=status,
        name="Test Persoon",
        email=f"p{DsarRequest.objects.count()}@example.nl",
        due_on=today + timezone.timedelta(days=due_in_days),
    )


def test_the_dashboard_counts_open_overdue_and_soon_due_requests(staff_client):
    _request(Status.NEW, -2)
    _request(Status.IN_PROGRESS, 3)
    _request(Status.EXTENDED, 30)
    _request(Status.COMPLETED, -10)
    summary = staff_client.get(reverse("staff_dashboard")).context["requests_summary"]
    assert summary == {"open": 3, "overdue": 1, "due_soon": 1}


def test_the_dashboard_shows_the_last_run_of_each_rule(staff_client):
    rule = RetentionRule.objects.get(key="ip-4w")
    RetentionRun.objects.create(rule=rule, outcome="failed", error="disk full")
    RetentionRun.objects.create(rule=rule, outcome="success", total_rows=42)
    rules = staff_client.get(reverse("staff_dashboard")).context["rules"]
    ip = next(r for r in rules if r.key == "ip-4w")
    assert (ip.last_outcome, ip.last_total) == ("success", 42)


def test_the_dashboard_costs_the_same_number_of_queries_with_more_data(staff_client):
    url = reverse("staff_dashboard")
    # Requests changed in both states (on PostgreSQL this test's transaction then counts
    # them itself in both: their stamp is renewed at commit).
    _request(Status.NEW, -6)
    staff_client.get(url)
    with CaptureQueriesContext(connection) as few:
        staff_client.get(url)
    for i in range(30):
        _request(Status.NEW, i - 5)
        f.ContactMessageFactory()
    for rule in RetentionRule.objects.all():
        RetentionRun.objects.create(rule=rule, outcome="success", total_rows=1)
    staff_client.get(url)  # the requests changed: counted again once, then kept
    with CaptureQueriesContext(connection) as many:
        staff_client.get(url)
    assert len(few) == len(many)


def _people(n: int, *, restricted: int = 0) -> None:
    """``n`` people in bulk (each with a contact message and a current role), the first
    ``restricted`` of them restricted."""
    from subjects.models import ContactMessage, DataSubject, SubjectRole

    start = DataSubject.objects.count()
    people = DataSubject.objects.bulk_create(
        DataSubject(
            first_name=f"P{i}",
            last_name="Bulk",
            email=f"bulk{i}@example.nl",
            restricted_at=timezone.now() if i - start < restricted else None,
        )
        for i in range(start, start + n)
    )
    category = f.SubjectRoleFactory.build().category
    category.save()
    SubjectRole.objects.bulk_create(SubjectRole(subject=p, category=category) for p in people)
    ContactMessage.objects.bulk_create(
        ContactMessage(subject=p, channel="form", first_name="P", last_name="Bulk") for p in people
    )


def test_the_dashboard_costs_the_same_number_of_queries_for_10_and_1000_people(staff_client):
    url = reverse("staff_dashboard")
    _people(10)
    staff_client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert staff_client.get(url).status_code == 200
    _people(990)
    with CaptureQueriesContext(connection) as many:
        assert staff_client.get(url).status_code == 200
    assert len(few) == len(many)


def test_the_dashboard_counts_people_and_the_restricted_exactly_while_few(staff_client):
    _people(12, restricted=2)
    with translation.override("en"):
        page = staff_client.get(reverse("staff_dashboard"))
    assert page.context["subjects_summary"] == {"total": 12, "restricted": 2, "estimated": False}
    assert "about" not in page.content.decode().split('id="chart-requests"')[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own estimate")
def test_many_people_are_counted_from_postgresqls_estimate_and_the_page_says_about(
    staff_client, monkeypatch
):
    from subjects import selectors

    monkeypatch.setattr(selectors, "ESTIMATE_FROM", 20)
    _people(1000, restricted=3)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE subjects_datasubject")
    with translation.override("en"):
        page = staff_client.get(reverse("staff_dashboard"))
    summary = page.context["subjects_summary"]
    assert summary["estimated"] and summary["restricted"] == 3
    assert 900 <= summary["total"] <= 1100
    assert f"about {summary['total']}" in page.content.decode()


def test_new_contact_messages_are_counted_exactly_up_to_the_cap_and_estimated_beyond(
    staff_client, monkeypatch
):
    from subjects import selectors

    monkeypatch.setattr(selectors, "NEW_CONTACT_EXACT_UP_TO", 25)
    _people(25)
    cache.clear()  # both counted cold (the statement draft is worded each time)
    with translation.override("en"), CaptureQueriesContext(connection) as below:
        intake = staff_client.get(reverse("staff_dashboard")).context["intake"]
    assert (intake["new_contact_messages"], intake["new_contact_estimated"]) == (25, False)
    _people(975)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    cache.clear()
    with translation.override("en"), CaptureQueriesContext(connection) as above:
        page = staff_client.get(reverse("staff_dashboard"))
    assert len(below) == len(above)
    n, estimated = (
        page.context["intake"]["new_contact_messages"],
        page.context["intake"]["new_contact_estimated"],
    )
    if connection.vendor == "postgresql":
        assert estimated and 26 <= n <= 1500
        assert f"about {n}" in page.content.decode()
    else:
        assert (n, estimated) == (1000, False)
