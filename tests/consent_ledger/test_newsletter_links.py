"""Every link of every e-mail about the newsletter keeps working: a second sign-up for an
address that is already subscribed joins the existing subscription, and both e-mails'
unsubscribe links end it."""

from __future__ import annotations

import pytest
from django.core import mail

from subjects.models import NewsletterLinkToken, NewsletterSubscription
from subjects.newsletter import (
    newsletter_confirm,
    newsletter_sign_up,
    newsletter_unsubscribe,
    subscription_by_token,
)

pytestmark = pytest.mark.django_db

EMAIL = "thomas@example.nl"


def _token(marker: str) -> str:
    link = next(
        line for line in mail.outbox[-1].body.splitlines() if marker in line and "http" in line
    )
    return link.strip().rstrip("/").rsplit("/", 1)[-1]


def _signed_up_and_confirmed() -> str:
    newsletter_sign_up(email=EMAIL, first_name="Thomas")
    token = _token("/bevestigen/")
    assert newsletter_confirm(token=token).result == "confirmed"
    return token


def test_a_second_confirmed_sign_up_joins_the_subscription_and_old_links_still_work():
    first = _signed_up_and_confirmed()
    newsletter_sign_up(email=EMAIL, first_name="Thomas")
    second = _token("/bevestigen/")
    outcome = newsletter_confirm(token=second)
    assert outcome.result == "already"
    subscription = NewsletterSubscription.objects.get()
    assert subscription_by_token(first) == subscription == subscription_by_token(second)
    assert NewsletterLinkToken.objects.filter(subscription=subscription).count() == 1
    assert newsletter_unsubscribe(token=first).result == "unsubscribed"
    assert newsletter_unsubscribe(token=second).result == "already"


def test_the_extra_link_is_stored_only_as_a_hash_and_goes_with_the_subscription():
    _signed_up_and_confirmed()
    newsletter_sign_up(email=EMAIL)
    second = _token("/bevestigen/")
    newsletter_confirm(token=second)
    link = NewsletterLinkToken.objects.get()
    assert second not in link.token_hash and len(link.token_hash) == 64
    NewsletterSubscription.objects.all().delete()
    assert not NewsletterLinkToken.objects.exists()


def test_unsubscribing_from_a_second_sign_ups_e_mail_ends_the_subscription_too():
    from processing.models import Consent

    _signed_up_and_confirmed()
    import datetime

    import time_machine
    from django.utils import timezone

    with time_machine.travel(timezone.now() + datetime.timedelta(days=2)):
        newsletter_sign_up(email=EMAIL)
        second = _token("/afmelden/")
        outcome = newsletter_unsubscribe(token=second)
    assert outcome.result == "unsubscribed"
    subscription = NewsletterSubscription.objects.get()
    assert subscription.unsubscribed_at is not None
    assert not Consent.objects.filter(purpose="newsletter", withdrawn_at=None).exists()
