"""Every page that shows trail entries renders them in the reader's language: the staff
request page, the admin's audit trail and request trail, and an access answer; what
staff typed is shown as typed. The pages cost the same number of queries however long
the trail."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from requests_dsar.fulfilment.readable import row_shown
from requests_dsar.models import RequestEvent
from requests_dsar.services.events import request_event_record
from subjects.models import AuditEvent
from subjects.services import audit_event_record
from tests import factories as f
from tests.requests_dsar.factories import verified_request

pytestmark = pytest.mark.django_db


def test_the_request_page_shows_the_trail_in_the_readers_language(officer_client):
    f.DataSubjectFactory(email="sanne@example.nl")
    dsar = verified_request(right="erasure")
    officer_client.post(
        f"/staff/requests/{dsar.pk}/extend/", {"months": 1, "reason": "Veel archiefstukken"}
    )
    html = officer_client.get(f"/staff/requests/{dsar.pk}/").content.decode()
    assert "e-mailadres bevestigd; automatisch gekoppeld aan 1 betrokkene met dit adres" in html
    assert "termijn verlengd met 1 maand" in html
    assert "Veel archiefstukken" in html  # as the staff member typed it
    assert "linked automatically" not in html
    html = officer_client.get(f"/en/staff/requests/{dsar.pk}/").content.decode()
    assert "e-mail address verified; linked automatically to 1 data subject" in html
    assert "period extended by 1 month" in html


def _page_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _trail(dsar, n: int) -> None:
    for _ in range(n):
        request_event_record(
            request=dsar,
            actor=None,
            action="erasure-carried-out",
            params={"activities": ["e2grow"], "lines": [{"model": "subjects.E2GrowAccount"}]},
        )
        request_event_record(request=dsar, actor=None, action="extended", params={"months": 1})


def test_the_request_page_costs_the_same_for_a_short_and_a_long_trail(officer_client):
    dsar = verified_request()
    url = f"/staff/requests/{dsar.pk}/"
    _trail(dsar, 2)
    short = _page_queries(officer_client, url)
    _trail(dsar, 40)
    assert _page_queries(officer_client, url) == short


def test_the_admin_audit_trail_says_what_happened_in_words(officer_client):
    subject = f.DataSubjectFactory()
    event = audit_event_record(
        actor=None,
        action="subject.erase-accounts",
        subject=subject,
        params={"reference": "V-ABCD2345", "activities": ["e2grow"]},
    )
    audit_event_record(
        actor=None,
        action="retention.review-keep",
        subject=subject,
        target=f.ContactMessageFactory(subject=subject),
        changed_fields=["keep_reason", "next_review_on"],
        params={"next_review_on": "2026-03-01"},
    )
    url = reverse("admin:subjects_auditevent_changelist")
    html = officer_client.get(url).content.decode()
    assert "alleen de accounts bij E2Grow verwijderd voor verzoek V-ABCD2345" in html
    assert "volgende beoordeling op 1 maart 2026" in html
    assert "contactbericht nr." in html and "subjects.ContactMessage" not in html
    # The filter names what happened, not the codes.
    assert "accounts bij tools verwijderd" in html
    detail = officer_client.get(reverse("admin:subjects_auditevent_change", args=[event.pk]))
    body = detail.content.decode()
    assert "alleen de accounts bij E2Grow verwijderd" in body
    assert "subject.erase-accounts" not in body and "&quot;activities&quot;" not in body
    review = AuditEvent.objects.get(action="retention.review-keep")
    page = officer_client.get(reverse("admin:subjects_auditevent_change", args=[review.pk]))
    body = page.content.decode()
    assert "reden om te bewaren, volgende beoordeling op" in body
    assert "keep_reason" not in body


def test_the_admin_audit_trail_costs_the_same_for_few_and_many_entries(officer_client):
    url = reverse("admin:subjects_auditevent_changelist")

    def make(n):
        for _ in range(n):
            audit_event_record(
                actor=None,
                action="consent.withdraw",
                params={"reference": "V-X1", "activities": ["newsletter"]},
            )

    make(3)
    few = _page_queries(officer_client, url)
    make(60)
    assert _page_queries(officer_client, url) == few


def test_the_admin_request_trail_says_what_happened_in_words(officer_client):
    dsar = verified_request()
    request_event_record(request=dsar, actor=None, action="restricted", params={"count": 4})
    html = officer_client.get(
        reverse("admin:requests_dsar_dsarrequest_change", args=[dsar.pk])
    ).content.decode()
    assert "verwerking beperkt: de betrokkene en 4 registraties" in html
    assert RequestEvent.objects.filter(request=dsar, note="").count() >= 2


def test_an_access_answer_shows_the_audit_trail_in_words():
    subject = f.DataSubjectFactory()
    event = audit_event_record(
        actor=None, action="newsletter.stop", subject=subject, params={"via": "consent-page"}
    )
    pairs = {label: str(value) for label, value in row_shown(event)}
    assert pairs["Wat er gebeurde"] == "Nieuwsbrief gestopt (toestemmingenpagina)"
    for label, value in pairs.items():
        assert value and "newsletter.stop" not in value and "{" not in value, label
