"""The staff intake page: contact messages and brochure requests with their 3-month
follow-up, recording the follow-up, the dashboard's counts, and what the page costs."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from processing.models import ConsentMethod
from subjects.consents import consent_withdraw
from subjects.models import AuditEvent, BrochureRequest
from subjects.selectors import intake_summary
from tests import factories as f
from tests.intake_staff.helpers import brochure_request

pytestmark = pytest.mark.django_db

INTAKE = "subjects_staff:intake"


def _follow_up_url(row: BrochureRequest) -> str:
    return reverse("subjects_staff:brochure_follow_up", args=[row.pk])


def test_anonymous_visitors_are_sent_to_login(client):
    row = brochure_request()
    for response in [
        client.get(reverse(INTAKE)),
        client.post(_follow_up_url(row), {"note": "Gebeld"}),
    ]:
        assert response.status_code == 302
        assert "login" in response["Location"]


def test_it_refuses_an_outsider(outsider_client):
    row = brochure_request()
    assert outsider_client.get(reverse(INTAKE)).status_code == 403
    assert outsider_client.post(_follow_up_url(row), {"note": "Gebeld"}).status_code == 403
    row.refresh_from_db()
    assert row.followed_up_at is None


def test_staff_and_the_officer_may_see_it(staff_client, officer_client):
    assert staff_client.get(reverse(INTAKE)).status_code == 200
    assert officer_client.get(reverse(INTAKE)).status_code == 200


@pytest.mark.parametrize("client_fixture", ["staff_client", "officer_client"])
def test_staff_and_the_officer_may_record_a_follow_up(request, client_fixture):
    client = request.getfixturevalue(client_fixture)
    row = brochure_request()
    response = client.post(_follow_up_url(row), {"note": "Gebeld, wil in maart starten."})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.followed_up_at is not None
    assert row.followed_up_by.username == client_fixture.removesuffix("_client")
    assert row.follow_up_note == "Gebeld, wil in maart starten."
    event = AuditEvent.objects.get(action="brochure.follow-up")
    assert (event.subject_id, event.actor_label) == (
        row.subject_id,
        client_fixture.removesuffix("_client"),
    )
    assert "maart" not in event.note  # the note itself stays out of the audit trail


def test_the_follow_up_is_a_post_with_a_csrf_token(staff):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    row = brochure_request()
    assert client.get(_follow_up_url(row)).status_code == 405
    assert client.post(_follow_up_url(row), {"note": "x"}).status_code == 403
    row.refresh_from_db()
    assert row.followed_up_at is None


def test_the_page_lists_brochure_requests_with_their_deadline_and_whether_to_call(staff_client):
    with time_machine.travel(datetime.datetime(2026, 1, 10, 9, 30, tzinfo=datetime.UTC)):
        allowed = brochure_request(first_name="Bellen", last_name="Mag")
        no_consent = brochure_request(call_consent=False, first_name="Niet", last_name="Bellen")
        body = staff_client.get(reverse(INTAKE)).content.decode()
    # 10 January 10:30 in Amsterdam + 3 months: the same time on the calendar, although
    # summer time began in between.
    assert "10 april 2026 10:30" in body
    row = body.split(f'id="brochure-{allowed.pk}"')[1].split("</tr>")[0]
    assert "text-bg-success" in row
    assert _follow_up_url(allowed) in row
    row = body.split(f'id="brochure-{no_consent.pk}"')[1].split("</tr>")[0]
    assert "Er is geen actieve toestemming" in row or "no active consent" in row
    assert _follow_up_url(no_consent) not in row


def test_the_page_lists_contact_messages_newest_first(staff_client):
    old = f.ContactMessageFactory(
        first_name="Oud", received_at=timezone.now() - datetime.timedelta(days=20)
    )
    new = f.ContactMessageFactory(first_name="Nieuw", channel="email", language="en")
    body = staff_client.get(reverse(INTAKE)).content.decode()
    assert body.index(f'id="message-{new.pk}"') < body.index(f'id="message-{old.pk}"')
    row = body.split(f'id="message-{new.pk}"')[1].split("</tr>")[0]
    assert "e-mail" in row and "Engels" in row
    # Rule contact-review: reviewed 90 days after receipt.
    review_on = timezone.localdate(new.received_at) + datetime.timedelta(days=90)
    assert f"{review_on.day} " in row and str(review_on.year) in row


def test_text_typed_by_the_public_is_escaped_and_isolated(staff_client):
    trick = "Eve\u202e<script>alert(1)</script>"
    f.ContactMessageFactory(first_name=trick, message="<b>hallo</b>\u202egnp.exe")
    brochure_request(first_name=trick)
    body = staff_client.get(reverse(INTAKE)).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "<b>hallo</b>" not in body
    assert "<bdi>Eve\u202e&lt;script&gt;alert(1)&lt;/script&gt; de Vries</bdi>" in body
    assert "<bdi>&lt;b&gt;hallo&lt;/b&gt;\u202egnp.exe</bdi>" in body


def test_a_follow_up_without_consent_to_be_called_is_refused(staff_client):
    row = brochure_request(call_consent=False)
    response = staff_client.post(_follow_up_url(row), {"note": "Gebeld"}, follow=True)
    assert "geen actieve toestemming om gebeld te worden" in response.content.decode() or (
        "no active consent to be called" in response.content.decode()
    )
    row.refresh_from_db()
    assert (row.followed_up_at, row.follow_up_note) == (None, "")
    assert not AuditEvent.objects.filter(action="brochure.follow-up").exists()


def test_a_follow_up_after_the_consent_was_withdrawn_is_refused(staff_client, staff):
    row = brochure_request()
    consent_withdraw(consents=[row.call_consent], actor=staff, method=ConsentMethod.STAFF)
    staff_client.post(_follow_up_url(row), {"note": "Gebeld"})
    row.refresh_from_db()
    assert row.followed_up_at is None


def test_a_follow_up_is_allowed_until_the_last_moment_of_the_3_months(staff_client):
    # 30 November + 3 months is 28 February (the month has no 30th): the limit is the
    # model's own.
    requested_at = datetime.datetime(2025, 11, 30, 10, 0, tzinfo=datetime.UTC)
    with time_machine.travel(requested_at, tick=False):
        row = brochure_request(requested_at=requested_at)
    due = datetime.datetime(2026, 2, 28, 10, 0, tzinfo=datetime.UTC)
    assert row.follow_up_due_at == due
    with time_machine.travel(due - datetime.timedelta(microseconds=1), tick=False):
        assert intake_summary()["follow_ups_due"] == 1
        response = staff_client.post(_follow_up_url(row), {"note": "Net op tijd"})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.followed_up_at == due - datetime.timedelta(microseconds=1)


def test_a_follow_up_at_the_end_of_the_3_months_is_refused(staff_client):
    requested_at = datetime.datetime(2025, 11, 30, 10, 0, tzinfo=datetime.UTC)
    with time_machine.travel(requested_at, tick=False):
        row = brochure_request(requested_at=requested_at)
    with time_machine.travel(row.follow_up_due_at, tick=False):
        assert intake_summary()["follow_ups_due"] == 0
        response = staff_client.post(_follow_up_url(row), {"note": "Te laat"}, follow=True)
    body = response.content.decode()
    assert "De 3 maanden" in body or "The 3 months" in body
    row.refresh_from_db()
    assert row.followed_up_at is None


def test_a_follow_up_is_recorded_once(staff_client):
    row = brochure_request()
    staff_client.post(_follow_up_url(row), {"note": "Eerste keer"})
    response = staff_client.post(_follow_up_url(row), {"note": "Tweede keer"}, follow=True)
    row.refresh_from_db()
    assert row.follow_up_note == "Eerste keer"
    assert AuditEvent.objects.filter(action="brochure.follow-up").count() == 1
    assert "al vastgelegd" in response.content.decode() or "already recorded" in (
        response.content.decode()
    )


def test_no_call_for_a_person_who_objected_to_direct_marketing(staff_client):
    row = brochure_request()
    row.subject.marketing_objection_at = timezone.now()
    row.subject.save()
    staff_client.post(_follow_up_url(row), {"note": "Gebeld"})
    row.refresh_from_db()
    assert row.followed_up_at is None


def test_a_note_that_is_too_long_is_refused_with_a_message(staff_client):
    row = brochure_request()
    response = staff_client.post(_follow_up_url(row), {"note": "x" * 2001}, follow=True)
    assert response.status_code == 200
    row.refresh_from_db()
    assert row.followed_up_at is None


def test_the_intake_page_links_the_audience_export(staff_client):
    body = staff_client.get(reverse(INTAKE)).content.decode()
    assert reverse("subjects_staff:newsletter_audience_csv") in body


def test_the_dashboard_counts_follow_ups_due_and_new_contact_messages(staff_client, staff):
    due = brochure_request()
    brochure_request(call_consent=False)  # no call allowed
    done = brochure_request()
    BrochureRequest.objects.filter(pk=done.pk).update(followed_up_at=timezone.now())
    brochure_request(requested_at=timezone.now() - datetime.timedelta(days=100))  # too late
    withdrawn = brochure_request()
    consent_withdraw(consents=[withdrawn.call_consent], actor=staff, method=ConsentMethod.STAFF)
    f.ContactMessageFactory()
    f.ContactMessageFactory(received_at=timezone.now() - datetime.timedelta(days=8))
    response = staff_client.get(reverse("staff_dashboard"))
    assert response.context["intake"]["follow_ups_due"] == 1
    assert response.context["intake"]["new_contact_messages"] == 1
    body = response.content.decode()
    assert 'id="follow-ups-due"' in body
    assert reverse(INTAKE) in body
    staff_client.post(_follow_up_url(due), {"note": ""})
    response = staff_client.get(reverse("staff_dashboard"))
    assert response.context["intake"]["follow_ups_due"] == 0


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx)


def _fill(count: int) -> None:
    for i in range(count):
        brochure_request(call_consent=i % 2 == 0)
        f.ContactMessageFactory()


def test_the_intake_page_costs_the_same_number_of_queries_with_more_rows(staff_client):
    url = reverse(INTAKE)
    _fill(3)
    few = _queries(staff_client, url)
    _fill(40)  # more than a page of each
    assert _queries(staff_client, url) == few
    assert _queries(staff_client, url + "?brochures=2&messages=2") == few


def test_the_dashboard_costs_the_same_number_of_queries_with_more_intake(staff_client, staff):
    from tests.intake_staff.helpers import withdrawal_task

    url = reverse("staff_dashboard")
    _fill(2)
    withdrawal_task()
    few = _queries(staff_client, url)
    _fill(30)
    for _i in range(10):
        withdrawal_task()
    assert _queries(staff_client, url) == few
