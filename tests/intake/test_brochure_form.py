"""The brochure request: the brochure rests on the request itself (Art. 6(1)(b)); the call
within 3 months and the mailing list are two separate, optional, unticked consents, each
labelled with its exact current wording and recorded on the version shown, in the page's
language (DESIGN.md §1.3a, §1.5)."""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext

from processing.models import Consent, ConsentText
from subjects.models import BrochureRequest, DataSubject, NewsletterSubscription, SuppressedAddress
from subjects.suppression import address_suppress
from tests import factories as f

pytestmark = pytest.mark.django_db

PERSON = {
    "first_name": "Fleur",
    "last_name": "Bakker",
    "email": "Fleur@Example.nl",
    "phone": "06 12345678",
}


@pytest.fixture(autouse=True)
def fresh_rate_limits(settings):
    settings.SITE_URL = "http://testserver"
    cache.clear()
    yield
    cache.clear()


def call_wording() -> ConsentText:
    return ConsentText.objects.current("brochure-call")


def newsletter_wording() -> ConsentText:
    return ConsentText.objects.current("newsletter")


def ticked(*, call: bool = False, newsletter: bool = False, **extra: str) -> dict[str, str]:
    """The form as a browser sends it: the wording ids are always there (hidden fields),
    a box only when ticked."""
    data = {
        **PERSON,
        "call_wording": str(call_wording().pk),
        "newsletter_wording": str(newsletter_wording().pk),
    }
    if call:
        data["call"] = "on"
    if newsletter:
        data["newsletter"] = "on"
    return {**data, **extra}


def _checkbox(page: str, name: str) -> str:
    tags = re.findall(rf'<input[^>]*name="{name}"[^>]*>', page)
    assert len(tags) == 1, tags
    assert 'type="checkbox"' in tags[0]
    return tags[0]


def _label(page: str, name: str) -> str:
    label = re.search(rf'<label class="form-check-label" for="id_{name}">([^<]*)</label>', page)
    return html.unescape(label[1])


def _hidden(page: str, name: str) -> str:
    return re.search(rf'<input type="hidden" name="{name}" value="([^"]*)">', page)[1]


@pytest.mark.parametrize("prefix,language", [("", "nl"), ("/en", "en")])
def test_both_boxes_are_unticked_and_labelled_with_the_current_wording(client, prefix, language):
    page = client.get(f"{prefix}/brochure/").content.decode()
    for name in ("call", "newsletter"):
        assert "checked" not in _checkbox(page, name)
    assert _label(page, "call") == getattr(call_wording(), f"text_{language}")
    assert _label(page, "newsletter") == getattr(newsletter_wording(), f"text_{language}")
    assert _hidden(page, "call_wording") == str(call_wording().pk)
    assert _hidden(page, "newsletter_wording") == str(newsletter_wording().pk)


def test_neither_box_sends_the_brochure_and_nothing_else(client, mailoutbox):
    response = client.post("/brochure/", ticked())
    assert response.status_code == 302
    assert response["Location"] == "/brochure/verstuurd/"
    request = BrochureRequest.objects.get()
    assert (request.first_name, request.last_name, request.email) == (
        "Fleur",
        "Bakker",
        "fleur@example.nl",
    )
    assert (request.language, request.subject, request.call_consent) == ("nl", None, None)
    # Without the call, the phone number has no purpose and is not kept.
    assert request.phone == ""
    assert request.brochure_sent_at is not None
    assert not Consent.objects.exists()
    assert not NewsletterSubscription.objects.exists()
    assert not DataSubject.objects.exists()
    assert [m.to for m in mailoutbox] == [["fleur@example.nl"]]
    assert "http://testserver/brochure/traineeship/" in mailoutbox[0].body
    assert "List-Unsubscribe" not in mailoutbox[0].extra_headers


def test_only_the_call_gives_a_call_consent_on_the_wording_shown_and_no_sign_up(client, mailoutbox):
    client.post("/brochure/", ticked(call=True))
    request = BrochureRequest.objects.get()
    consent = request.call_consent
    assert consent is not None
    assert (consent.purpose, consent.text, consent.language) == (
        "brochure-call",
        call_wording(),
        "nl",
    )
    assert consent.given_method == "web-form" and consent.given_via == "brochure-form"
    assert consent.activity.key == "brochure" and consent.withdrawn_at is None
    # A new person, with the role, linked to the request; the phone kept for the call,
    # on the request only, where it rests on the call consent.
    subject = request.subject
    assert subject == consent.subject
    assert (subject.first_name, subject.email, subject.phone, subject.language) == (
        "Fleur",
        "fleur@example.nl",
        "",
        "nl",
    )
    assert list(subject.roles.values_list("category__key", flat=True)) == ["brochure-requester"]
    assert request.phone == "06 12345678" and request.may_be_called
    assert not NewsletterSubscription.objects.exists()
    assert Consent.objects.count() == 1
    assert len(mailoutbox) == 1


