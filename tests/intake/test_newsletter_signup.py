"""The newsletter sign-up with double opt-in: an unconfirmed address receives only the
confirmation e-mail; the link's GET confirms nothing, its POST records the consent on the
wording shown at sign-up; twice does nothing more; the link expires after exactly 7 days;
every e-mail about the newsletter carries the unsubscribe headers (RFC 2369, 8058)."""

from __future__ import annotations

import datetime
import html
import re

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext

from processing.models import Consent, ConsentText
from subjects.models import DataSubject, NewsletterSubscription, SuppressedAddress, WebsiteVisit
from subjects.suppression import address_suppress
from tests import factories as f

pytestmark = pytest.mark.django_db

CONFIRM = re.compile(r"http://testserver((?:/en)?/nieuwsbrief/bevestigen/([A-Za-z0-9_-]+)/)")
UNSUBSCRIBE = "List-Unsubscribe"
ONE_CLICK = ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")


@pytest.fixture(autouse=True)
def fresh_rate_limits(settings):
    settings.SITE_URL = "http://testserver"
    cache.clear()
    yield
    cache.clear()


def wording() -> ConsentText:
    return ConsentText.objects.current("newsletter")


def form(email: str = "Noor@Example.nl", **extra: str) -> dict[str, str]:
    return {
        "first_name": "Noor",
        "email": email,
        "consent": "on",
        "consent_wording": str(wording().pk),
        **extra,
    }


def sign_up(client, prefix: str = "", **data: str):
    response = client.post(f"{prefix}/nieuwsbrief/", form(**data))
    assert response.status_code == 302, response.content.decode()[-3000:]
    return response


def confirm_path(message) -> str:
    return CONFIRM.search(message.body)[1]


def assert_unsubscribe_headers(message) -> None:
    link = message.extra_headers[UNSUBSCRIBE]
    assert re.fullmatch(r"<http://testserver/nieuwsbrief/afmelden/[A-Za-z0-9_-]+>", link), link
    assert message.extra_headers[ONE_CLICK[0]] == ONE_CLICK[1]


@pytest.mark.parametrize("prefix,language", [("", "nl"), ("/en", "en")])
def test_the_single_box_is_unticked_and_labelled_with_the_current_wording(client, prefix, language):
    page = client.get(f"{prefix}/nieuwsbrief/").content.decode()
    boxes = re.findall(r'<input[^>]*type="checkbox"[^>]*>', page)
    assert len(boxes) == 1 and "checked" not in boxes[0]
    label = re.search(r'<label class="form-check-label" for="id_consent">([^<]*)</label>', page)
    assert html.unescape(label[1]) == getattr(wording(), f"text_{language}")
    assert f'name="consent_wording" value="{wording().pk}"' in page


def test_a_dutch_sign_up_is_pending_and_gets_only_the_confirmation_e_mail(client, mailoutbox):
    response = sign_up(client)
    assert response["Location"] == "/nieuwsbrief/verstuurd/"
    subscription = NewsletterSubscription.objects.get()
    assert subscription.email == "noor@example.nl" and subscription.first_name == "Noor"
    assert subscription.is_pending and not subscription.is_active
    assert (subscription.consent_text, subscription.language, subscription.source) == (
        wording(),
        "nl",
        "newsletter-form",
    )
    assert not Consent.objects.exists() and not DataSubject.objects.exists()
    (message,) = mailoutbox
    assert message.to == ["noor@example.nl"]
    assert confirm_path(message).startswith("/nieuwsbrief/bevestigen/")
    assert wording().text_nl in message.body
    assert_unsubscribe_headers(message)
    assert 'lang="nl"' in client.get(response["Location"]).content.decode()


def test_an_english_sign_up_is_recorded_and_mailed_in_english(client, mailoutbox):
    response = sign_up(client, prefix="/en")
    assert response["Location"] == "/en/nieuwsbrief/verstuurd/"
    assert NewsletterSubscription.objects.get().language == "en"
    (message,) = mailoutbox
    assert confirm_path(message).startswith("/en/nieuwsbrief/bevestigen/")
    assert wording().text_en in message.body


def test_the_box_must_be_ticked_and_nothing_is_stored_without_it(client, mailoutbox):
    data = form()
    del data["consent"]
    response = client.post("/nieuwsbrief/", data)
    assert response.status_code == 200
    with translation.override("nl"):
        expected = gettext("Tick the box to confirm that you want to receive the newsletter.")
    assert expected in response.content.decode()
    assert not NewsletterSubscription.objects.exists()
    assert mailoutbox == []


