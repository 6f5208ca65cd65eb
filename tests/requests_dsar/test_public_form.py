"""The public request form: Dutch first, English second, no enumeration, abuse
protection (CSRF, honeypot, rate limits), clear errors."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from requests_dsar.models import DsarRequest
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_home_page_links_to_the_request_form_in_both_languages(client):
    dutch = client.get("/").content.decode()
    english = client.get("/en/").content.decode()
    assert "/verzoek/?right=erasure" in dutch
    assert "Dien een verzoek in over je persoonsgegevens" in dutch
    assert "/en/verzoek/?right=erasure" in english
    assert "Submit a request about your personal data" in english


def _checked_rights(page: str) -> list[str]:
    """The values of the right radio buttons that are checked."""
    inputs = re.findall(r'<input[^>]*name="request_type"[^>]*>', page)
    assert len(inputs) == 7
    return [re.search(r'value="([^"]+)"', tag).group(1) for tag in inputs if " checked" in tag]


def test_a_right_chosen_on_the_home_page_is_preselected(client):
    page = client.get("/verzoek/", {"right": "portability"}).content.decode()
    assert _checked_rights(page) == ["portability"]
    assert _checked_rights(client.get("/verzoek/", {"right": "erasure"}).content.decode()) == [
        "erasure"
    ]
    assert _checked_rights(client.get("/verzoek/").content.decode()) == []


def test_the_form_explains_every_right_in_dutch_and_in_english(client):
    dutch = client.get("/verzoek/").content.decode()
    english = client.get("/en/verzoek/").content.decode()
    assert "Oefen je privacyrechten uit" in dutch
    assert "Exercise your privacy rights" in english
    for value in (
        "access",
        "rectification",
        "restriction",
        "erasure",
        "objection",
        "consent-withdrawal",
        "portability",
    ):
        assert f'value="{value}"' in dutch


def _normalise(text: str) -> str:
    """Mask what differs per submission by design: the token and the reference."""
    text = re.sub(r"/verzoek/bevestigen/[^/\s]+/", "/verzoek/bevestigen/TOKEN/", text)
    return re.sub(r"csrfmiddlewaretoken\" value=\"[^\"]+\"", "CSRF", text)


def test_known_and_unknown_addresses_get_identical_responses_and_e_mails(person, mailoutbox):
    f.DataSubjectFactory(email="bekend@example.nl")
    known = person("bekend@example.nl", "Sam Jansen")
    unknown = person("onbekend@example.nl", "Sam Jansen")

    first = known.submit("access")
    second = unknown.submit("access")
    assert (first.status_code, first["Location"]) == (second.status_code, second["Location"])
    page_known = known.client.get(first["Location"]).content.decode()
    page_unknown = unknown.client.get(second["Location"]).content.decode()
    assert _normalise(page_known) == _normalise(page_unknown)

    mail_known, mail_unknown = known.mails()[-1], unknown.mails()[-1]
    assert mail_known.subject == mail_unknown.subject
    assert _normalise(mail_known.body) == _normalise(mail_unknown.body)
    assert len(mailoutbox) == 2  # no staff mail, nothing else that differs


def test_the_honeypot_looks_like_success_but_writes_nothing(person, mailoutbox):
    bot = person("bot@example.nl")
    response = bot.submit("access", website="http://spam.example")
    assert response.status_code == 302
    assert response["Location"].endswith("/verzoek/verstuurd/")
    assert not DsarRequest.objects.exists()
    assert mailoutbox == []


def test_the_form_refuses_posts_without_csrf_token():
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/verzoek/", {"request_type": "access", "name": "A", "email": "a@example.nl"}
    )
    assert response.status_code == 403
    assert not DsarRequest.objects.exists()


def test_submissions_are_rate_limited_per_ip_address(client, settings):
    settings.DSAR_RATE_PER_IP = "3/h"
    for n in range(3):
        data = {"request_type": "access", "name": "A", "email": f"a{n}@example.nl"}
        assert client.post("/verzoek/", data).status_code == 302
    blocked = client.post("/verzoek/", {"request_type": "access", "name": "A", "email": "z@x.nl"})
    assert blocked.status_code == 429
    assert DsarRequest.objects.count() == 3


def test_submissions_are_rate_limited_per_e_mail_address_across_ip_addresses(client, settings):
    settings.DSAR_RATE_PER_EMAIL = "2/h"
    data = {"request_type": "access", "name": "A", "email": "Doel@Example.nl"}
    for n in range(2):
        assert client.post("/verzoek/", data, REMOTE_ADDR=f"10.0.0.{n}").status_code == 302
    data["email"] = "doel@example.nl "
    assert client.post("/verzoek/", data, REMOTE_ADDR="10.0.0.9").status_code == 429


def test_missing_details_are_explained_on_the_form_and_nothing_is_saved(client):
    response = client.post(
        "/en/verzoek/", {"request_type": "rectification", "name": "A", "email": "a@example.nl"}
    )
    assert response.status_code == 200
    assert "Tell us what is wrong" in response.content.decode()
    assert not DsarRequest.objects.exists()


def test_a_request_in_english_gets_english_e_mails(person):
    sam = person("sam@example.nl", "Sam")
    sam.submit("access", prefix="/en")
    mail = sam.mails()[-1]
    assert mail.subject == "Confirm your privacy request"
    assert "/en/verzoek/bevestigen/" in mail.body
    assert "Autoriteit Persoonsgegevens" in mail.body
    assert DsarRequest.objects.get().language == "en"


def test_a_request_in_dutch_gets_dutch_e_mails(person):
    sanne = person()
    sanne.submit("access")
    mail = sanne.mails()[-1]
    assert mail.subject == "Bevestig je privacyverzoek"
    assert "Autoriteit Persoonsgegevens" in mail.body
