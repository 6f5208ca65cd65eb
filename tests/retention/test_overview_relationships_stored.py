"""The retention page lists the open business relationships of people we hold nothing
else for without judging every open relationship on every view: the daily run of
fiscal-7y stores what it found (``IdleRelationship``), the page judges again, from the
source data, those and the people something changed for since that run."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from processing.models import SubjectCategory
from retention.models import IdleRelationship
from subjects import models as m
from tests import factories as f
from tests.retention.conftest import ams, apply_at

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("retention:overview")


def _client_role(**fields) -> m.SubjectRole:
    return f.SubjectRoleFactory(
        category=SubjectCategory.objects.get(key="client"),
        started_on=datetime.date(2025, 1, 1),
        **fields,
    )


def _kept_clients(count: int) -> None:
    """``count`` people with an open client relationship and an invoice, in bulk."""
    client = SubjectCategory.objects.get(key="client")
    people = m.DataSubject.objects.bulk_create(
        m.DataSubject(first_name="P", last_name=str(n), email=f"p{n}@example.nl")
        for n in range(count)
    )
    m.SubjectRole.objects.bulk_create(
        m.SubjectRole(subject=p, category=client, started_on=datetime.date(2024, 1, 1))
        for p in people
    )
    m.Invoice.objects.bulk_create(
        m.Invoice(
            number=f"F{p.pk}",
            subject=p,
            issued_on=datetime.date(2026, 6, 1),
            billing_name="P",
            amount=10,
        )
        for p in people
    )


def _shown(client) -> tuple[list[int], int]:
    response = client.get(OVERVIEW)
    return [r.pk for r in response.context["relationships"]], response.context[
        "relationships_total"
    ]


@pytest.mark.parametrize("count", [10, 1000])
def test_the_page_costs_the_same_queries_for_10_and_1000_kept_clients(staff_client, count):
    _kept_clients(count)
    idle = _client_role()
    apply_at(ams(2026, 11, 26, 3, 0), "fiscal-7y")
    assert list(IdleRelationship.objects.values_list("role_id", flat=True)) == [idle.pk]
    with time_machine.travel(ams(2026, 11, 26, 10, 0), tick=False):
        staff_client.get(OVERVIEW)  # the session
        with CaptureQueriesContext(connection) as context:
            assert _shown(staff_client) == ([idle.pk], 1)
    # The page, and the judgement of the one shown person from the source data (a query
    # per registry entry that can keep a person).
    assert len(context) == 35
    # No list of the kept clients in any query.
    assert max(len(q["sql"]) for q in context.captured_queries) < 6000


def test_a_relationship_added_after_the_run_is_shown_at_once(staff_client):
    apply_at(ams(2026, 11, 26, 3, 0), "fiscal-7y")
    with time_machine.travel(ams(2026, 11, 26, 10, 0), tick=False):
        idle = _client_role()
        assert _shown(staff_client) == ([idle.pk], 1)


def test_a_listed_person_who_gets_an_invoice_leaves_the_list_at_once(staff_client):
    idle = _client_role()
    apply_at(ams(2026, 11, 26, 3, 0), "fiscal-7y")
    with time_machine.travel(ams(2026, 11, 26, 10, 0), tick=False):
        assert _shown(staff_client) == ([idle.pk], 1)
        f.InvoiceFactory(subject=idle.subject, issued_on=datetime.date(2026, 11, 20))
        assert _shown(staff_client) == ([], 0)
    assert IdleRelationship.objects.filter(role=idle).exists()  # until the next run
    apply_at(ams(2026, 11, 27, 3, 0), "fiscal-7y")
    assert not IdleRelationship.objects.exists()


def test_a_person_whose_hold_is_over_is_shown_from_the_day_after_its_last_day(staff_client):
    held = _client_role()
    f.LegalHoldFactory(subject=held.subject, held_until=datetime.date(2026, 11, 26))
    apply_at(ams(2026, 11, 26, 3, 0), "fiscal-7y")
    with time_machine.travel(ams(2026, 11, 26, 23, 59, 59), tick=False):
        assert _shown(staff_client) == ([], 0)
    with time_machine.travel(ams(2026, 11, 27, 0, 0), tick=False):
        assert _shown(staff_client) == ([held.pk], 1)


def test_a_stored_row_ends_nothing_the_source_data_does_not_allow(officer_client):
    idle = _client_role()
    apply_at(ams(2026, 11, 26, 3, 0), "fiscal-7y")
    f.InvoiceFactory(subject=idle.subject)
    url = reverse("retention:relationship_end", kwargs={"pk": idle.pk})
    response = officer_client.post(url, follow=True)
    assert "niet meer open" in response.content.decode()
    idle.refresh_from_db()
    assert idle.ended_on is None