def test_only_the_mailing_list_starts_a_pending_sign_up_and_no_call_consent(client, mailoutbox):
    client.post("/brochure/", ticked(newsletter=True))
    request = BrochureRequest.objects.get()
    assert request.call_consent is None and request.subject is None
    subscription = NewsletterSubscription.objects.get()
    assert subscription.email == "fleur@example.nl"
    assert subscription.is_pending and subscription.subject is None
    assert (subscription.consent_text, subscription.language, subscription.source) == (
        newsletter_wording(),
        "nl",
        "brochure-form",
    )
    # Double opt-in: no consent until the address is confirmed.
    assert not Consent.objects.exists()
    assert not DataSubject.objects.exists()
    confirmation, brochure = mailoutbox
    assert "/nieuwsbrief/bevestigen/" in confirmation.body
    assert confirmation.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/brochure/traineeship/" in brochure.body


def test_both_boxes_on_the_english_page_are_recorded_in_english(client, mailoutbox):
    response = client.post("/en/brochure/", ticked(call=True, newsletter=True))
    assert response["Location"] == "/en/brochure/verstuurd/"
    request = BrochureRequest.objects.get()
    assert request.language == "en"
    assert request.call_consent.language == "en"
    assert request.call_consent.text == call_wording()
    subscription = NewsletterSubscription.objects.get()
    assert subscription.language == "en" and subscription.consent_text == newsletter_wording()
    assert request.subject.language == "en"
    bodies = [m.body for m in mailoutbox]
    assert any("http://testserver/en/nieuwsbrief/bevestigen/" in body for body in bodies)
    assert any("http://testserver/en/brochure/traineeship/" in body for body in bodies)
    assert any(newsletter_wording().text_en in body for body in bodies)


def test_a_call_consent_never_merges_into_a_person_found_by_the_address(client):
    known = f.DataSubjectFactory(email="fleur@example.nl", first_name="Echte", phone="")
    client.post("/brochure/", ticked(call=True, first_name="Iemand"))
    request = BrochureRequest.objects.get()
    assert request.subject != known
    known.refresh_from_db()
    assert (known.first_name, known.phone) == ("Echte", "")
    assert not Consent.objects.filter(subject=known).exists()
    assert DataSubject.objects.filter(email="fleur@example.nl").count() == 2


def test_the_call_needs_a_phone_number(client, mailoutbox):
    response = client.post("/brochure/", ticked(call=True, phone=""))
    assert response.status_code == 200
    with translation.override("nl"):
        expected = gettext("Enter your phone number, so that we can call you.")
    assert expected in response.content.decode()
    assert not BrochureRequest.objects.exists() and not Consent.objects.exists()
    assert mailoutbox == []


