"""Business relationships (client, client-organisation contact, trainer/coach, supplier
contact) end only when staff say so. The retention page lists the open ones of people we
hold nothing else for, staff end them there (or in the admin), and the daily run of rule
fiscal-7y removes the person after the end date when nothing else keeps them."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from processing.models import SubjectCategory
from retention.selectors import open_relationships_without_records
from subjects import models as m
from tests import factories as f
from tests.retention.conftest import ams, apply_at

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("retention:overview")


def _role(key: str, **fields) -> m.SubjectRole:
    return f.SubjectRoleFactory(
        category=SubjectCategory.objects.get(key=key),
        started_on=datetime.date(2025, 1, 1),
        **fields,
    )


def _exists(subject) -> bool:
    return m.DataSubject.objects.filter(pk=subject.pk).exists()


def _end_url(role) -> str:
    return reverse("retention:relationship_end", kwargs={"pk": role.pk})


def test_the_page_lists_open_relationships_of_people_we_hold_nothing_else_for(staff_client):
    idle = _role("client")
    with_invoice = _role("supplier-contact")
    f.InvoiceFactory(subject=with_invoice.subject)
    ended = _role("trainer-coach", ended_on=datetime.date(2025, 6, 1))
    also_trainee = _role("client-organisation-contact")
    _role("newsletter-subscriber", subject=also_trainee.subject)
    f.NewsletterSubscriptionFactory(subject=also_trainee.subject)
    response = staff_client.get(OVERVIEW)
    assert [r.pk for r in response.context["relationships"]] == [idle.pk]
    assert response.context["relationships_total"] == 1
    page = response.content.decode()
    assert idle.subject.full_name in page and with_invoice.subject.full_name not in page
    assert ended.subject.full_name not in page
    assert "Open relaties zonder gegevens" in page


def test_the_list_costs_the_same_number_of_queries_however_many_people(staff_client):
    for _ in range(3):
        _role("client")
    with CaptureQueriesContext(connection) as few:
        staff_client.get(OVERVIEW)
    for _ in range(40):
        f.InvoiceFactory(subject=_role("supplier-contact").subject)
        _role("client")
    with CaptureQueriesContext(connection) as many:
        response = staff_client.get(OVERVIEW)
    assert response.context["relationships_total"] == 43
    assert len(many) == len(few)


def test_ending_a_relationship_ends_the_role_today_and_the_person_goes_after_today(
    officer_client,
):
    role = _role("client")
    with time_machine.travel(ams(2026, 11, 25, 10, 0), tick=False):
        response = officer_client.post(_end_url(role), follow=True)
        assert "is vandaag beëindigd" in response.content.decode()
    role.refresh_from_db()
    assert role.ended_on == datetime.date(2026, 11, 25)
    assert m.AuditEvent.objects.filter(subject=role.subject, action="subject.role-end").exists()
    apply_at(ams(2026, 11, 25, 23, 59, 59), "fiscal-7y")  # the role's last day
    assert _exists(role.subject)
    run = apply_at(ams(2026, 11, 26, 0, 0), "fiscal-7y")
    assert not _exists(role.subject)
    assert run.rows_affected.get("subjects.DataSubject") == 1


def test_a_relationship_ended_in_the_admin_is_judged_too_and_records_keep_the_person():
    kept = _role("client", ended_on=datetime.date(2026, 1, 31))
    f.InvoiceFactory(subject=kept.subject, issued_on=datetime.date(2026, 1, 15))
    gone = _role("supplier-contact", ended_on=datetime.date(2026, 1, 31))
    still_open = _role("client")
    apply_at(ams(2026, 11, 26, 3, 0), "fiscal-7y")
    assert _exists(kept.subject)  # the invoice keeps them for 7 years
    assert not _exists(gone.subject)
    assert _exists(still_open.subject)  # open: only staff end it


def test_a_relationship_that_has_records_now_cannot_be_ended_from_the_page(officer_client):
    role = _role("client")
    f.InvoiceFactory(subject=role.subject)
    response = officer_client.post(_end_url(role), follow=True)
    assert "niet meer open" in response.content.decode()
    role.refresh_from_db()
    assert role.ended_on is None


def test_only_staff_who_may_change_roles_end_relationships(staff_client, outsider_client, client):
    role = _role("client")
    assert outsider_client.post(_end_url(role)).status_code == 403
    assert client.post(_end_url(role)).status_code == 302  # to the login page
    role.refresh_from_db()
    assert role.ended_on is None
    assert staff_client.get(_end_url(role)).status_code == 405
    assert staff_client.post(_end_url(role)).status_code == 302
    role.refresh_from_db()
    assert role.ended_on is not None


def test_the_selector_leaves_out_held_restricted_and_requesting_people():
    held = _role("client")
    held.subject.restricted_at = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    held.subject.restriction_ground = "Art. 18 AVG: verzoek V-1"
    held.subject.save()
    idle = _role("trainer-coach")
    assert list(open_relationships_without_records()) == [idle]
