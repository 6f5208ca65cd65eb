"""The consent page lists, for every data subject with the link's address, each consent
given, with the exact wording in the language it was given in (the other language too),
its version, when and how it was given and whether it is withdrawn; and the newsletter
subscriptions of the address. Nobody else's."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from processing.models import ConsentText
from subjects.consents import consent_withdraw
from subjects.models import NewsletterSubscription
from tests import factories as f

pytestmark = pytest.mark.django_db


def _page(visitor, prefix: str = "/en") -> str:
    person = visitor()
    manage = person.open_page()
    response = person.client.get(f"{prefix}{manage}")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    return response.content.decode()


def test_each_consent_shows_its_wording_version_and_how_it_was_given(visitor, sanne):
    consent = f.ConsentFactory(
        subject=sanne, purpose="meetin", language="en", given_method="paper", given_via="Form 12"
    )
    text = ConsentText.objects.get(pk=consent.text_id)
    html = _page(visitor)
    section = html[html.index(f'id="consent-{consent.pk}"') :]
    assert "Details passed to MeetIn for study trips" in section
    assert "Study trips (MeetIn)" in section
    assert '<blockquote class="border-start ps-3 mb-1 text-typed" lang="en"' in section
    assert text.text_en.splitlines()[0] in section
    assert f"Version {text.version}, shown in English." in section
    assert "The same wording in Dutch" in section
    assert text.text_nl.splitlines()[0] in section
    assert "on paper" in section and "<bdi>Form 12</bdi>" in section
    assert "active" in section and "Withdraw this consent" in section


def test_a_withdrawn_consent_says_when_and_how_and_has_no_button(visitor, sanne):
    consent = f.ConsentFactory(subject=sanne, purpose="meetin")
    consent_withdraw(consents=[consent], actor=None, method="rights-request", via="DSAR-1")
    html = _page(visitor)
    section = html[html.index(f'id="consent-{consent.pk}"') :]
    section = section[: section.index("</section>")]
    assert "withdrawn" in section and "rights request" in section and "DSAR-1" in section
    assert "Withdraw this consent" not in section


def test_every_data_subject_with_the_address_is_listed_and_nobody_else(
    visitor, sanne, other_person
):
    twin = f.DataSubjectFactory(email="SANNE@example.nl")
    mine = f.ConsentFactory(subject=sanne, purpose="meetin")
    twins = f.ConsentFactory(subject=twin, purpose="e2grow-visibility")
    theirs = f.ConsentFactory(subject=other_person, purpose="allergies")
    html = _page(visitor)
    assert f'id="consent-{mine.pk}"' in html
    assert f'id="consent-{twins.pk}"' in html
    assert f'id="consent-{theirs.pk}"' not in html
    assert "joost@example.nl" not in html


def test_the_subscriptions_of_the_address_are_listed_confirmed_and_pending(
    visitor, sanne, other_person
):
    confirmed = f.NewsletterSubscriptionFactory(subject=sanne)
    pending = NewsletterSubscription.objects.create(
        email="sanne@example.nl", basis=NewsletterSubscription.Basis.CONSENT
    )
    theirs = f.NewsletterSubscriptionFactory(subject=other_person)
    html = _page(visitor)
    assert f'id="subscription-{confirmed.pk}"' in html
    assert f'id="subscription-{pending.pk}"' in html
    assert f'id="subscription-{theirs.pk}"' not in html
    assert "waiting for confirmation" in html and "Cancel this sign-up" in html
    assert "subscribed" in html and "Unsubscribe" in html


def test_an_address_with_nothing_sees_an_empty_page(visitor):
    html = _page(visitor)
    assert 'id="no-consents"' in html and 'id="no-subscriptions"' in html


def test_the_dutch_page_shows_the_dutch_wording_of_a_dutch_consent(visitor, sanne):
    consent = f.ConsentFactory(subject=sanne, purpose="meetin", language="nl")
    html = _page(visitor, prefix="")
    assert '<html lang="nl">' in html
    assert consent.text.text_nl.splitlines()[0] in html
    assert 'lang="nl"' in html[html.index(f'id="consent-{consent.pk}"') :]


def test_public_text_is_escaped_and_isolated(visitor, sanne):
    f.ConsentFactory(
        subject=sanne, purpose="meetin", given_method="paper", given_via="<b>x</b>\u202eevil"
    )
    html = _page(visitor)
    assert "<b>x</b>" not in html
    assert "<bdi>&lt;b&gt;x&lt;/b&gt;\u202eevil</bdi>" in html


def test_the_page_costs_the_same_number_of_queries_however_many_consents(visitor, sanne):
    person = visitor()
    manage = person.open_page()
    f.ConsentFactory(subject=sanne, purpose="meetin")
    with CaptureQueriesContext(connection) as few:
        person.client.get(manage)
    for purpose in ("allergies", "e2grow-visibility", "coaching-health", "monitor-research"):
        f.ConsentFactory(subject=sanne, purpose=purpose)
    f.NewsletterSubscriptionFactory(subject=sanne, confirmed_at=timezone.now())
    with CaptureQueriesContext(connection) as many:
        person.client.get(manage)
    assert len(many) <= len(few) + 1  # + the subscription list's own rows, same query
