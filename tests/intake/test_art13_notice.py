"""Every collection point shows the Art. 13 information in short beside the form, generated
from the register, with links to the rights request form and the full statement; every
public page links to the intake pages in its footer."""

from __future__ import annotations

import re

import pytest

from processing.models import ProcessingActivity

pytestmark = pytest.mark.django_db


def notice(page: str, key: str) -> str:
    match = re.search(rf'<aside[^>]*id="art13-{key}".*?</aside>', page, re.S)
    assert match, f"no Art. 13 notice for {key}"
    return match[0]


def test_the_contact_form_shows_its_legal_basis_from_the_register_and_no_consent_tick(client):
    page = client.get("/contact/").content.decode()
    text = notice(page, "contact-form")
    activity = ProcessingActivity.objects.get(key="contact-form")
    assert sorted(activity.legal_bases.values_list("code", flat=True)) == ["b", "f"]
    assert "Art. 6(1)(b) AVG: Uitvoering van een overeenkomst" in text
    assert "Art. 6(1)(f) AVG: Gerechtvaardigd belang" in text
    assert "Art. 6(1)(a)" not in text
    assert activity.legitimate_interest_nl in text
    assert 'type="checkbox"' not in page


def test_the_english_notice_names_the_gdpr_and_the_english_wording(client):
    text = notice(client.get("/en/contact/").content.decode(), "contact-form")
    activity = ProcessingActivity.objects.get(key="contact-form")
    assert "Art. 6(1)(b) GDPR: Performance of a contract" in text
    assert "Art. 6(1)(f) GDPR: Legitimate interests" in text
    assert activity.purpose_en in text and activity.retention_en in text


def test_the_notice_follows_the_register(client):
    activity = ProcessingActivity.objects.get(key="contact-form")
    activity.retention_nl = "Binnen twee weken na het antwoord verwijderd."
    activity.purpose_nl = "Je vraag beantwoorden."
    activity.save()
    text = notice(client.get("/contact/").content.decode(), "contact-form")
    assert "Binnen twee weken na het antwoord verwijderd." in text
    assert "Je vraag beantwoorden." in text


def test_the_notice_names_the_controller_purpose_retention_and_rights(client):
    text = notice(client.get("/contact/").content.decode(), "contact-form")
    activity = ProcessingActivity.objects.get(key="contact-form")
    assert "Leafspring B.V." in text and "Lichtenvoordseweg 28A" in text
    assert activity.purpose_nl in text
    assert activity.retention_nl in text
    assert 'href="/verzoek/"' in text
    assert 'href="/privacyverklaring/#contact-form"' in text
    assert "Autoriteit Persoonsgegevens" in text


def test_a_recipient_outside_the_eea_is_named_with_its_transfer_mechanism(client):
    text = notice(client.get("/en/nieuwsbrief/").content.decode(), "newsletter")
    assert re.search(r"Mailchimp \(outside the EEA; safeguard: EU-US Data Privacy Framework", text)


def test_a_recipient_inside_the_eu_is_named_without_a_transfer(client):
    activity = ProcessingActivity.objects.get(key="contact-form")
    activity.recipients.add(*activity.recipients.model.objects.filter(key="hosting"))
    text = notice(client.get("/en/contact/").content.decode(), "contact-form")
    hosting = activity.recipients.get(key="hosting")
    assert f"<li>{hosting.name}</li>" in text


def test_the_brochure_form_shows_the_brochure_and_the_newsletter_notice(client):
    page = client.get("/brochure/").content.decode()
    brochure = notice(page, "brochure")
    assert "Art. 6(1)(b) AVG" in brochure and "Art. 6(1)(a) AVG" in brochure
    assert "Mailchimp" in notice(page, "newsletter")


def test_the_home_page_has_the_rights_section_the_notices_link_to(client):
    page = client.get("/").content.decode()
    assert 'id="rechten"' in page
    for path in ("/contact/", "/brochure/", "/nieuwsbrief/"):
        assert f'href="{path}"' in page
    english = client.get("/en/").content.decode()
    for path in ("/en/contact/", "/en/brochure/", "/en/nieuwsbrief/"):
        assert f'href="{path}"' in english


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/contact/",
        "/brochure/",
        "/brochure/traineeship/",
        "/nieuwsbrief/",
        "/nieuwsbrief/verstuurd/",
        "/verzoek/",
        "/en/",
        "/en/contact/",
    ],
)
def test_every_public_page_links_to_the_intake_pages_in_its_footer(client, url):
    page = client.get(url).content.decode()
    footer = page.split("<footer", 1)[1]
    prefix = "/en" if url.startswith("/en/") else ""
    for path in ("/contact/", "/brochure/", "/nieuwsbrief/", "/verzoek/"):
        assert f'href="{prefix}{path}"' in footer
    assert f'href="{prefix}/privacyverklaring/"' in footer


@pytest.mark.parametrize("url", ["/contact/", "/brochure/", "/nieuwsbrief/"])
def test_no_intake_page_loads_anything_from_another_host(client, url):
    body = client.get(url).content.decode()
    assert re.findall(r'(?:src|href|action)="(?:https?:)?//[^"]+"', body) == []
