"""Property-based inputs to the contact, brochure and newsletter forms and the confirmation
link: never a 5xx, and either a complete record or none at all."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from processing.models import Consent, ConsentText
from subjects.models import (
    AuditEvent,
    BrochureRequest,
    ContactMessage,
    DataSubject,
    NewsletterSubscription,
    SubjectRole,
)

pytestmark = pytest.mark.django_db

ODD_TEXT = st.one_of(
    st.text(max_size=120),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "a\x00b",
            "\x1b[31m",
            "\r\nBcc: x@example.org",
            "\u202eelpmaxe",
            "👩‍👩‍👧",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "x" * 20_000,
        ]
    ),
)
# What people type, often enough for the examples to reach the writes too.
NAME = st.text(st.characters(categories=["L", "M", "Zs", "Pd", "Po"]), min_size=1, max_size=40)
TEXT = st.one_of(NAME, NAME, ODD_TEXT)
EMAILS = st.one_of(
    st.emails(),
    st.emails(),
    ODD_TEXT,
    st.sampled_from(['"\x01"@example.nl', "a@b", "A@EXAMPLE.NL ", "x" * 250 + "@example.nl"]),
)
PHONES = st.one_of(st.from_regex(r"\+?[0-9 ]{6,29}", fullmatch=True), ODD_TEXT)
# A checkbox: None is unticked (absent), "on" what a browser sends when ticked.
BOX = st.one_of(
    st.none(), st.just("on"), st.just("on"), st.sampled_from(["true", "false", "0", ""]), ODD_TEXT
)
# A wording id as a browser sends it (the current one), or anything else; None: absent.
WORDING_ID = st.one_of(
    st.just("CURRENT"),
    st.just("CURRENT"),
    st.none(),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    ODD_TEXT,
)
# What a browser sends for someone filling the form in properly: each form's strategy
# mixes these with anything at all, so that about half the examples reach the writes.
PLAUSIBLE_NAME = st.from_regex(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ' -]{0,30}", fullmatch=True)
TICKED = st.one_of(st.none(), st.just("on"))
# Absent, empty (what a browser sends), or filled in by a bot.
HONEYPOT = st.one_of(st.none(), st.just(""), st.sampled_from(["http://spam.example", "\x00"]))
RELAXED = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _fresh(site_settings) -> None:
    site_settings.SITE_URL = "http://testserver"
    cache.clear()
    mail.outbox = []


def _post(url: str, data: dict, english: bool):
    payload = {key: value for key, value in data.items() if value is not None}
    response = Client().post(("/en" if english else "") + url, payload)
    assert response.status_code < 500
    assert response.status_code in {200, 302}
    return response


def _with_wording(data: dict, field: str, purpose: str) -> dict:
    if data.get(field) == "CURRENT":
        data = {**data, field: str(ConsentText.objects.current(purpose).pk)}
    return data


CONTACT_PLAUSIBLE = st.fixed_dictionaries(
    {
        "first_name": PLAUSIBLE_NAME,
        "last_name": PLAUSIBLE_NAME,
        "email": st.emails(),
        "message": st.text(min_size=1, max_size=300),
        "phone": st.one_of(st.none(), PHONES),
    }
)
CONTACT_ANY = st.fixed_dictionaries(
    {
        "first_name": TEXT,
        "last_name": TEXT,
        "email": EMAILS,
        "message": TEXT,
        "phone": st.one_of(st.none(), PHONES),
        "website": HONEYPOT,
    },
    optional={"extra": ODD_TEXT},
)
CONTACT = st.one_of(CONTACT_PLAUSIBLE, CONTACT_ANY)


@RELAXED
@given(data=CONTACT, english=st.booleans())
def test_the_contact_form_never_fails_and_never_half_writes(settings, data, english):
    _fresh(settings)
    before = ContactMessage.objects.count()
    response = _post("/contact/", data, english)
    created = ContactMessage.objects.count() - before
    event(f"created={created}")
    assert created in {0, 1}
    assert mail.outbox == []
    if created:
        message = ContactMessage.objects.order_by("-pk").first()
        assert response.status_code == 302
        assert message.first_name and message.last_name and message.message
        assert message.email == message.email.strip().lower() and "@" in message.email
        assert message.channel == "form" and message.subject is None
        assert message.language == ("en" if english else "nl")
        assert "\x00" not in message.first_name + message.last_name + message.message
    elif not data.get("website"):
        assert response.status_code == 200


BROCHURE_PLAUSIBLE = st.fixed_dictionaries(
    {
        "first_name": PLAUSIBLE_NAME,
        "last_name": PLAUSIBLE_NAME,
        "email": st.emails(),
        "phone": st.one_of(st.none(), PHONES),
        "call": TICKED,
        "call_wording": st.just("CURRENT"),
        "newsletter": TICKED,
        "newsletter_wording": st.just("CURRENT"),
    }
)
BROCHURE_ANY = st.fixed_dictionaries(
    {
        "first_name": TEXT,
        "last_name": TEXT,
        "email": EMAILS,
        "phone": st.one_of(st.none(), PHONES, PHONES),
        "call": BOX,
        "call_wording": WORDING_ID,
        "newsletter": BOX,
        "newsletter_wording": WORDING_ID,
        "website": HONEYPOT,
    }
)
BROCHURE = st.one_of(BROCHURE_PLAUSIBLE, BROCHURE_ANY)


def _counts() -> dict[str, int]:
    return {
        "requests": BrochureRequest.objects.count(),
        "subjects": DataSubject.objects.count(),
        "roles": SubjectRole.objects.count(),
        "consents": Consent.objects.count(),
        "subscriptions": NewsletterSubscription.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


@RELAXED
@given(data=BROCHURE, english=st.booleans())
def test_the_brochure_form_never_fails_and_never_half_writes(settings, data, english):
    _fresh(settings)
    data = _with_wording(data, "call_wording", "brochure-call")
    data = _with_wording(data, "newsletter_wording", "newsletter")
    before = _counts()
    response = _post("/brochure/", data, english)
    added = {key: value - before[key] for key, value in _counts().items()}
    event(f"request={added['requests']} call={added['consents']} news={added['subscriptions']}")
    assert added["requests"] in {0, 1}
    if not added["requests"]:
        assert set(added.values()) == {0}
        assert mail.outbox == []
        return
    assert response.status_code == 302
    request = BrochureRequest.objects.order_by("-pk").first()
    language = "en" if english else "nl"
    assert request.language == language and request.first_name and request.last_name
    assert request.brochure_sent_at is not None
    if request.call_consent is not None:
        # The whole call consent: a new person with the role, the consent on the wording
        # whose id was sent, in the page's language, and the phone number to call.
        consent = request.call_consent
        assert added["subjects"] == added["roles"] == added["consents"] == 1
        assert request.subject == consent.subject and request.phone
        assert consent.purpose == "brochure-call" and consent.language == language
        assert str(consent.text_id) == data["call_wording"]
    else:
        assert added["subjects"] == added["roles"] == added["consents"] == 0
        assert request.subject is None and request.phone == ""
    assert added["subscriptions"] in {0, 1}
    if added["subscriptions"]:
        subscription = NewsletterSubscription.objects.order_by("-pk").first()
        assert subscription.is_pending and subscription.language == language
        assert str(subscription.consent_text_id) == data["newsletter_wording"]
    assert len(mail.outbox) == 1 + added["subscriptions"]


NEWSLETTER_PLAUSIBLE = st.fixed_dictionaries(
    {
        "email": st.emails(),
        "first_name": st.one_of(st.none(), PLAUSIBLE_NAME),
        "consent": TICKED,
        "consent_wording": st.just("CURRENT"),
    }
)
NEWSLETTER_ANY = st.fixed_dictionaries(
    {
        "email": EMAILS,
        "first_name": st.one_of(st.none(), TEXT),
        "consent": BOX,
        "consent_wording": WORDING_ID,
        "website": HONEYPOT,
    }
)
NEWSLETTER = st.one_of(NEWSLETTER_PLAUSIBLE, NEWSLETTER_ANY)


@RELAXED
@given(data=NEWSLETTER, english=st.booleans())
def test_the_newsletter_form_never_fails_and_never_half_writes(settings, data, english):
    _fresh(settings)
    data = _with_wording(data, "consent_wording", "newsletter")
    before = NewsletterSubscription.objects.count()
    consents_before = Consent.objects.count()
    response = _post("/nieuwsbrief/", data, english)
    created = NewsletterSubscription.objects.count() - before
    event(f"created={created}")
    assert created in {0, 1}
    assert Consent.objects.count() == consents_before  # only confirming records it
    assert len(mail.outbox) == created
    if created:
        subscription = NewsletterSubscription.objects.order_by("-pk").first()
        assert response.status_code == 302
        assert subscription.is_pending and subscription.token_hash
        assert subscription.language == ("en" if english else "nl")
        assert subscription.consent_text == ConsentText.objects.current("newsletter")
        assert mail.outbox[0].to == [subscription.email]


TOKENS = st.one_of(
    st.text(
        alphabet=st.characters(blacklist_characters="/?#%", blacklist_categories=("Cs", "Cc")),
        min_size=1,
        max_size=400,
    ),
    st.from_regex(r"[A-Za-z0-9_-]{43}", fullmatch=True),
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(token=TOKENS, method=st.sampled_from(["get", "post", "put"]))
def test_the_confirmation_link_with_any_token_is_refused_clearly(token, method):
    before = Consent.objects.count()
    response = getattr(Client(), method)(f"/nieuwsbrief/bevestigen/{token}/")
    assert response.status_code in {404, 405}
    assert Consent.objects.count() == before