@pytest.mark.parametrize(
    "prefix,required,invalid_email",
    [
        ("", "Dit veld is verplicht.", "Voer een geldig e-mailadres in."),
        ("/en", "This field is required.", "Enter a valid email address."),
    ],
)
def test_invalid_input_is_explained_in_the_pages_language_and_nothing_is_written(
    client, mailoutbox, prefix, required, invalid_email
):
    response = client.post(
        f"{prefix}/brochure/",
        ticked(call=True, newsletter=True, last_name="", email="fleur@"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert required in page and invalid_email in page
    assert not BrochureRequest.objects.exists()
    assert not DataSubject.objects.exists()
    assert not Consent.objects.exists()
    assert not NewsletterSubscription.objects.exists()
    assert mailoutbox == []
    # What the person ticked stays ticked: they chose it.
    assert "checked" in _checkbox(page, "call") and "checked" in _checkbox(page, "newsletter")


def _new_version(purpose: str, text: str) -> ConsentText:
    current = ConsentText.objects.current(purpose)
    return ConsentText.objects.create(
        activity=current.activity,
        purpose=purpose,
        version=current.version + 1,
        text_nl=f"{text} (nl)",
        text_en=f"{text} (en)",
    )


def test_the_call_consent_records_the_version_shown_even_if_a_newer_one_came_out(client):
    shown = call_wording()
    page = client.get("/brochure/").content.decode()
    assert _hidden(page, "call_wording") == str(shown.pk)
    newer = _new_version("brochure-call", "Bellen mag")
    client.post("/brochure/", ticked(call=True, call_wording=str(shown.pk)))
    assert BrochureRequest.objects.get().call_consent.text == shown != newer


@pytest.mark.parametrize("damaged", ["", "0", "abc", "99999999", "-1", "1" * 40, "１２"])
def test_a_damaged_wording_id_is_refused_on_the_box_and_nothing_is_written(
    client, mailoutbox, damaged
):
    response = client.post("/brochure/", ticked(call=True, call_wording=damaged))
    assert response.status_code == 200
    page = response.content.decode()
    with translation.override("nl"):
        english = (
            "The wording of this choice has just changed. Read it again and tick the box "
            "if you agree."
        )
        changed = gettext(english)
        assert changed != english and changed in page
    # Drawn again with the current wording, unticked: read it and tick again.
    assert "checked" not in _checkbox(page, "call")
    assert _hidden(page, "call_wording") == str(call_wording().pk)
    assert not BrochureRequest.objects.exists() and not Consent.objects.exists()
    assert mailoutbox == []


def test_the_wording_of_another_purpose_is_refused(client):
    wrong = ticked(call=True, call_wording=str(newsletter_wording().pk))
    assert client.post("/brochure/", wrong).status_code == 200
    assert not BrochureRequest.objects.exists()


def test_a_mailing_list_wording_changed_since_the_page_was_shown_is_refused(client, mailoutbox):
    shown = newsletter_wording()
    _new_version("newsletter", "Nieuwe nieuwsbrieftekst")
    response = client.post("/brochure/", ticked(newsletter=True, newsletter_wording=str(shown.pk)))
    assert response.status_code == 200
    page = response.content.decode()
    assert _label(page, "newsletter") == "Nieuwe nieuwsbrieftekst (nl)"
    assert "checked" not in _checkbox(page, "newsletter")
    assert not BrochureRequest.objects.exists()
    assert not NewsletterSubscription.objects.exists()
    assert mailoutbox == []


def test_an_unticked_box_ignores_its_wording_id(client):
    response = client.post("/brochure/", ticked(call_wording="junk", newsletter_wording="junk"))
    assert response.status_code == 302
    assert BrochureRequest.objects.get().call_consent is None


def test_the_name_in_the_e_mail_cannot_become_a_link(client, mailoutbox):
    client.post("/brochure/", ticked(first_name="www.evil.example/login"))
    body = mailoutbox[0].body
    assert "www.evil.example" not in body
    assert "www[.]evil[.]example/login" in body


def test_a_failing_mail_server_keeps_the_request_without_a_sent_date(client, monkeypatch):
    def refuse(self, messages):
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    response = client.post("/brochure/", ticked(call=True))
    assert response.status_code == 302
    request = BrochureRequest.objects.get()
    assert request.brochure_sent_at is None
    assert request.call_consent is not None


def _mask(text: str) -> str:
    """Remove what differs per submission by design: the random link tokens."""
    text = re.sub(r"/nieuwsbrief/(bevestigen|afmelden)/[A-Za-z0-9_-]+", r"/nieuwsbrief/\1/T", text)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", text)


def test_known_subscribed_suppressed_and_unknown_addresses_get_identical_pages_and_e_mails(
    mailoutbox,
):
    f.DataSubjectFactory(email="bekend@example.nl")
    f.NewsletterSubscriptionFactory(subject=f.DataSubjectFactory(email="abonnee@example.nl"))
    address_suppress(email="afgemeld@example.nl", reason=SuppressedAddress.Reason.UNSUBSCRIBED)
    answers = []
    for email in (
        "onbekend@example.nl",
        "bekend@example.nl",
        "abonnee@example.nl",
        "afgemeld@example.nl",
    ):
        mailoutbox.clear()
        client = Client()
        response = client.post("/brochure/", ticked(call=True, newsletter=True, email=email))
        page = client.get(response["Location"]).content.decode()
        mails = [
            (
                m.subject,
                _mask(m.body.replace(email, "ADDRESS")),
                {k: _mask(v) for k, v in m.extra_headers.items()},
            )
            for m in mailoutbox
        ]
        answers.append((response.status_code, response["Location"], _mask(page), mails))
    assert len(answers[0][3]) == 2
    assert all(answer == answers[0] for answer in answers[1:])


def test_the_brochure_page_describes_the_traineeship_in_both_languages(client):
    dutch = client.get("/brochure/traineeship/")
    english = client.get("/en/brochure/traineeship/")
    assert dutch.status_code == english.status_code == 200
    assert 'lang="nl"' in dutch.content.decode()
    assert "traineeship programme" in english.content.decode()


def test_a_purpose_without_published_wording_has_no_box(client, mailoutbox):
    ConsentText.objects.filter(purpose="brochure-call").update(
        published_at=timezone.now() + datetime.timedelta(days=1)
    )
    page = client.get("/brochure/").content.decode()
    assert 'name="call"' not in page and 'name="newsletter"' in page
    response = client.post("/brochure/", {**PERSON, "call": "on", "call_wording": "1"})
    assert response.status_code == 302
    assert BrochureRequest.objects.get().call_consent is None
    assert not Consent.objects.exists()
