"""Asking for a link to the consent page: the same page and the same e-mail for every
address, known or not; bad input a clear message; bots and floods get nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from processing.models import ConsentPageLink
from tests import factories as f
from tests.consents.conftest import without_csrf

pytestmark = pytest.mark.django_db

KNOWN = "sanne@example.nl"
UNKNOWN = "nobody@example.nl"


def _answer(client, mailoutbox, email: str, prefix: str = "") -> tuple[int, str, str, str, str]:
    """What a visitor sees after asking, and the e-mail, with the token taken out."""
    posted = client.post(f"{prefix}/toestemmingen/", {"email": email})
    page = client.get(posted["Location"])
    message = mailoutbox[-1]
    assert message.to == [email]
    token = ConsentPageLink.objects.get(email=email).token_hash  # only the hash is stored
    assert token not in message.body
    body = message.body
    start = body.index("/toestemmingen/link/") + len("/toestemmingen/link/")
    end = body.index("/", start)
    body = body[:start] + "TOKEN" + body[end:]
    return (
        posted.status_code,
        posted["Location"],
        without_csrf(page.content.decode()),
        message.subject,
        body,
    )


def _known_person_with_consents():
    sanne = f.DataSubjectFactory(email=KNOWN)
    f.NewsletterSubscriptionFactory(subject=sanne)
    f.ConsentFactory(subject=sanne, purpose="meetin")
    return sanne


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_a_known_and_an_unknown_address_get_identical_pages_and_emails(client, mailoutbox, prefix):
    _known_person_with_consents()
    known = _answer(client, mailoutbox, KNOWN, prefix)
    unknown = _answer(client, mailoutbox, UNKNOWN, prefix)
    assert known == unknown
    assert known[0] == 302
    assert len(mailoutbox) == 2


def test_the_email_carries_a_link_that_works_once_for_24_hours(client, mailoutbox):
    client.post("/toestemmingen/", {"email": UNKNOWN})
    body = mailoutbox[0].body
    assert "http://testserver/toestemmingen/link/" in body
    assert "24" in body
    assert "Leafspring" in mailoutbox[0].subject


def test_an_english_page_sends_an_english_email_with_an_english_link(client, mailoutbox):
    client.post("/en/toestemmingen/", {"email": UNKNOWN})
    message = mailoutbox[0]
    assert "http://testserver/en/toestemmingen/link/" in message.body
    assert "The link works once and for 24 hours" in message.body
    assert ConsentPageLink.objects.get().language == "en"


def test_the_address_is_stored_normalised_with_the_hash_of_the_token_only(client, mailoutbox):
    client.post("/toestemmingen/", {"email": "  Sanne@Example.NL "})
    link = ConsentPageLink.objects.get()
    assert link.email == "sanne@example.nl"
    assert len(link.token_hash) == 64
    assert (link.expires_at - link.created_at).total_seconds() == 24 * 3600
    assert link.used_at is None and link.manage_token_hash is None


@pytest.mark.parametrize("prefix, message", [("", "geldig e-mailadres"), ("/en", "valid email")])
def test_a_bad_address_gets_a_clear_message_and_nothing_is_stored(
    client, mailoutbox, prefix, message
):
    response = client.post(f"{prefix}/toestemmingen/", {"email": "not an address"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ConsentPageLink.objects.exists()
    assert mailoutbox == []


def test_a_bot_filling_in_the_honeypot_sees_success_and_nothing_happens(client, mailoutbox):
    response = client.post("/toestemmingen/", {"email": KNOWN, "website": "http://spam"})
    assert response.status_code == 302
    assert response["Location"] == "/toestemmingen/verstuurd/"
    assert not ConsentPageLink.objects.exists()
    assert mailoutbox == []


def test_the_form_needs_its_csrf_token(mailoutbox):
    response = Client(enforce_csrf_checks=True).post("/toestemmingen/", {"email": KNOWN})
    assert response.status_code == 403
    assert not ConsentPageLink.objects.exists()


def test_requests_for_one_address_are_limited(client, mailoutbox, settings):
    settings.DSAR_RATE_PER_EMAIL = "2/h"
    assert client.post("/toestemmingen/", {"email": KNOWN}).status_code == 302
    assert client.post("/toestemmingen/", {"email": KNOWN.upper()}).status_code == 302
    refused = client.post("/toestemmingen/", {"email": KNOWN})
    assert refused.status_code == 429
    assert "Te veel verzoeken" in refused.content.decode()
    assert len(mailoutbox) == 2
    assert client.post("/toestemmingen/", {"email": UNKNOWN}).status_code == 302


def test_requests_from_one_ip_address_are_limited(client, mailoutbox, settings):
    settings.DSAR_RATE_PER_IP = "3/h"
    for n in range(3):
        assert client.post("/toestemmingen/", {"email": f"p{n}@example.nl"}).status_code == 302
    assert client.post("/toestemmingen/", {"email": "p9@example.nl"}).status_code == 429
    assert ConsentPageLink.objects.count() == 3


def test_the_request_page_is_reachable_in_both_languages(client):
    dutch = client.get("/toestemmingen/")
    english = client.get("/en/toestemmingen/")
    assert dutch.status_code == english.status_code == 200
    assert "Your consents" in english.content.decode()
    assert 'name="website"' in dutch.content.decode()
