"""The personal unsubscribe link of a newsletter subscription: GET shows one button and
changes nothing, POST unsubscribes, and the RFC 8058 one-click POST (urlencoded or
multipart, no CSRF token) is answered without any redirect. Unsubscribing drops the
person from the audience at once; rule unsubscribe-6w deletes the data at its exact
boundary, after which the address is only a keyed hash on the suppression list, and only
its owner can subscribe it again."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from processing.models import Consent, ConsentMethod
from requests_dsar.tokens import token_new
from subjects.models import DataSubject, NewsletterSubscription, SuppressedAddress
from subjects.newsletter import audience_rows, newsletter_confirm, newsletter_sign_up
from subjects.suppression import address_is_suppressed, suppression_digest, suppression_keys
from tests import factories as f
from tests.consents.test_tokens_hashed import database_holds
from tests.retention.conftest import apply_at, utc

pytestmark = pytest.mark.django_db

EMAIL = "sanne@example.nl"
UNSUBSCRIBED_AT = utc(2026, 10, 1, 12, 0)
# Rule unsubscribe-6w runs daily: a row goes at the run before its 6 weeks pass.
GONE_AT = UNSUBSCRIBED_AT + datetime.timedelta(weeks=6) - datetime.timedelta(hours=24)
S = datetime.timedelta(seconds=1)
CONFIRM = re.compile(r"/nieuwsbrief/bevestigen/([^/\s]+)/")


@pytest.fixture
def subscribed(sanne):
    token, hashed = token_new()
    subscription = f.NewsletterSubscriptionFactory(subject=sanne, token_hash=hashed)
    return subscription, f"/nieuwsbrief/afmelden/{token}"


def _gone_from_audience(subscription) -> bool:
    return subscription.email not in {s.email for s in audience_rows()}


def test_opening_the_link_shows_one_button_and_changes_nothing(client, subscribed):
    subscription, url = subscribed
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count("<form") - html.count('action="/i18n/setlang/"') == 1
    main = html[html.index("<main") : html.index("</main>")]
    assert main.count("<button") == 1
    assert page["Cache-Control"] == "no-store"
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is None
    assert not _gone_from_audience(subscription)


def test_pressing_the_button_unsubscribes(client, subscribed):
    subscription, url = subscribed
    response = client.post(url)
    assert response.status_code == 200
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is not None
    assert _gone_from_audience(subscription)
    consent = Consent.objects.get(subject=subscription.subject, purpose="newsletter")
    assert consent.withdrawn_method == ConsentMethod.UNSUBSCRIBE_LINK
    assert consent.withdrawn_via == "unsubscribe-page"
    assert address_is_suppressed(EMAIL)


@pytest.mark.parametrize("encoding", ["urlencoded", "multipart"])
def test_a_one_click_post_works_without_csrf_token_and_without_redirect(subscribed, encoding):
    subscription, url = subscribed
    mail_program = Client(enforce_csrf_checks=True)
    if encoding == "urlencoded":
        response = mail_program.post(
            url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
        )
    else:
        response = mail_program.post(url, {"List-Unsubscribe": "One-Click"})
        assert response.request["CONTENT_TYPE"].startswith("multipart/form-data")
    assert response.status_code == 200
    assert "Location" not in response
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is not None
    assert _gone_from_audience(subscription)
    consent = Consent.objects.get(subject=subscription.subject, purpose="newsletter")
    assert consent.withdrawn_via == "one-click-unsubscribe"


def test_a_one_click_post_twice_is_the_same_as_once(subscribed):
    subscription, url = subscribed
    mail_program = Client(enforce_csrf_checks=True)
    for _ in range(2):
        response = mail_program.post(url, {"List-Unsubscribe": "One-Click"})
        assert response.status_code == 200 and "Location" not in response
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is not None


def test_the_data_goes_at_the_exact_six_week_boundary_and_only_a_keyed_hash_stays(subscribed):
    subscription, url = subscribed
    subject_pk = subscription.subject_id
    with time_machine.travel(UNSUBSCRIBED_AT, tick=False):
        Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})
        assert _gone_from_audience(subscription)

    apply_at(GONE_AT - S, "unsubscribe-6w")
    assert NewsletterSubscription.objects.filter(pk=subscription.pk).exists()
    apply_at(GONE_AT, "unsubscribe-6w")
    assert not NewsletterSubscription.objects.filter(pk=subscription.pk).exists()
    assert not DataSubject.objects.filter(pk=subject_pk).exists()

    # What is left of the address: a keyed hash (HMAC-SHA256), not the address.
    version, key = suppression_keys()[0]
    entry = SuppressedAddress.objects.get()
    assert (entry.key_version, entry.digest) == (version, suppression_digest(EMAIL, key))
    assert entry.reason == SuppressedAddress.Reason.UNSUBSCRIBED
    assert database_holds(EMAIL) == []


def test_after_deletion_only_the_owner_can_subscribe_the_address_again(subscribed, mailoutbox):
    subscription, url = subscribed
    with time_machine.travel(UNSUBSCRIBED_AT, tick=False):
        Client().post(url)
    apply_at(GONE_AT, "unsubscribe-6w")
    assert address_is_suppressed(EMAIL)

    # Someone signs the address up again: it stays pending and is never mailed.
    again = newsletter_sign_up(email=EMAIL, first_name="Iemand")
    assert again.is_pending
    assert _gone_from_audience(again)
    # Nobody else can put it back, not even staff with a recorded consent.
    stranger = f.DataSubjectFactory(email=EMAIL)
    f.ConsentFactory(subject=stranger, purpose="newsletter")
    with pytest.raises(ValidationError) as refused:
        NewsletterSubscription.objects.create(
            subject=stranger,
            email=EMAIL,
            basis=NewsletterSubscription.Basis.CONSENT,
            confirmed_at=timezone.now(),
        )
    assert "email" in refused.value.message_dict
    assert _gone_from_audience(again)

    # The owner of the mailbox confirms through the e-mail: a fresh opt-in of their own.
    token = CONFIRM.search(mailoutbox[-1].body).group(1)
    assert newsletter_confirm(token=token).result == "confirmed"
    again.refresh_from_db()
    assert not again.is_pending
    assert not address_is_suppressed(EMAIL)
    assert not _gone_from_audience(again)


def test_an_unknown_token_gets_a_clear_page_and_never_a_500(client):
    assert client.get("/nieuwsbrief/afmelden/nope").status_code == 404
    assert client.post("/nieuwsbrief/afmelden/nope").status_code == 404
    one_click = Client(enforce_csrf_checks=True).post(
        "/nieuwsbrief/afmelden/nope", {"List-Unsubscribe": "One-Click"}
    )
    assert one_click.status_code == 404 and "Location" not in one_click