@pytest.mark.parametrize(
    "prefix,required,invalid",
    [
        ("", "Dit veld is verplicht.", "Voer een geldig e-mailadres in."),
        ("/en", "This field is required.", "Enter a valid email address."),
    ],
)
def test_a_missing_or_invalid_address_is_explained_in_the_pages_language(
    client, mailoutbox, prefix, required, invalid
):
    assert required in client.post(f"{prefix}/nieuwsbrief/", form(email="")).content.decode()
    bad = client.post(f"{prefix}/nieuwsbrief/", form(email="noor@@example")).content.decode()
    assert invalid in bad
    assert not NewsletterSubscription.objects.exists()
    assert mailoutbox == []


def test_a_wording_changed_since_the_page_was_shown_is_refused(client, mailoutbox):
    shown = wording()
    ConsentText.objects.create(
        activity=shown.activity,
        purpose="newsletter",
        version=shown.version + 1,
        text_nl="Nieuwe tekst",
        text_en="New text",
    )
    response = client.post("/nieuwsbrief/", form(consent_wording=str(shown.pk)))
    assert response.status_code == 200
    assert "Nieuwe tekst" in response.content.decode()
    assert not NewsletterSubscription.objects.exists()
    assert mailoutbox == []


def test_opening_the_link_does_not_confirm(client, mailoutbox):
    sign_up(client)
    path = confirm_path(mailoutbox[0])
    page = Client().get(path)
    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store"
    assert 'method="post"' in page.content.decode()
    assert NewsletterSubscription.objects.get().is_pending
    assert not Consent.objects.exists()
    assert len(mailoutbox) == 1


def test_posting_the_link_confirms_and_records_the_consent_on_the_wording_shown(client, mailoutbox):
    sign_up(client)
    path = confirm_path(mailoutbox[0])
    # A new wording published before confirmation does not change what was agreed to.
    shown = wording()
    ConsentText.objects.create(
        activity=shown.activity,
        purpose="newsletter",
        version=shown.version + 1,
        text_nl="Later",
        text_en="Later",
    )
    response = Client().post(path)
    assert response.status_code == 200
    subscription = NewsletterSubscription.objects.get()
    assert subscription.is_active and subscription.subject is not None
    consent = Consent.objects.get()
    assert (consent.subject, consent.purpose, consent.text, consent.language) == (
        subscription.subject,
        "newsletter",
        shown,
        "nl",
    )
    assert consent.given_method == "web-form" and consent.withdrawn_at is None
    confirmation, welcome = mailoutbox
    assert welcome.to == ["noor@example.nl"]
    assert_unsubscribe_headers(welcome)
    assert welcome.extra_headers[UNSUBSCRIBE] == confirmation.extra_headers[UNSUBSCRIBE]


def test_confirming_twice_does_nothing_more(client, mailoutbox):
    sign_up(client)
    path = confirm_path(mailoutbox[0])
    Client().post(path)
    again = Client().post(path)
    assert again.status_code == 200
    with translation.override("nl"):
        used = gettext("This link has already been used. Nothing more has happened.")
        assert used.startswith("Deze link") and used in again.content.decode()
    assert Consent.objects.count() == 1
    assert len(mailoutbox) == 2  # the confirmation and one welcome
    assert Client().get(path).status_code == 200
    assert len(mailoutbox) == 2


def test_the_link_works_until_one_second_before_seven_days(client, mailoutbox):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_up(client)
    path = confirm_path(mailoutbox[0])
    with time_machine.travel(start + datetime.timedelta(days=7, seconds=-1), tick=False):
        assert 'method="post"' in Client().get(path).content.decode()
        assert Client().post(path).status_code == 200
    assert Consent.objects.count() == 1
    assert NewsletterSubscription.objects.get().is_active


def test_the_link_has_expired_at_exactly_seven_days(client, mailoutbox):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_up(client)
    path = confirm_path(mailoutbox[0])
    with time_machine.travel(start + datetime.timedelta(days=7), tick=False):
        assert Client().get(path).status_code == 410
        response = Client().post(path)
    assert response.status_code == 410
    assert NewsletterSubscription.objects.get().is_pending
    assert not Consent.objects.exists()
    assert len(mailoutbox) == 1


