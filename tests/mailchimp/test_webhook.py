"""Mailchimp's webhook: its validation GET and empty POST get a 200; an unsubscribe (or a
cleaned address) there stops the newsletter here at once, as our own unsubscribe link
does, and rule unsubscribe-6w deletes at the exact 6-week boundary; a spam complaint is
an objection to direct marketing; an address change is followed; subscribe and profile
change nothing. A wrong secret is a 404, another audience is ignored, a malformed body
gets a 400 and changes nothing, and the secret reaches no log line and no table."""

from __future__ import annotations

import datetime
import logging

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from leafspring.token_mask import TokenMaskingFilter, tokens_masked
from processing.models import Consent, ConsentMethod
from subjects.models import (
    AuditEvent,
    DataSubject,
    NewsletterSubscription,
    SuppressedAddress,
    WebsiteVisit,
)
from subjects.newsletter import audience_rows
from subjects.selectors import newsletter_recipients
from subjects.suppression import address_is_suppressed, address_suppress, suppression_entries
from tests import factories as f
from tests.consents.test_tokens_hashed import database_holds
from tests.mailchimp.server import AUDIENCE
from tests.retention.conftest import apply_at, utc

pytestmark = pytest.mark.django_db

SECRET = "webhook-secret-for-tests-0123456789"  # as the ``mailchimp`` fixture sets it
URL = f"/mailchimp/webhook/{SECRET}/"
EMAIL = "sanne@example.nl"
UNSUBSCRIBED_AT = utc(2026, 10, 1, 12, 0)
# Rule unsubscribe-6w runs daily: a row goes at the run before its 6 weeks pass.
GONE_AT = UNSUBSCRIBED_AT + datetime.timedelta(weeks=6) - datetime.timedelta(hours=24)
S = datetime.timedelta(seconds=1)


@pytest.fixture
def mailchimp_calls(mailchimp):
    """Mailchimp's side: a client without CSRF token or cookies, as Mailchimp calls."""
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def subscription(db):
    person = f.DataSubjectFactory(first_name="Sanne", email=EMAIL)
    return f.NewsletterSubscriptionFactory(subject=person)


def event(kind: str, email: str = EMAIL, list_id: str = AUDIENCE, **data: str) -> dict[str, str]:
    """A webhook POST as Mailchimp sends it (form-encoded, ``data[...]`` keys)."""
    body = {
        "type": kind,
        "fired_at": "2026-10-01 12:00:00",
        "data[id]": "8a25ff1d98",
        "data[list_id]": list_id,
        "data[email]": email,
        "data[email_type]": "html",
        "data[merges][EMAIL]": email,
        "data[merges][FNAME]": "Sanne",
    }
    body.update({f"data[{key}]": value for key, value in data.items()})
    return {key: value for key, value in body.items() if value is not None}


def snapshot() -> dict[str, list]:
    """Everything an event could change."""
    return {
        "subscriptions": list(
            NewsletterSubscription.objects.order_by("pk").values_list(
                "pk", "email", "unsubscribed_at"
            )
        ),
        "consents": list(
            Consent.objects.order_by("pk").values_list("pk", "withdrawn_at", "withdrawn_via")
        ),
        "subjects": list(
            DataSubject.objects.order_by("pk").values_list("pk", "email", "marketing_objection_at")
        ),
        "suppressed": list(SuppressedAddress.objects.order_by("pk").values_list("pk", "reason")),
        "audit": list(AuditEvent.objects.order_by("pk").values_list("pk", flat=True)),
    }


def in_audience(email: str) -> bool:
    return email in {s.email for s in audience_rows()}


# Validation and refusals.


def test_mailchimp_validation_get_head_and_empty_post_answer_200(mailchimp_calls):
    for response in (
        mailchimp_calls.get(URL),
        mailchimp_calls.head(URL),
        mailchimp_calls.post(URL),
        mailchimp_calls.post(URL, "", content_type="application/x-www-form-urlencoded"),
    ):
        assert response.status_code == 200
        assert response.content == b""
        assert response["Cache-Control"] == "no-store"


