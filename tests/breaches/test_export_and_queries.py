"""The register for the Autoriteit Persoonsgegevens (a printable page per incident and a
CSV file of all), without the names of the people affected; and every page of the
register at a fixed number of queries."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from processing.models import DataCategory, Recipient
from tests.breaches.factories import (
    BreachFactory,
    BreachNotificationFactory,
    BreachSubjectFactory,
    HighRiskBreachFactory,
)
from tests.factories import DataSubjectFactory

pytestmark = pytest.mark.django_db

AWARE = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)


def _documented():
    breach = HighRiskBreachFactory(
        aware_at=AWARE,
        occurred_at=AWARE - datetime.timedelta(hours=5),
        subjects_approx=40,
        records_approx=120,
        confidentiality=True,
        processor=Recipient.objects.get(key="mailchimp"),
        processor_told_at=AWARE,
    )
    breach.data_categories.set([DataCategory.objects.get(key="health")])
    BreachNotificationFactory(
        breach=breach,
        sent_at=AWARE + datetime.timedelta(hours=80),
        reference="AP-2026-0412",
        late_reason="De verwerker meldde het lek op vrijdagavond.",
    )
    BreachSubjectFactory(
        breach=breach,
        subject=DataSubjectFactory(first_name="Sanne", last_name="Geheim"),
        notified_at=AWARE + datetime.timedelta(hours=90),
        notified_how="email",
    )
    BreachSubjectFactory(breach=breach, subject=None)
    return breach


def test_the_printable_page_holds_what_the_authority_asks_and_no_names(officer_client):
    breach = _documented()
    with translation.override("en"):
        url = reverse("processing:breach_export", args=[breach.pk])
    body = officer_client.get(url).content.decode()
    for expected in (
        breach.reference,
        "Leafspring B.V.",
        "Mailchimp",
        "Health data (allergies)",
        "AP-2026-0412",
        "De verwerker meldde het lek op vrijdagavond.",
        breach.contact_point,
        breach.likely_consequences,
        breach.measures_taken,
        breach.risk_reasoning,
        "5 March 2026 10:30",  # the deadline, Amsterdam time
    ):
        assert expected in body, expected
    assert "Geheim" not in body and "Sanne" not in body
    # Nothing is loaded from another host.
    assert 'src="http' not in body and 'href="http' not in body


def test_the_csv_has_one_row_per_incident_in_the_chosen_language(officer_client):
    breach = _documented()
    BreachFactory(aware_at=AWARE + datetime.timedelta(days=1), risk="none")
    with translation.override("en"):
        url = reverse("processing:breach_register_csv")
    response = officer_client.get(url)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "datalekregister" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 2
    row = next(r for r in rows if r["Reference"] == breach.reference)
    assert row["Notified after the 72 hours"] == "yes"
    assert row["Approximate number of data subjects"] == "40"
    assert row["People affected linked"] == "2"
    assert row["Of whom told by e-mail"] == "1"
    assert row["Of whom erased since (unlinked)"] == "1"
    assert row["Kind of breach"].startswith("confidentiality breach")
    assert "Sanne" not in response.content.decode()


def test_the_csv_of_an_empty_register_has_its_header(officer_client):
    with translation.override("en"):
        response = officer_client.get(reverse("processing:breach_register_csv"))
    (header,) = response.content.decode("utf-8-sig").splitlines()
    assert header.startswith("Reference,Reported at,Happened at,Leafspring aware since")


def _queries(client, url: str) -> int:
    client.get(url)  # warm up (sessions, permissions, content types)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _more_incidents(n: int) -> None:
    for i in range(n):
        breach = HighRiskBreachFactory(aware_at=AWARE + datetime.timedelta(hours=i))
        BreachNotificationFactory(breach=breach)
        BreachSubjectFactory(breach=breach)
        BreachSubjectFactory(breach=breach, notified_at=AWARE, notified_how="email")
        breach.data_categories.set(DataCategory.objects.all()[:2])
        breach.recipients.set(Recipient.objects.all()[:2])


@pytest.mark.parametrize(
    "name", ["processing:breach_list", "processing:breach_register_csv", "staff_dashboard"]
)
def test_the_register_pages_cost_the_same_queries_with_more_incidents(officer_client, name):
    url = reverse(name)
    _more_incidents(2)
    few = _queries(officer_client, url)
    _more_incidents(20)
    assert _queries(officer_client, url) == few


def test_the_incident_page_costs_the_same_queries_with_more_people(officer_client):
    breach = _documented()
    url = reverse("processing:breach_detail", args=[breach.pk])
    few = _queries(officer_client, url)
    for _ in range(20):
        BreachSubjectFactory(breach=breach)
        BreachNotificationFactory(breach=breach, phase="follow-up", summary="Meer.")
    assert _queries(officer_client, url) == few


def test_the_list_pages_after_50_incidents(officer_client):
    _more_incidents(51)
    response = officer_client.get(reverse("processing:breach_list"))
    assert len(response.context["rows"]) == 50
    assert response.context["page"].paginator.num_pages == 2