def test_the_outcome_is_shown_in_the_language_of_the_sign_up(client, mailoutbox):
    sign_up(client, prefix="/en")
    token = CONFIRM.search(mailoutbox[0].body)[2]
    # Opened under the Dutch address all the same.
    response = Client().post(f"/nieuwsbrief/bevestigen/{token}/")
    assert 'lang="en"' in response.content.decode()
    assert Consent.objects.get().language == "en"
    assert "Welcome" in mailoutbox[1].subject


def test_an_unknown_token_is_refused_without_writing(client):
    for method in ("get", "post"):
        response = getattr(Client(), method)("/nieuwsbrief/bevestigen/niet-geldig/")
        assert response.status_code == 404
    assert not Consent.objects.exists()


def test_the_token_never_reaches_the_visit_log(client, mailoutbox):
    sign_up(client)
    path = confirm_path(mailoutbox[0])
    token = path.rstrip("/").rsplit("/", 1)[1]
    Client().get(path)
    Client().put(path)
    Client().post(path)
    paths = list(WebsiteVisit.objects.values_list("path", flat=True))
    assert "/nieuwsbrief/bevestigen/-/" in paths
    assert not any(token in p for p in paths)
    assert Client().put(path).status_code == 405


def _mask(text: str) -> str:
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
        response = client.post("/nieuwsbrief/", form(email=email))
        page = client.get(response["Location"]).content.decode()
        mails = [
            (m.subject, _mask(m.body), {k: _mask(v) for k, v in m.extra_headers.items()})
            for m in mailoutbox
        ]
        answers.append((response.status_code, response["Location"], _mask(page), mails))
    assert answers[0][0] == 302 and len(answers[0][3]) == 1
    assert all(answer == answers[0] for answer in answers[1:])


def test_the_honeypot_looks_like_success_but_writes_nothing(client, mailoutbox):
    response = client.post("/nieuwsbrief/", form(website="http://spam.example"))
    assert response["Location"] == "/nieuwsbrief/verstuurd/"
    assert not NewsletterSubscription.objects.exists()
    assert mailoutbox == []


def test_the_form_refuses_posts_without_csrf_token(mailoutbox):
    response = Client(enforce_csrf_checks=True).post("/nieuwsbrief/", form())
    assert response.status_code == 403
    assert not NewsletterSubscription.objects.exists()


def test_sign_ups_are_rate_limited_per_e_mail_address(client, settings, mailoutbox):
    settings.DSAR_RATE_PER_EMAIL = "2/h"
    for n in range(2):
        assert client.post("/nieuwsbrief/", form(), REMOTE_ADDR=f"10.0.0.{n}").status_code == 302
    blocked = client.post("/nieuwsbrief/", form(email="noor@example.nl"), REMOTE_ADDR="10.0.0.9")
    assert blocked.status_code == 429
    # One confirmation e-mail a day per address, however often it is signed up.
    assert len(mailoutbox) == 1


def test_an_address_waiting_for_confirmation_gets_one_e_mail_a_day(client, mailoutbox):
    import datetime

    import time_machine
    from django.utils import timezone

    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(3):
            assert client.post("/nieuwsbrief/", form()).status_code == 302
    assert len(mailoutbox) == 1 and NewsletterSubscription.objects.count() == 1
    day = datetime.timedelta(hours=24)
    with time_machine.travel(start + day - datetime.timedelta(seconds=1), tick=False):
        assert client.post("/nieuwsbrief/", form()).status_code == 302
    assert len(mailoutbox) == 1
    with time_machine.travel(start + day, tick=False):
        assert client.post("/nieuwsbrief/", form()).status_code == 302
    assert len(mailoutbox) == 2


def test_sign_ups_are_rate_limited_per_ip_address(client, settings, mailoutbox):
    settings.DSAR_RATE_PER_IP = "2/h"
    for n in range(2):
        assert client.post("/nieuwsbrief/", form(email=f"n{n}@example.nl")).status_code == 302
    assert client.post("/nieuwsbrief/", form(email="n9@example.nl")).status_code == 429
    assert NewsletterSubscription.objects.count() == 2


def test_without_published_wording_nobody_can_sign_up(client, mailoutbox):
    ConsentText.objects.filter(purpose="newsletter").update(
        published_at=timezone.now() + datetime.timedelta(days=1)
    )
    page = client.get("/nieuwsbrief/").content.decode()
    assert 'type="checkbox"' not in page and 'name="email"' not in page
    response = client.post("/nieuwsbrief/", {"email": "noor@example.nl", "consent": "on"})
    assert response.status_code == 200
    assert not NewsletterSubscription.objects.exists()
    assert mailoutbox == []
