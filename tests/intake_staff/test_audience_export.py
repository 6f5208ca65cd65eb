"""The newsletter audience export for Mailchimp's import: exactly who may be mailed now,
in Mailchimp's column layout, never cached, audited."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from processing.models import SubjectCategory
from subjects.models import AuditEvent, DataSubject, NewsletterSubscription
from subjects.newsletter import newsletter_sign_up, newsletter_soft_opt_in_record
from subjects.services import newsletter_stop
from subjects.suppression import address_suppress
from tests import factories as f

pytestmark = pytest.mark.django_db

URL = "subjects_staff:newsletter_audience_csv"


def _rows(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


def _subscriber(email: str, **fields) -> NewsletterSubscription:
    subject = f.DataSubjectFactory(email=email, **fields)
    return f.NewsletterSubscriptionFactory(subject=subject)


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(reverse(URL))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_it_refuses_an_outsider(outsider_client):
    _subscriber("lezer@example.nl")
    response = outsider_client.get(reverse(URL))
    assert response.status_code == 403
    assert b"lezer@example.nl" not in response.content
    assert not AuditEvent.objects.filter(action="newsletter.audience-export").exists()


def test_staff_and_the_officer_may_export(staff_client, officer_client):
    assert staff_client.get(reverse(URL)).status_code == 200
    assert officer_client.get(reverse(URL)).status_code == 200


def test_the_export_has_exactly_who_may_be_mailed_now(staff_client, staff, mailoutbox):
    # In: confirmed by consent, and a client by soft opt-in.
    _subscriber("bevestigd@example.nl", first_name="Zoë", last_name="Öztürk")
    client = f.DataSubjectFactory(email="klant@example.nl", first_name="Karel", last_name="Klant")
    f.SubjectRoleFactory(subject=client, category=SubjectCategory.objects.get(key="client"))
    newsletter_soft_opt_in_record(
        actor=staff, subject=client, sale=f.InvoiceFactory(subject=client)
    )
    # Out: a sign-up not yet confirmed.
    newsletter_sign_up(email="wacht@example.nl", first_name="Wacht")
    # Out: unsubscribed.
    unsubscribed = _subscriber("afgemeld@example.nl")
    newsletter_stop(actor=None, subject=unsubscribed.subject)
    # Out: the subscription restricted, and the person restricted (Art. 18).
    restricted = _subscriber("beperkt@example.nl")
    NewsletterSubscription.objects.filter(pk=restricted.pk).update(restricted_at=timezone.now())
    person_restricted = _subscriber("persoon-beperkt@example.nl")
    DataSubject.objects.filter(pk=person_restricted.subject_id).update(restricted_at=timezone.now())
    # Out: objected to direct marketing (Art. 21(3)).
    objected = _subscriber("bezwaar@example.nl")
    DataSubject.objects.filter(pk=objected.subject_id).update(marketing_objection_at=timezone.now())
    # Out: the address is on the suppression list.
    suppressed = _subscriber("onderdrukt@example.nl")
    address_suppress(email=suppressed.email, reason="unsubscribed")

    response = staff_client.get(reverse(URL))

    rows = _rows(response)
    assert rows[0] == ["Email Address", "First Name", "Last Name"]
    assert rows[1:] == [
        ["bevestigd@example.nl", "Zoë", "Öztürk"],
        ["klant@example.nl", "Karel", "Klant"],
    ]
    assert "no-store" in response["Cache-Control"]
    assert "attachment" in response["Content-Disposition"]
    event = AuditEvent.objects.get(action="newsletter.audience-export")
    assert (event.actor, event.params, event.note) == (staff, {"count": 2}, "")


def test_the_export_is_utf8_without_a_byte_order_mark(staff_client):
    _subscriber("zoe@example.nl", first_name="Zoë")
    content = staff_client.get(reverse(URL)).content
    assert content.startswith(b"Email Address,First Name,Last Name\r\n")
    assert "Zoë".encode() in content


def test_an_address_leaves_the_export_the_moment_it_unsubscribes(staff_client):
    subscription = _subscriber("weg@example.nl")
    assert len(_rows(staff_client.get(reverse(URL)))) == 2
    newsletter_stop(actor=None, subject=subscription.subject)
    assert _rows(staff_client.get(reverse(URL))) == [["Email Address", "First Name", "Last Name"]]


def test_a_name_that_a_spreadsheet_would_run_as_a_formula_is_quoted(staff_client):
    _subscriber("formule@example.nl", first_name='=HYPERLINK("http://x")', last_name="+1")
    rows = _rows(staff_client.get(reverse(URL)))
    assert rows[1] == ["formule@example.nl", '\'=HYPERLINK("http://x")', "'+1"]
