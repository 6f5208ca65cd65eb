"""The dashboard and the recipients page mark what needs the privacy officer: an agreement
missing or without its document, its review due (from 30 days before) or overdue, a
compliance check missing or overdue (the day after it was due), missing transfer
evidence. Tested at the exact day each line appears, and at a fixed query count."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from processing.models import Recipient, RecipientCheck
from tests.recipients.conftest import recipients_in_order

pytestmark = pytest.mark.django_db
AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")
TODAY = datetime.date(2026, 3, 10)


def _at(day: datetime.date, hour: int = 0, minute: int = 0):
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=AMS)
    )


def _attention(client) -> dict[str, list[str]]:
    with translation.override("en"):
        recipients = client.get(reverse("staff_dashboard")).context["recipients"]
        return {r.key: [item.code for item in r.attention] for r in recipients}


@pytest.fixture
def in_order():
    recipients_in_order(TODAY)


def test_nothing_to_do_when_every_recipient_is_in_order(staff_client, in_order):
    with _at(TODAY, 12):
        assert _attention(staff_client) == {}
        page = staff_client.get(reverse("staff_dashboard")).content.decode()
    assert 'id="recipients-attention"' in page


def test_a_missing_agreement_and_a_missing_document_are_marked(staff_client, in_order):
    Recipient.objects.filter(key="zoom").update(processing_agreement_date=None)
    Recipient.objects.filter(key="gallup").update(processing_agreement_document="")
    with _at(TODAY, 12):
        assert _attention(staff_client) == {
            "zoom": ["agreement-missing"],
            "gallup": ["document-missing"],
        }


def test_the_agreement_review_shows_from_30_days_before_its_date(staff_client, in_order):
    review_on = TODAY + datetime.timedelta(days=45)
    Recipient.objects.filter(key="mailchimp").update(next_review_on=review_on)
    with _at(review_on - datetime.timedelta(days=31), 23, 59):
        assert _attention(staff_client) == {}
    with _at(review_on - datetime.timedelta(days=30), 0, 0):
        assert _attention(staff_client) == {"mailchimp": ["review-due"]}
    with _at(review_on, 23, 59):
        assert _attention(staff_client) == {"mailchimp": ["review-due"]}
    with _at(review_on + datetime.timedelta(days=1), 0, 0):
        assert _attention(staff_client) == {"mailchimp": ["review-overdue"]}


def test_a_check_is_overdue_the_day_after_it_was_due(staff_client, in_order):
    due = TODAY + datetime.timedelta(days=100)
    with _at(due, 23, 59):
        assert _attention(staff_client) == {}
    with _at(due + datetime.timedelta(days=1), 0, 0):
        attention = _attention(staff_client)
    assert set(attention) == set(Recipient.objects.values_list("key", flat=True))
    assert all(codes == ["check-overdue"] for codes in attention.values())


def test_the_newest_check_counts(staff_client, in_order):
    zoom = Recipient.objects.get(key="zoom")
    RecipientCheck.objects.filter(recipient=zoom).update(
        next_check_on=TODAY - datetime.timedelta(days=5)
    )
    with _at(TODAY, 12):
        assert _attention(staff_client) == {"zoom": ["check-overdue"]}
        RecipientCheck.objects.create(
            recipient=zoom,
            checked_on=TODAY,
            checked_by_name="M. Jansen",
            outcome="compliant",
            findings="In orde.",
            next_check_on=TODAY + datetime.timedelta(days=365),
        )
        assert _attention(staff_client) == {}


def test_no_check_and_missing_transfer_evidence_are_marked(staff_client, in_order):
    RecipientCheck.objects.filter(recipient__key="nobco").delete()
    Recipient.objects.filter(key="microsoft-365").update(dpf_checked_on=None)
    Recipient.objects.filter(key="gallup").update(transfer_assessment_on=None)
    with _at(TODAY, 12):
        assert _attention(staff_client) == {
            "nobco": ["check-missing"],
            "microsoft-365": ["transfer-evidence-missing"],
            "gallup": ["transfer-evidence-missing"],
        }


def test_the_dashboard_says_what_and_when_in_words(staff_client, in_order):
    Recipient.objects.filter(key="mailchimp").update(
        next_review_on=TODAY - datetime.timedelta(days=1)
    )
    Recipient.objects.filter(key="gallup").update(transfer_assessment_on=None)
    with _at(TODAY, 12), translation.override("en"):
        page = staff_client.get(reverse("staff_dashboard")).content.decode()
    assert "review of the agreement overdue since 9 March 2026" in page
    assert "transfer outside the EEA lacks: date of the transfer impact assessment" in page
    assert 'href="/en/staff/recipients/mailchimp/"' in page


def test_a_fresh_register_marks_every_recipient(staff_client):
    attention = _attention(staff_client)
    assert set(attention) == set(Recipient.objects.values_list("key", flat=True))
    assert attention["zoom"] == ["agreement-missing", "check-missing", "transfer-evidence-missing"]
    assert attention["hosting"] == ["agreement-missing", "check-missing"]


def _more_recipients_and_checks(count: int) -> None:
    for i in range(count):
        recipient = Recipient.objects.create(
            key=f"extra-{i}", name=f"Extra {i}", kind="processor", country="Nederland"
        )
        for days in (10, 400):
            RecipientCheck.objects.create(
                recipient=recipient,
                checked_on=TODAY - datetime.timedelta(days=days),
                checked_by_name="M. Jansen",
                outcome="compliant",
                findings="In orde.",
                next_check_on=TODAY + datetime.timedelta(days=100 - days),
            )


@pytest.mark.parametrize("url_name", ["staff_dashboard", "recipients:list"])
def test_the_pages_cost_the_same_number_of_queries_with_more_recipients(staff_client, url_name):
    url = reverse(url_name)
    staff_client.get(url)
    cache.clear()  # both counted cold: recipients change the dashboard's statement draft
    with CaptureQueriesContext(connection) as few:
        staff_client.get(url)
    _more_recipients_and_checks(25)
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        response = staff_client.get(url)
    assert response.status_code == 200
    assert len(few) == len(many)


def test_the_recipients_page_shows_role_agreement_and_last_check(staff_client, in_order):
    with _at(TODAY, 12), translation.override("en"):
        page = staff_client.get(reverse("recipients:list")).content.decode()
    assert page.count('id="recipient-') == Recipient.objects.count()
    assert "independent controller" in page  # MeetIn, NOBCO
    assert "United States" in page
    assert "28 February 2026" in page  # the last check of each
    assert "in order" in page