def test_the_route_is_named_and_outside_the_language_prefixes(mailchimp):
    assert reverse("mailchimp_webhook", kwargs={"secret": SECRET}) == URL


@pytest.mark.parametrize(
    "wrong",
    [SECRET[:-1], SECRET + "x", SECRET.upper(), "x", "webhook-secret-for-tests-012345678\u00e9"],
)
def test_a_wrong_secret_is_a_404_and_changes_nothing(mailchimp_calls, subscription, wrong):
    before = snapshot()
    url = f"/mailchimp/webhook/{wrong}/"
    assert mailchimp_calls.get(url).status_code == 404
    assert mailchimp_calls.post(url).status_code == 404
    assert mailchimp_calls.post(url, event("unsubscribe")).status_code == 404
    # Other methods are refused on every URL alike, so they tell nothing about the secret.
    assert mailchimp_calls.put(url).status_code == 405
    assert snapshot() == before
    assert in_audience(EMAIL)


def test_without_the_connector_or_a_secret_the_webhook_is_not_there(settings, subscription):
    caller = Client(enforce_csrf_checks=True)
    settings.MAILCHIMP_WEBHOOK_SECRET = SECRET
    settings.MAILCHIMP_API_KEY = ""  # the connector is off
    assert caller.get(URL).status_code == 404
    assert caller.post(URL, event("unsubscribe")).status_code == 404
    assert in_audience(EMAIL)


def test_an_empty_or_weak_secret_setting_keeps_the_webhook_off(mailchimp, settings, caplog):
    caller = Client(enforce_csrf_checks=True)
    settings.MAILCHIMP_WEBHOOK_SECRET = ""
    assert caller.get("/mailchimp/webhook/-/").status_code == 404
    # Too short to be masked wherever it stands, and guessable: refused.
    settings.MAILCHIMP_WEBHOOK_SECRET = "geheim"
    with caplog.at_level(logging.WARNING):
        assert caller.get("/mailchimp/webhook/geheim/").status_code == 404
    assert "the Mailchimp webhook is off" in caplog.text
    assert "geheim" not in caplog.text.replace("webhook is off", "")


@pytest.mark.parametrize("method", ["put", "patch", "delete", "options"])
def test_other_methods_are_refused_in_the_view(mailchimp_calls, subscription, method):
    before = snapshot()
    response = getattr(mailchimp_calls, method)(URL)
    assert response.status_code == 405
    assert set(response["Allow"].split(", ")) == {"GET", "HEAD", "POST"}
    assert snapshot() == before


def test_an_event_of_another_audience_is_ignored(mailchimp_calls, subscription):
    before = snapshot()
    for kind in ("unsubscribe", "cleaned"):
        response = mailchimp_calls.post(URL, event(kind, list_id="otheraudience", reason="abuse"))
        assert response.status_code == 200
    response = mailchimp_calls.post(
        URL,
        event("upemail", email=None, list_id="other", old_email=EMAIL, new_email="n@example.nl"),
    )
    assert response.status_code == 200
    assert snapshot() == before
    assert in_audience(EMAIL)


MALFORMED = {
    "no type": {"data[list_id]": AUDIENCE, "data[email]": EMAIL},
    "unknown type": {**event("unsubscribe"), "type": "unsubscribed"},
    "no email": {**event("unsubscribe"), "data[email]": ""},
    "not an email": {**event("unsubscribe"), "data[email]": "sanne at example.nl"},
    "no audience": {k: v for k, v in event("unsubscribe").items() if k != "data[list_id]"},
    "long email": {**event("unsubscribe"), "data[email]": "s" * 250 + "@example.nl"},
    "long audience": {**event("unsubscribe"), "data[list_id]": AUDIENCE + "x" * 200},
    "long type": {**event("unsubscribe"), "type": "unsubscribe" * 20},
    "long reason": {**event("cleaned"), "data[reason]": "abuse" + " " * 10 + "x" * 200},
    "upemail without new": event("upemail", email=None, old_email=EMAIL),
    "upemail bad new": event("upemail", email=None, old_email=EMAIL, new_email="nope"),
}


