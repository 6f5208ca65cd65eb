"""The consent page ends a newsletter subscription as the unsubscribe link does: mailing
stops at once, the consent is withdrawn "on the consent page", the address is
suppressed; a pending sign-up is cancelled. Only the address's own subscriptions."""

from __future__ import annotations

import pytest

from processing.models import Consent, ConsentMethod
from subjects.models import NewsletterSubscription
from subjects.newsletter import audience_rows
from subjects.suppression import address_is_suppressed
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_unsubscribing_on_the_page_stops_the_newsletter_at_once(visitor, sanne):
    subscription = f.NewsletterSubscriptionFactory(subject=sanne)
    person = visitor()
    manage = person.open_page()
    response = person.unsubscribe(f"/en{manage}", subscription)
    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is not None
    assert subscription not in audience_rows()
    consent = Consent.objects.get(subject=sanne, purpose="newsletter")
    assert consent.withdrawn_method == ConsentMethod.PREFERENCES
    assert consent.withdrawn_via == "consent-page"
    assert address_is_suppressed("sanne@example.nl")
    page = person.client.get(f"/en{manage}").content.decode()
    section = page[page.index(f'id="subscription-{subscription.pk}"') :]
    assert "unsubscribed" in section[: section.index("</section>")]


def test_a_pending_sign_up_is_cancelled(visitor):
    pending = NewsletterSubscription.objects.create(
        email="sanne@example.nl", basis=NewsletterSubscription.Basis.CONSENT
    )
    person = visitor()
    manage = person.open_page()
    response = person.unsubscribe(f"/en{manage}", pending)
    assert response.status_code == 200
    assert "Your sign-up has been cancelled" in response.content.decode()
    assert not NewsletterSubscription.objects.exists()
    assert address_is_suppressed("sanne@example.nl")


def test_unsubscribing_twice_changes_nothing_more(visitor, sanne):
    subscription = f.NewsletterSubscriptionFactory(subject=sanne)
    person = visitor()
    manage = person.open_page()
    person.unsubscribe(manage, subscription)
    subscription.refresh_from_db()
    first = subscription.unsubscribed_at
    assert person.unsubscribe(manage, subscription).status_code == 200
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at == first


def test_another_addresss_subscription_gives_404_and_changes_nothing(visitor, sanne, other_person):
    f.NewsletterSubscriptionFactory(subject=sanne)
    theirs = f.NewsletterSubscriptionFactory(subject=other_person)
    person = visitor()
    manage = person.open_page()
    assert person.unsubscribe(manage, theirs).status_code == 404
    theirs.refresh_from_db()
    assert theirs.unsubscribed_at is None
    assert not address_is_suppressed("joost@example.nl")
