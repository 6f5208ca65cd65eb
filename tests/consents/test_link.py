"""The e-mailed link: GET shows one button and nothing personal (mail scanners open
links), POST uses it once and opens the consent page behind a new token for one hour.
Expired, used and invalid links get a clear page, never a 500, and no token reaches the
website-visit log."""

from __future__ import annotations

import datetime
from urllib.parse import quote

import pytest
import time_machine
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from processing.models import ConsentPageLink
from subjects.models import WebsiteVisit
from tests import factories as f
from tests.retention.conftest import utc

pytestmark = pytest.mark.django_db

SENT_AT = utc(2026, 3, 28, 23, 30)  # the night summer time starts: hours are elapsed hours
S = datetime.timedelta(seconds=1)
DAY = datetime.timedelta(hours=24)
HOUR = datetime.timedelta(hours=1)


def _sent(visitor, at=SENT_AT):
    person = visitor()
    with time_machine.travel(at, tick=False):
        person.ask()
    return person, person.link()


def test_opening_the_link_shows_a_button_and_nothing_personal(visitor, sanne):
    f.ConsentFactory(subject=sanne, purpose="meetin")
    person = visitor()
    person.ask()
    page = person.client.get(person.link())
    html = page.content.decode()
    assert page.status_code == 200
    assert "Toon mijn toestemmingen" in html or "Show my consents" in html
    assert 'method="post"' in html
    for personal in ("sanne@example.nl", "Sanne", "MeetIn", "meetin"):
        assert personal not in html
    assert page["Cache-Control"] == "no-store"
    assert "noindex" in page["X-Robots-Tag"]
    assert ConsentPageLink.objects.get().used_at is None


def test_opening_the_link_any_number_of_times_does_not_use_it(visitor):
    person = visitor()
    person.ask()
    for _ in range(3):
        assert person.client.get(person.link()).status_code == 200
    assert person.client.post(person.link()).status_code == 302


def test_the_link_works_once(visitor):
    person = visitor()
    person.ask()
    link = person.link()
    manage = person.use(link)
    assert manage.startswith("/toestemmingen/beheer/")
    again = person.client.post(link)
    assert again.status_code == 410
    assert "al gebruikt" in again.content.decode()
    looked = person.client.get(link)
    assert looked.status_code == 410
    assert "al gebruikt" in looked.content.decode()
    # The first page still works: the second press opened nothing new.
    assert person.client.get(manage).status_code == 200
    assert ConsentPageLink.objects.filter(manage_token_hash__isnull=False).count() == 1


def test_using_the_link_rotates_to_a_new_token(visitor):
    person = visitor()
    person.ask()
    token = person.token()
    manage = person.use(person.link())
    manage_token = manage.split("/")[-2]
    assert manage_token != token and len(manage_token) >= 40
    link = ConsentPageLink.objects.get()
    assert token not in (link.token_hash, link.manage_token_hash)
    assert manage_token not in (link.token_hash, link.manage_token_hash)


def test_the_link_works_until_one_second_before_24_hours(visitor):
    person, link = _sent(visitor)
    with time_machine.travel(SENT_AT + DAY - S, tick=False):
        assert person.client.get(link).status_code == 200
        assert person.client.post(link).status_code == 302


def test_the_link_has_expired_at_24_hours_exactly(visitor):
    person, link = _sent(visitor)
    with time_machine.travel(SENT_AT + DAY, tick=False):
        looked = person.client.get(link)
        pressed = person.client.post(link)
    assert looked.status_code == pressed.status_code == 410
    assert "verlopen" in pressed.content.decode()
    assert ConsentPageLink.objects.get().used_at is None


def test_the_consent_page_stays_open_until_one_second_before_an_hour(visitor, sanne):
    consent = f.ConsentFactory(subject=sanne, purpose="meetin")
    person, link = _sent(visitor)
    used_at = SENT_AT + datetime.timedelta(hours=3)
    with time_machine.travel(used_at, tick=False):
        manage = person.use(link)
    with time_machine.travel(used_at + HOUR - S, tick=False):
        assert person.client.get(manage).status_code == 200
        assert person.withdraw(manage, consent).status_code == 200
    consent.refresh_from_db()
    assert consent.withdrawn_at == used_at + HOUR - S


