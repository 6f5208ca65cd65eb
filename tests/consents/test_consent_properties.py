"""Property-based: whatever is sent to the consent page's request form or to an
unsubscribe link, the answer is never a server error, and nothing is half written: a
request writes one link or none, an unsubscribe ends the subscription or leaves it as it
was."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from processing.models import ConsentPageLink
from requests_dsar.tokens import token_new
from subjects.models import NewsletterSubscription
from tests import factories as f

pytestmark = pytest.mark.django_db

RELAXED = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ODD_TEXT = st.text(max_size=400) | st.binary(max_size=200).map(lambda b: b.decode("latin-1"))
EMAILS = st.one_of(st.emails(), ODD_TEXT, st.just(""), st.just("a" * 300 + "@example.nl"))
FORM = st.fixed_dictionaries(
    {"email": EMAILS},
    optional={
        "website": st.one_of(st.just(""), ODD_TEXT),
        "extra": ODD_TEXT,
        "email2": ODD_TEXT,
    },
)


@RELAXED
@given(data=FORM, english=st.booleans())
def test_the_consent_link_request_never_fails_and_writes_one_link_or_none(settings, data, english):
    settings.SITE_URL = "http://testserver"
    cache.clear()
    mail.outbox = []
    before = ConsentPageLink.objects.count()
    response = Client().post(("/en" if english else "") + "/toestemmingen/", data)
    assert response.status_code in {200, 302}
    created = ConsentPageLink.objects.count() - before
    event(f"created={created}")
    assert created in {0, 1}
    assert len(mail.outbox) == created


BODIES = st.one_of(
    st.just({"List-Unsubscribe": "One-Click"}),
    st.dictionaries(ODD_TEXT, ODD_TEXT, max_size=3),
    st.fixed_dictionaries({"List-Unsubscribe": ODD_TEXT}),
)


@RELAXED
@given(body=BODIES, multipart=st.booleans(), own_token=st.booleans())
def test_an_unsubscribe_post_never_fails_and_ends_the_subscription_or_nothing(
    body, multipart, own_token
):
    token, hashed = token_new()
    subscription = f.NewsletterSubscriptionFactory(token_hash=hashed)
    path = f"/nieuwsbrief/afmelden/{token if own_token else token_new()[0]}"
    client = Client(enforce_csrf_checks=True)
    if multipart:
        response = client.post(path, body)
    else:
        from urllib.parse import urlencode

        response = client.post(
            path, urlencode(body), content_type="application/x-www-form-urlencoded"
        )
    assert response.status_code in {200, 404}
    assert not response.has_header("Location")
    subscription.refresh_from_db()
    ended = subscription.unsubscribed_at is not None
    event(f"ended={ended}")
    assert ended == own_token
    assert NewsletterSubscription.objects.filter(pk=subscription.pk).exists()