@pytest.mark.parametrize("body", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_body_gets_a_400_and_changes_nothing(mailchimp_calls, subscription, body):
    before = snapshot()
    assert mailchimp_calls.post(URL, body).status_code == 400
    assert snapshot() == before
    assert in_audience(EMAIL)


def test_other_malformed_bodies_get_a_400_too(mailchimp_calls, subscription):
    before = snapshot()
    twice = "type=unsubscribe&data[list_id]=aud1&data[email]=a@example.nl&data[email]=" + EMAIL
    for body, content_type in (
        ('{"type": "unsubscribe"}', "application/json"),
        (twice, "application/x-www-form-urlencoded"),
        ("%ff%fe=\x00", "application/x-www-form-urlencoded"),
    ):
        assert mailchimp_calls.post(URL, body, content_type=content_type).status_code == 400
    assert snapshot() == before


def test_a_body_beyond_djangos_limits_gets_a_400(mailchimp_calls, subscription, settings):
    before = snapshot()
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    assert mailchimp_calls.post(URL, event("unsubscribe")).status_code == 400
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    body = event("unsubscribe", note="x" * 200)
    assert mailchimp_calls.post(URL, body).status_code == 400
    assert snapshot() == before


def test_a_failure_to_carry_out_an_event_is_no_500_and_changes_nothing(
    mailchimp_calls, subscription, monkeypatch, caplog
):
    from subjects import newsletter

    def broken(**kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(newsletter, "newsletter_subscription_end", broken)
    monkeypatch.setattr("subjects.mailchimp_events.newsletter_subscription_end", broken)
    before = snapshot()
    with caplog.at_level(logging.DEBUG):
        response = mailchimp_calls.post(URL, event("unsubscribe"))
    assert response.status_code == 503  # Mailchimp tries again later
    assert snapshot() == before  # not even the suppression entry: all or nothing
    assert SECRET not in caplog.text


# What each event does.


def test_an_unsubscribe_there_ends_the_subscription_here_as_our_own_link_does(
    mailchimp_calls, subscription
):
    assert in_audience(EMAIL)
    response = mailchimp_calls.post(URL, event("unsubscribe", action="unsub", reason="manual"))
    assert response.status_code == 200
    assert not in_audience(EMAIL)  # the audience export stops at once
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is not None  # the 6-week clock runs
    consent = Consent.objects.get(subject=subscription.subject, purpose="newsletter")
    assert consent.withdrawn_at is not None
    assert consent.withdrawn_method == ConsentMethod.UNSUBSCRIBE_LINK
    assert consent.withdrawn_via == "mailchimp-unsubscribe"
    assert "Mailchimp" in consent.withdrawn_via_display  # a label, not a code
    assert address_is_suppressed(EMAIL)
    assert suppression_entries(EMAIL).get().reason == SuppressedAddress.Reason.UNSUBSCRIBED


def test_the_same_event_twice_changes_nothing_more(mailchimp_calls, subscription):
    for kind, extra in (
        ("unsubscribe", {}),
        ("cleaned", {"reason": "hard"}),
        ("cleaned", {"reason": "abuse"}),
    ):
        assert mailchimp_calls.post(URL, event(kind, **extra)).status_code == 200
        after_once = snapshot()
        assert mailchimp_calls.post(URL, event(kind, **extra)).status_code == 200
        assert snapshot() == after_once


def test_every_active_subscription_of_the_address_ends_whatever_its_case(mailchimp_calls):
    first = f.NewsletterSubscriptionFactory(subject=f.DataSubjectFactory(email=EMAIL))
    # A client's soft opt-in with the same address, held on another record.
    client = f.DataSubjectFactory(email="sanne.werk@example.nl")
    f.SubjectRoleFactory(subject=client)
    second = f.NewsletterSubscriptionFactory(
        subject=client,
        email=EMAIL,
        basis=NewsletterSubscription.Basis.SOFT_OPT_IN,
        sale=f.InvoiceFactory(subject=client),
        confirmed_at=None,
    )
    assert {first.pk, second.pk} <= {s.pk for s in newsletter_recipients()}
    response = mailchimp_calls.post(URL, event("unsubscribe", email="Sanne@Example.NL"))
    assert response.status_code == 200
    for subscription in (first, second):
        subscription.refresh_from_db()
        assert subscription.unsubscribed_at is not None
    assert not in_audience(EMAIL)


def test_an_unsubscribe_of_an_unknown_address_is_answered_alike_and_suppresses_it(
    mailchimp_calls, subscription
):
    known = mailchimp_calls.post(URL, event("unsubscribe"))
    unknown = mailchimp_calls.post(URL, event("unsubscribe", email="nobody@example.org"))
    assert (known.status_code, known.content) == (unknown.status_code, unknown.content)
    assert address_is_suppressed("nobody@example.org")
    assert not DataSubject.objects.filter(email="nobody@example.org").exists()
    assert database_holds("nobody@example.org") == []


def test_a_member_archived_or_deleted_in_mailchimp_changes_nothing_here(
    mailchimp_calls, subscription
):
    """``action=delete``: not the person's word (staff in Mailchimp, or this system's own
    restriction or erasure call coming back); the reconcile reports the difference."""
    before = snapshot()
    assert mailchimp_calls.post(URL, event("unsubscribe", action="delete")).status_code == 200
    assert snapshot() == before
    assert in_audience(EMAIL)


def test_an_unsubscribe_there_deletes_here_at_the_exact_six_week_boundary(
    mailchimp_calls, subscription
):
    subject_pk = subscription.subject_id
    with time_machine.travel(UNSUBSCRIBED_AT, tick=False):
        assert mailchimp_calls.post(URL, event("unsubscribe")).status_code == 200
        assert not in_audience(EMAIL)
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at == UNSUBSCRIBED_AT

    apply_at(GONE_AT - S, "unsubscribe-6w")
    assert NewsletterSubscription.objects.filter(pk=subscription.pk).exists()
    apply_at(GONE_AT, "unsubscribe-6w")
    assert not NewsletterSubscription.objects.filter(pk=subscription.pk).exists()
    assert not DataSubject.objects.filter(pk=subject_pk).exists()
    # Only the keyed hash stays, so the address is never mailed again.
    assert address_is_suppressed(EMAIL)
    assert database_holds(EMAIL) == []


def test_a_cleaned_address_stops_the_newsletter_like_an_unsubscribe(mailchimp_calls, subscription):
    response = mailchimp_calls.post(URL, event("cleaned", reason="hard", campaign_id="4fjk2ma9xd"))
    assert response.status_code == 200
    assert not in_audience(EMAIL)
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is not None
    consent = Consent.objects.get(subject=subscription.subject, purpose="newsletter")
    assert consent.withdrawn_via == "mailchimp-cleaned"
    assert address_is_suppressed(EMAIL)
    assert subscription.subject.marketing_objection_at is None  # a bounce is no objection


@pytest.mark.parametrize("kind", ["cleaned", "unsubscribe"])
def test_a_spam_complaint_is_an_objection_to_direct_marketing(mailchimp_calls, kind):
    person = f.DataSubjectFactory(email=EMAIL)
    subscription = f.NewsletterSubscriptionFactory(subject=person)
    same_address = f.DataSubjectFactory(email=EMAIL, first_name="Sanne", last_name="Bakker")
    other = f.NewsletterSubscriptionFactory(subject=f.DataSubjectFactory(email="joost@example.nl"))

    response = mailchimp_calls.post(URL, event(kind, reason="abuse"))
    assert response.status_code == 200
    for subject in (person, same_address):
        subject.refresh_from_db()
        assert subject.marketing_objection_at is not None
        event_ = AuditEvent.objects.get(subject=subject, action="subject.marketing-objection")
        assert event_.params == {"via": "mailchimp-complaint"} and event_.note == ""
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is not None
    assert not in_audience(EMAIL)
    assert suppression_entries(EMAIL).get().reason == SuppressedAddress.Reason.OBJECTED
    # Nobody else is touched.
    other.refresh_from_db()
    assert other.unsubscribed_at is None and in_audience("joost@example.nl")


def test_a_spam_complaint_about_an_unknown_address_still_suppresses_it(mailchimp_calls):
    response = mailchimp_calls.post(URL, event("cleaned", email="spam@example.org", reason="abuse"))
    assert response.status_code == 200
    assert suppression_entries("spam@example.org").get().reason == (
        SuppressedAddress.Reason.OBJECTED
    )
    assert database_holds("spam@example.org") == []


def test_an_address_change_there_is_followed_here(mailchimp_calls, subscription):
    new = "sanne.nieuw@example.nl"
    body = event("upemail", email=None, old_email="Sanne@example.nl", new_email=new, new_id="x")
    assert mailchimp_calls.post(URL, body).status_code == 200
    subscription.refresh_from_db()
    assert subscription.email == new and subscription.unsubscribed_at is None
    assert in_audience(new) and not in_audience(EMAIL)
    assert AuditEvent.objects.filter(
        subject=subscription.subject,
        action="newsletter.email-change",
        changed_fields=["email"],
        params={"via": "mailchimp-upemail"},
    ).exists()
    # The same event again, and an unsubscribe from the old address, change nothing more.
    before = snapshot()
    assert mailchimp_calls.post(URL, body).status_code == 200
    assert snapshot() == before


def test_an_address_change_to_a_suppressed_address_ends_the_subscription(
    mailchimp_calls, subscription
):
    new = "weg@example.nl"
    address_suppress(email=new, reason=SuppressedAddress.Reason.UNSUBSCRIBED)
    body = event("upemail", email=None, old_email=EMAIL, new_email=new)
    assert mailchimp_calls.post(URL, body).status_code == 200
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is not None  # the 6-week clock runs
    assert subscription.email == EMAIL
    assert not in_audience(EMAIL) and not in_audience(new)
    assert database_holds(new) == []  # never written here
    assert AuditEvent.objects.filter(
        subject=subscription.subject,
        action="newsletter.stop",
        target=f"subjects.NewsletterSubscription #{subscription.pk}",
    ).exists()


def test_an_address_change_of_an_unsubscribed_or_unknown_address_changes_nothing(
    mailchimp_calls, subscription
):
    assert mailchimp_calls.post(URL, event("unsubscribe")).status_code == 200
    before = snapshot()
    for old in (EMAIL, "nobody@example.org"):
        body = event("upemail", email=None, old_email=old, new_email="nieuw@example.nl")
        assert mailchimp_calls.post(URL, body).status_code == 200
    assert snapshot() == before


@pytest.mark.parametrize("kind", ["subscribe", "profile"])
def test_subscribe_and_profile_are_acknowledged_and_change_nothing(
    mailchimp_calls, subscription, kind
):
    stranger = "nieuw@example.org"
    before = snapshot()
    assert mailchimp_calls.post(URL, event(kind)).status_code == 200
    assert mailchimp_calls.post(URL, event(kind, email=stranger)).status_code == 200
    assert snapshot() == before
    # A subscription only starts through our own double opt-in.
    assert not in_audience(stranger)
    assert database_holds(stranger) == []


def test_a_campaign_event_is_acknowledged(mailchimp_calls, subscription):
    before = snapshot()
    body = {
        "type": "campaign",
        "data[id]": "5aa2102003",
        "data[subject]": "Nieuwsbrief",
        "data[status]": "sent",
        "data[list_id]": AUDIENCE,
    }
    assert mailchimp_calls.post(URL, body).status_code == 200
    assert snapshot() == before


# The secret stays out of every log line and every table.


def test_the_secret_reaches_no_log_line_and_no_table(mailchimp_calls, subscription, caplog):
    mask = TokenMaskingFilter()
    reaching_the_view = [
        ("get", URL, None),
        ("post", URL, event("profile")),
        ("post", URL, {"type": "nonsense"}),  # 400
        ("put", URL, None),  # 405
        ("post", URL, event("unsubscribe")),
        ("get", f"/mailchimp/webhook/{SECRET}x/", None),  # 404 from the view
    ]
    near_misses = [
        f"/mailchimp/webhook/{SECRET}",  # without the slash
        f"/mailchimp/webhook/{SECRET}/x",
        f"/mailchimp/webhook/{SECRET}/..%2F",
        f"/en/mailchimp/webhook/{SECRET}/",
        f"/mailchimp/webhooks/{SECRET}/",
        f"/mailchimp/webhook/{SECRET}/?a=1",
    ]
    with caplog.at_level(logging.DEBUG):
        for method, url, body in reaching_the_view:
            call = getattr(mailchimp_calls, method)
            call(url, body) if body else call(url)
        # Even before the mask of the log handlers, the view's own lines hold no secret.
        assert SECRET not in caplog.text
        for url in near_misses:
            mailchimp_calls.get(url)
            mailchimp_calls.post(url, event("unsubscribe"))
    # Django's request log names every near miss (its path masked).
    assert len([r for r in caplog.records if r.getMessage().startswith("Not Found")]) >= 8
    for record in caplog.records:
        mask.filter(record)  # as every handler does (settings LOGGING)
        assert SECRET not in record.getMessage()
        assert SECRET[:12] not in record.getMessage()
    paths = list(WebsiteVisit.objects.values_list("path", flat=True))
    assert paths and not [p for p in paths if SECRET in p or SECRET[:12] in p]
    assert database_holds(SECRET) == []


def test_the_mask_hides_any_secret_after_the_webhook_path():
    assert tokens_masked("/mailchimp/webhook/abc/") == "/mailchimp/webhook/-/"
    assert tokens_masked("/en/mailchimp/webhook/abc") == "/en/mailchimp/webhook/-"
    assert tokens_masked("Not Found: /mailchimp/webhooks/abc/x") == (
        "Not Found: /mailchimp/webhooks/-/x"
    )
    assert tokens_masked("/mailchimp/") == "/mailchimp/"


def test_a_change_reported_by_mailchimp_is_not_sent_back_and_its_task_is_done(
    client, mailchimp, run_tasks
):
    from processing.models import Consent, ConsentMethod
    from requests_dsar.models import RecipientTask
    from subjects.consents import consent_withdraw
    from subjects.mailchimp_sync import FROM_MAILCHIMP, UNSUBSCRIBE, changes_from_mailchimp
    from tests import factories as f

    subscription = f.NewsletterSubscriptionFactory()
    with run_tasks(), changes_from_mailchimp({(UNSUBSCRIBE, subscription.email)}):
        consent_withdraw(
            consents=list(Consent.objects.filter(subject=subscription.subject)),
            actor=None,
            method=ConsentMethod.UNSUBSCRIBE_LINK,
        )
    assert mailchimp.calls() == []
    task = RecipientTask.objects.get(recipient__key="mailchimp")
    assert task.state == RecipientTask.State.DONE and task.reason == FROM_MAILCHIMP


def test_an_unsubscribe_reported_by_the_webhook_is_not_echoed_back_to_mailchimp(
    client, mailchimp, run_tasks
):
    from tests import factories as f

    subscription = f.NewsletterSubscriptionFactory()
    with run_tasks():
        response = client.post(
            URL,
            {"type": "unsubscribe", "data[email]": subscription.email, "data[list_id]": "aud1"},
        )
    assert response.status_code == 200
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is not None
    assert mailchimp.calls() == []
