"""The contact form: stored as a message in the page's language, linked to nobody, no
consent tick (answering rests on the request, Art. 6(1)(b)/(f)); bad input a clear message
and nothing stored; abuse protection; the same answer for a known or unknown address."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from processing.models import Consent
from subjects.models import ContactMessage, DataSubject
from tests import factories as f

pytestmark = pytest.mark.django_db

VALID = {
    "first_name": "Sanne",
    "last_name": "de Vries",
    "phone": "06 12345678",
    "email": "Sanne@Example.nl",
    "message": "Hoe lang duurt het traineeship?\nGroet, Sanne",
}


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def test_a_message_on_the_dutch_page_is_stored_in_dutch_and_linked_to_nobody(client, mailoutbox):
    response = client.post("/contact/", VALID)
    assert response.status_code == 302
    assert response["Location"] == "/contact/verstuurd/"
    message = ContactMessage.objects.get()
    assert (message.first_name, message.last_name, message.phone) == (
        "Sanne",
        "de Vries",
        "06 12345678",
    )
    assert message.email == "sanne@example.nl"
    assert message.message == VALID["message"]
    assert (message.channel, message.language, message.subject) == ("form", "nl", None)
    # No consent of any kind, no person made from an unproven address, no e-mail.
    assert not Consent.objects.exists()
    assert not DataSubject.objects.exists()
    assert mailoutbox == []
    sent = client.get(response["Location"])
    assert sent.status_code == 200 and 'lang="nl"' in sent.content.decode()


def test_a_message_on_the_english_page_is_stored_in_english(client):
    response = client.post("/en/contact/", VALID)
    assert response["Location"] == "/en/contact/verstuurd/"
    assert ContactMessage.objects.get().language == "en"
    assert 'lang="en"' in client.get(response["Location"]).content.decode()


def test_the_phone_number_is_optional(client):
    response = client.post("/contact/", {**VALID, "phone": ""})
    assert response.status_code == 302
    assert ContactMessage.objects.get().phone == ""


def test_the_form_has_no_consent_tick(client):
    for url in ("/contact/", "/en/contact/"):
        page = client.get(url).content.decode()
        assert 'type="checkbox"' not in page
        assert 'name="message"' in page


def _errors(page: str) -> list[str]:
    return re.findall(r'<div class="text-danger small"[^>]*>([^<]*)</div>', page)


@pytest.mark.parametrize(
    "prefix,required,invalid_email",
    [
        ("", "Dit veld is verplicht.", "Voer een geldig e-mailadres in."),
        ("/en", "This field is required.", "Enter a valid email address."),
    ],
)
def test_missing_and_invalid_fields_are_explained_in_the_pages_language(
    client, prefix, required, invalid_email
):
    response = client.post(f"{prefix}/contact/", {"first_name": "Sanne", "email": "geen-adres"})
    assert response.status_code == 200
    errors = _errors(response.content.decode())
    assert errors.count(required) == 2  # last name, message
    assert invalid_email in errors
    assert not ContactMessage.objects.exists()


@pytest.mark.parametrize(
    "field,value,expected",
    [
        ("first_name", "San\x00ne", "Null-tekens zijn niet toegestaan."),
        ("last_name", "x" * 101, "Zorg dat deze waarde niet meer dan 100 tekens bevat"),
        ("message", "x" * 5001, "Zorg dat deze waarde niet meer dan 5000 tekens bevat"),
        ("phone", "bel me maar", None),
        ("first_name", "San\x1bne", None),
        ("email", "sanne@example.nl\r\nBcc: x@example.org", None),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_stored(client, field, value, expected):
    response = client.post("/contact/", {**VALID, field: value})
    assert response.status_code == 200
    page = response.content.decode()
    group = page.split(f'id="group-{field}"', 1)[1].split('<div class="mb-3"', 1)[0]
    assert 'class="text-danger small"' in group
    if expected:
        assert expected in group
    assert "Nothing has been saved yet" in page or "Er is nog niets bewaard" in page
    assert not ContactMessage.objects.exists()


def test_a_control_character_message_is_explained_in_dutch(client):
    response = client.post("/contact/", {**VALID, "first_name": "San\x07ne"})
    with translation.override("nl"):
        expected = gettext(
            "Remove the line breaks and invisible control characters from this field."
        )
    assert expected in response.content.decode()
    assert not ContactMessage.objects.exists()


def test_what_a_visitor_typed_is_shown_only_escaped(client):
    response = client.post(
        "/contact/",
        {**VALID, "first_name": '<script>alert("x")</script>', "email": "not an address"},
    )
    page = response.content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert not ContactMessage.objects.exists()


def _normalise(text: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", text)


def test_known_and_unknown_addresses_get_identical_pages_and_no_e_mail(mailoutbox):
    known = f.DataSubjectFactory(email="bekend@example.nl")
    f.ContactMessageFactory(email="bekend@example.nl", subject=known)
    pages = []
    for email in ("bekend@example.nl", "onbekend@example.nl"):
        client = Client()
        response = client.post("/contact/", {**VALID, "email": email})
        pages.append((response.status_code, response["Location"], client.get(response["Location"])))
    (status_a, location_a, page_a), (status_b, location_b, page_b) = pages
    assert (status_a, location_a) == (status_b, location_b) == (302, "/contact/verstuurd/")
    assert _normalise(page_a.content.decode()) == _normalise(page_b.content.decode())
    assert mailoutbox == []
    # The new message is not linked to the known person either.
    assert ContactMessage.objects.filter(email="bekend@example.nl", subject=None).count() == 1


def test_the_honeypot_looks_like_success_but_stores_nothing(client):
    response = client.post("/contact/", {**VALID, "website": "http://spam.example"})
    assert response.status_code == 302
    assert response["Location"] == "/contact/verstuurd/"
    assert not ContactMessage.objects.exists()


def test_the_form_refuses_posts_without_csrf_token():
    response = Client(enforce_csrf_checks=True).post("/contact/", VALID)
    assert response.status_code == 403
    assert not ContactMessage.objects.exists()


def test_submissions_are_rate_limited_per_ip_address(client, settings):
    settings.DSAR_RATE_PER_IP = "3/h"
    for n in range(3):
        assert client.post("/contact/", {**VALID, "email": f"a{n}@example.nl"}).status_code == 302
    blocked = client.post("/contact/", {**VALID, "email": "z@example.nl"})
    assert blocked.status_code == 429
    assert ContactMessage.objects.count() == 3


def test_submissions_are_rate_limited_per_e_mail_address_across_ip_addresses(client, settings):
    settings.DSAR_RATE_PER_EMAIL = "2/h"
    for n in range(2):
        response = client.post("/contact/", VALID, REMOTE_ADDR=f"10.0.0.{n}")
        assert response.status_code == 302
    again = {**VALID, "email": " sanne@example.NL "}
    assert client.post("/contact/", again, REMOTE_ADDR="10.0.0.9").status_code == 429
    assert ContactMessage.objects.count() == 2


def test_each_form_has_its_own_rate_limit(client, settings):
    settings.DSAR_RATE_PER_IP = "1/h"
    assert client.post("/contact/", VALID).status_code == 302
    assert client.post("/contact/", VALID).status_code == 429
    # The request form and the brochure form still take this visitor.
    request = {"request_type": "access", "name": "Sanne", "email": "sanne@example.nl"}
    assert client.post("/verzoek/", request).status_code == 302
    brochure = {"first_name": "Sanne", "last_name": "de Vries", "email": "sanne@example.nl"}
    assert client.post("/brochure/", brochure).status_code == 302


def test_other_methods_are_refused(client):
    assert client.put("/contact/", VALID).status_code == 405
    assert not ContactMessage.objects.exists()


@pytest.mark.parametrize(
    "mark", ["\u202e", "\u2066", "\u200f", "\u061c", "\u200b", "\u2028", "\ufeff"]
)
def test_a_name_with_an_invisible_direction_mark_is_refused(client, mark):
    from subjects.models import ContactMessage

    data = {"first_name": "Mallory", "last_name": "Jansen", "email": "m@example.nl"}
    data["message"] = "Hallo"
    response = client.post("/contact/", {**data, "first_name": f"Mallory{mark}lanreb"})
    assert response.status_code == 200
    assert not ContactMessage.objects.exists()
    assert client.post("/contact/", data).status_code == 302  # the same without the mark
    assert ContactMessage.objects.count() == 1