def test_the_consent_page_has_closed_at_one_hour_exactly_and_changes_nothing(visitor, sanne):
    consent = f.ConsentFactory(subject=sanne, purpose="meetin")
    subscription = f.NewsletterSubscriptionFactory(subject=sanne)
    person, link = _sent(visitor)
    with time_machine.travel(SENT_AT + HOUR, tick=False):
        manage = person.use(link)
    with time_machine.travel(SENT_AT + 2 * HOUR, tick=False):
        page = person.client.get(f"/en{manage}")
        withdrawn = person.withdraw(manage, consent)
        unsubscribed = person.unsubscribe(manage, subscription)
    assert page.status_code == withdrawn.status_code == unsubscribed.status_code == 410
    assert "This page has closed" in page.content.decode()
    consent.refresh_from_db()
    subscription.refresh_from_db()
    assert consent.withdrawn_at is None
    assert subscription.unsubscribed_at is None


def test_an_unknown_or_tampered_token_gets_a_clear_page(visitor, client):
    person = visitor()
    person.ask()
    link = person.link()
    tampered = link[:-3] + ("A" if link[-3] != "A" else "B") + link[-2:]
    for path in (tampered, "/toestemmingen/link/x/", "/en/toestemmingen/beheer/x/"):
        response = client.get(path)
        assert response.status_code == 404
        assert response["Cache-Control"] == "no-store"
    assert "This link is not valid" in client.get("/en/toestemmingen/link/x/").content.decode()
    assert client.post(tampered).status_code == 404
    assert ConsentPageLink.objects.get().used_at is None


def test_other_methods_are_refused_without_a_500(visitor, client):
    person = visitor()
    manage = person.open_page()
    assert client.put(person.link()).status_code in (403, 405)
    assert client.post(manage).status_code == 405
    assert client.get(f"{manage}intrekken/").status_code == 405
    assert client.get(f"{manage}afmelden/").status_code == 405


def test_no_token_reaches_the_website_visit_log(visitor, sanne):
    consent = f.ConsentFactory(subject=sanne, purpose="meetin")
    person = visitor()
    person.ask()
    token = person.token()
    manage = person.open_page()
    manage_token = manage.split("/")[-2]
    person.client.post(person.link())  # used
    person.client.get(manage)
    person.withdraw(manage, consent)
    person.client.put(manage)
    paths = list(WebsiteVisit.objects.values_list("path", flat=True))
    assert any(p.startswith("/toestemmingen/beheer/") for p in paths)
    assert not [p for p in paths if token in p or manage_token in p]


def test_a_refused_csrf_check_does_not_log_the_token_either(visitor):
    person = visitor()
    person.ask()
    token = person.token()
    strict = Client(enforce_csrf_checks=True)
    refused = strict.post(person.link())
    assert refused.status_code == 403
    assert ConsentPageLink.objects.get().used_at is None
    assert not WebsiteVisit.objects.filter(path__contains=token).exists()


def test_the_button_works_with_its_csrf_token(visitor):
    person = visitor()
    person.ask()
    strict = Client(enforce_csrf_checks=True)
    page = strict.get(person.link())
    csrf = page.context["csrf_token"]
    assert strict.post(person.link(), {"csrfmiddlewaretoken": str(csrf)}).status_code == 302


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(token=st.text(max_size=300), method=st.sampled_from(["get", "post", "head", "delete"]))
def test_whatever_is_in_the_url_never_gives_a_500(token, method):
    client = Client()
    quoted = quote(token, safe="")
    for path in (
        f"/toestemmingen/link/{quoted}/",
        f"/en/toestemmingen/beheer/{quoted}/",
        f"/toestemmingen/beheer/{quoted}/intrekken/",
        f"/toestemmingen/beheer/{quoted}/afmelden/",
    ):
        response = getattr(client, method)(path)
        assert response.status_code < 500, (path, response.status_code)
