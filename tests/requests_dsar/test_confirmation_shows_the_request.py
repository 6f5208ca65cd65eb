"""The verification e-mail and the confirmation page show what the person confirms:
the right, where a portability file would go, the consents to
withdraw, the objection and its activities, and the explanation, all escaped, links in
the e-mail defused, and the same for a known and an unknown address."""

from __future__ import annotations

import re

import pytest

from tests import factories as f
from tests.requests_dsar.conftest import links_in

pytestmark = pytest.mark.django_db


def _mail_and_page(requester, right: str, **fields) -> tuple[str, str]:
    response = requester.submit(right, **fields)
    assert response.status_code == 302
    message = requester.mails()[-1]
    link = links_in(message)[0]
    page = requester.client.get(link)
    assert page.status_code == 200
    return message.body, page.content.decode()


def test_a_portability_request_names_where_the_file_would_go(person):
    victim = person("victim@example.nl")
    body, page = _mail_and_page(
        victim, "portability", portability_recipient_email="attacker@evil.example"
    )
    assert "We sturen je gegevens naar attacker@evil.example." in body
    assert "Bevestig niet als je dit adres niet kent." in body
    assert "We sturen je gegevens naar attacker@evil.example." in page


def test_a_consent_withdrawal_names_the_consents_by_their_wording(person):
    trainee = person("trainee@example.nl")
    body, page = _mail_and_page(
        trainee, "consent-withdrawal", consents=["traineeship-participants"]
    )
    assert "Toestemmingen die je intrekt" in body
    assert "allergieën" in body and "Deelnemers traineeship-programma" in body
    assert "allergieën" in page


def test_an_objection_names_what_is_objected_to(person):
    sanne = person()
    body, page = _mail_and_page(
        sanne,
        "objection",
        objection_kind="legitimate-interest",
        objection_activities=["newsletter"],
        details="Ik wil niet meer gemaild worden.",
    )
    for text in (body, page):
        assert "Je maakt bezwaar tegen" in text
        assert "Nieuwsbrief" in text
        assert "Ik wil niet meer gemaild worden." in text


def test_what_was_typed_is_escaped_on_the_page_and_links_are_defused_in_the_e_mail(person):
    sanne = person(name="Sanne")
    body, page = _mail_and_page(
        sanne,
        "restriction",
        details='<script>alert("x")</script>\n'
        "Klik op https://evil.example/bevestig of www.evil.example",
    )
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in page
    assert "https://evil.example" not in body and "www.evil.example" not in body
    assert "https[:]//evil[.]example/bevestig" in body and "www[.]evil[.]example" in body
    # Each line of the explanation is quoted.
    assert re.search(r"^  > Klik op https\[:\]//", body, re.M)


def test_the_confirmation_is_the_same_for_a_known_and_an_unknown_address(person):
    f.DataSubjectFactory(email="bekend@example.nl")
    known = person("bekend@example.nl", "Sam")
    unknown = person("onbekend@example.nl", "Sam")
    fields = {"portability_recipient_email": "nieuw@bedrijf.example"}
    known_body, known_page = _mail_and_page(known, "portability", **fields)
    unknown_body, unknown_page = _mail_and_page(unknown, "portability", **fields)

    def masked(text: str) -> str:
        text = re.sub(r"/verzoek/bevestigen/[^/\s]+/", "/verzoek/bevestigen/T/", text)
        return re.sub(r'csrfmiddlewaretoken" value="[^"]+"', "CSRF", text)

    assert masked(known_body) == masked(unknown_body)
    assert masked(known_page) == masked(unknown_page)


def test_the_english_confirmation_says_the_same(person):
    sanne = person()
    sanne.client.post(
        "/en/verzoek/",
        {
            "request_type": "portability",
            "name": "Sanne",
            "email": sanne.email,
            "portability_recipient_email": "other@org.example",
        },
    )
    body = sanne.mails()[-1].body
    assert "We will send your data to other@org.example." in body
    page = sanne.client.get(links_in(sanne.mails()[-1])[0]).content.decode()
    assert "We will send your data to other@org.example." in page


def test_quotes_and_ampersands_reach_the_plain_text_e_mail_as_typed(person):
    sanne = person(name="Sanne O'Neill & Co")
    body, _page = _mail_and_page(
        sanne, "restriction", details='Mijn "oude" adres klopt niet & m\'n telefoon ook niet'
    )
    assert """  > Mijn "oude" adres klopt niet & m'n telefoon ook niet""" in body
    assert body.startswith("Beste Sanne O'Neill & Co,")
    assert "&quot;" not in body and "&amp;" not in body and "&#x27;" not in body
    sanne.verify()
    receipt = sanne.mails()[-1].body
    assert receipt.startswith("Beste Sanne O'Neill & Co,") and "&#x27;" not in receipt


def test_bare_domains_in_the_explanation_are_defused(person):
    sanne = person(name="Sanne")
    body, _page = _mail_and_page(
        sanne, "access", details="Bevestig liever via leafspring-verzoeken.nl/inloggen"
    )
    assert "leafspring-verzoeken.nl" not in body
    assert "leafspring-verzoeken[.]nl/inloggen" in body


@pytest.mark.parametrize(
    "name", ["https://evil.example/bevestig", "www.evil.example", "evil.example/bevestig"]
)
def test_a_name_cannot_carry_a_working_link_into_any_e_mail(person, desk, name):
    """The name is typed by whoever files the request, for any address: defused in the
    verification, receipt and answer e-mails alike."""
    from requests_dsar.models import DsarRequest

    attacker = person("victim@example.nl", name=name)
    attacker.submit("access")
    attacker.verify()
    dsar = DsarRequest.objects.get()
    desk.act(dsar, "no-data")
    desk.complete(dsar)
    bodies = [m.body for m in attacker.mails()]
    assert len(bodies) == 3  # verification, receipt, answer
    for body in bodies:
        assert "evil.example" not in body, body
        assert "evil[.]example" in body.splitlines()[0]
