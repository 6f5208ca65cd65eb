"""What happens here reaches Mailchimp through its API (a server on 127.0.0.1 that
speaks it): subscriptions, unsubscribes, restriction, erasure and the 6-week deletion; an
Art. 19 task for Mailchimp is carried out by the machine, and stays manual when the
connector is off; failures are retried where that helps and reopen the task after the
last try."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from processing.connectors.mailchimp import subscriber_hash
from processing.models import Consent, ConsentMethod
from requests_dsar.models import DsarRequest, RecipientTask
from subjects import models as m
from subjects.consents import consent_withdraw
from subjects.newsletter import newsletter_confirm, newsletter_sign_up
from tests import factories as f
from tests.mailchimp.server import AUDIENCE

pytestmark = pytest.mark.django_db

EMAIL = "noor@example.nl"
MEMBER = f"/3.0/lists/{AUDIENCE}/members/{subscriber_hash(EMAIL)}"


def _confirmed(run_tasks, mailbox):
    with run_tasks():
        newsletter_sign_up(email=EMAIL, first_name="Noor")
    link = next(line for line in mailbox[-1].body.splitlines() if "/bevestigen/" in line)
    with run_tasks():
        outcome = newsletter_confirm(token=link.strip().rstrip("/").rsplit("/", 1)[-1])
    return outcome.subscription


def test_a_confirmed_subscription_is_put_with_only_the_address_and_first_name(
    mailchimp, run_tasks, mailoutbox
):
    _confirmed(run_tasks, mailoutbox)
    (call,) = mailchimp.calls()
    assert (call.method, call.path) == ("PUT", MEMBER)
    assert call.body == {
        "email_address": EMAIL,
        "status_if_new": "subscribed",
        "status": "subscribed",
        "merge_fields": {"FNAME": "Noor"},
    }


def test_an_unconfirmed_sign_up_sends_nothing_to_mailchimp(mailchimp, run_tasks):
    with run_tasks():
        newsletter_sign_up(email=EMAIL)
    assert mailchimp.calls() == []


def test_withdrawing_the_newsletter_consent_unsubscribes_there_at_once_and_the_task_is_done(
    mailchimp, run_tasks, mailoutbox
):
    subscription = _confirmed(run_tasks, mailoutbox)
    with run_tasks():
        result = consent_withdraw(
            consents=list(Consent.objects.filter(purpose="newsletter")),
            actor=None,
            method=ConsentMethod.PREFERENCES,
        )
    assert mailchimp.status_of(EMAIL) == "unsubscribed"
    assert [c.body for c in mailchimp.calls("PATCH")][0] == {"status": "unsubscribed"}
    (task,) = result.tasks
    task.refresh_from_db()
    assert task.state == RecipientTask.State.DONE and task.resolved_by is None
    assert task.reason == "Mailchimp: uitgeschreven"  # Mailchimp's answer, in Dutch
    assert subscription.pk


def _erasure_request(subject) -> DsarRequest:
    dsar = DsarRequest.objects.create(
        reference="V-MC000001",
        request_type="erasure",
        name="Noor",
        email=subject.email,
        status="in-progress",
    )
    dsar.subjects.add(subject)
    return dsar


def test_an_erasure_deletes_the_member_permanently_and_completes_its_task_without_anyone(
    mailchimp, run_tasks
):
    from requests_dsar.fulfilment.erasure import erasure_carry_out

    subject = f.DataSubjectFactory(email=EMAIL)
    f.NewsletterSubscriptionFactory(subject=subject)
    mailchimp.add(EMAIL)
    dsar = _erasure_request(subject)
    with run_tasks():
        erasure_carry_out(actor=None, request=dsar)
    assert mailchimp.status_of(EMAIL) is None
    assert [c.path for c in mailchimp.calls("POST")] == [f"{MEMBER}/actions/delete-permanent"]
    task = dsar.recipient_tasks.get(recipient__key="mailchimp")
    assert task.state == RecipientTask.State.DONE
    assert (
        dsar.recipient_tasks.filter(state=RecipientTask.State.OPEN)
        .exclude(recipient__key="mailchimp")
        .count()
        == dsar.recipient_tasks.filter(state=RecipientTask.State.OPEN).count()
    )


def test_an_erasure_of_a_member_already_gone_counts_as_done(mailchimp, run_tasks):
    from requests_dsar.fulfilment.erasure import erasure_carry_out

    subject = f.DataSubjectFactory(email=EMAIL)
    f.NewsletterSubscriptionFactory(subject=subject)
    dsar = _erasure_request(subject)
    with run_tasks():
        erasure_carry_out(actor=None, request=dsar)
    task = dsar.recipient_tasks.get(recipient__key="mailchimp")
    assert task.state == RecipientTask.State.DONE


def test_with_the_connector_off_the_task_stays_manual_and_nothing_is_sent(
    mailchimp, run_tasks, settings
):
    from requests_dsar.fulfilment.erasure import erasure_carry_out

    settings.MAILCHIMP_API_KEY = ""
    subject = f.DataSubjectFactory(email=EMAIL)
    f.NewsletterSubscriptionFactory(subject=subject)
    dsar = _erasure_request(subject)
    with run_tasks():
        erasure_carry_out(actor=None, request=dsar)
    assert mailchimp.calls() == []
    task = dsar.recipient_tasks.get(recipient__key="mailchimp")
    assert task.state == RecipientTask.State.OPEN


def test_a_429_with_retry_after_is_retried_and_a_400_is_not(mailchimp, run_tasks):
    from subjects.mailchimp_sync import UNSUBSCRIBE, mailchimp_sync

    mailchimp.add(EMAIL)
    mailchimp.fail("PATCH", MEMBER, 429, "Too Many Requests", retry_after="1")
    with run_tasks():
        mailchimp_sync(action=UNSUBSCRIBE, email=EMAIL)
    assert len(mailchimp.calls("PATCH")) == 2
    assert mailchimp.status_of(EMAIL) == "unsubscribed"
    mailchimp.fail("PATCH", MEMBER, 400, "Invalid Resource", times=5)
    with run_tasks():
        mailchimp_sync(action=UNSUBSCRIBE, email=EMAIL)
    assert len(mailchimp.calls("PATCH")) == 3  # one try, no retry
    task = RecipientTask.objects.get(recipient__key="mailchimp")
    assert task.state == RecipientTask.State.OPEN and "Invalid Resource" in task.reason


def test_a_failure_after_the_last_retry_reopens_the_task_for_staff(mailchimp, run_tasks):
    from subjects.tasks import MAILCHIMP_RETRIES

    subject = f.DataSubjectFactory(email=EMAIL)
    f.NewsletterSubscriptionFactory(subject=subject)
    mailchimp.fail("PATCH", MEMBER, 503, "Service Unavailable", times=MAILCHIMP_RETRIES + 1)
    with run_tasks():
        result = consent_withdraw(
            consents=list(Consent.objects.filter(purpose="newsletter")),
            actor=None,
            method=ConsentMethod.PREFERENCES,
        )
    (task,) = result.tasks
    task.refresh_from_db()
    assert task.state == RecipientTask.State.OPEN
    assert "Service Unavailable" in task.reason


def test_a_member_mailchimp_will_not_re_subscribe_is_marked_and_not_retried(
    mailchimp, run_tasks, mailoutbox
):
    mailchimp.add(EMAIL, status="unsubscribed")
    subscription = _confirmed(run_tasks, mailoutbox)
    assert len(mailchimp.calls("PUT")) == 1
    subscription.refresh_from_db()
    assert subscription.mailchimp_needs_reconfirmation


def test_restriction_archives_the_member_and_lifting_it_puts_it_back(mailchimp, run_tasks):
    from requests_dsar.fulfilment.restriction import restriction_apply, restriction_lift

    subject = f.DataSubjectFactory(email=EMAIL)
    f.NewsletterSubscriptionFactory(subject=subject)
    mailchimp.add(EMAIL)
    dsar = DsarRequest.objects.create(
        reference="V-MC000002",
        request_type="restriction",
        name="Noor",
        email=EMAIL,
        status="in-progress",
    )
    dsar.subjects.add(subject)
    with run_tasks():
        restriction_apply(actor=None, request=dsar, ground="a")
    assert mailchimp.status_of(EMAIL) == "archived"
    with run_tasks():
        restriction_lift(
            actor=None, request=dsar, informed_on=timezone.localdate(), informed_how="e-mail"
        )
    assert mailchimp.status_of(EMAIL) == "subscribed"


def test_the_six_week_deletion_deletes_the_member_permanently_at_the_exact_boundary(
    mailchimp, run_tasks
):
    from retention.services import retention_rule_apply

    unsubscribed = datetime.datetime(2026, 1, 1, 12, tzinfo=datetime.UTC)
    subscription = f.NewsletterSubscriptionFactory(
        email=EMAIL, subject=f.DataSubjectFactory(email=EMAIL), unsubscribed_at=unsubscribed
    )
    mailchimp.add(EMAIL, status="unsubscribed")
    rule_gone_at = unsubscribed + datetime.timedelta(weeks=6) - datetime.timedelta(hours=24)
    with time_machine.travel(rule_gone_at - datetime.timedelta(seconds=1), tick=False), run_tasks():
        retention_rule_apply(rule_key="unsubscribe-6w")
    assert m.NewsletterSubscription.objects.filter(pk=subscription.pk).exists()
    assert mailchimp.calls("POST") == []
    with time_machine.travel(rule_gone_at, tick=False), run_tasks():
        retention_rule_apply(rule_key="unsubscribe-6w")
    assert not m.NewsletterSubscription.objects.filter(pk=subscription.pk).exists()
    assert mailchimp.status_of(EMAIL) is None


def test_an_erasure_reaches_every_address_of_the_person_at_mailchimp(mailchimp, run_tasks):
    """After an address change (there or here) the subscription's address differs from
    the request's: both are deleted, and the task is done only by real deletions."""
    from requests_dsar.fulfilment.erasure import erasure_carry_out

    subject = f.DataSubjectFactory(email=EMAIL)
    f.NewsletterSubscriptionFactory(subject=subject, email="nieuw.adres@example.nl")
    mailchimp.add("nieuw.adres@example.nl")
    dsar = _erasure_request(subject)
    with run_tasks():
        erasure_carry_out(actor=None, request=dsar)
    assert mailchimp.status_of("nieuw.adres@example.nl") is None
    task = dsar.recipient_tasks.get(recipient__key="mailchimp")
    assert task.state == RecipientTask.State.DONE


def test_a_late_subscribe_never_puts_back_someone_who_may_no_longer_be_mailed(mailchimp, run_tasks):
    from subjects.mailchimp_sync import SUBSCRIBE
    from subjects.tasks import mailchimp_call

    subscription = f.NewsletterSubscriptionFactory(email=EMAIL, subject__email=EMAIL)
    m.DataSubject.objects.filter(pk=subscription.subject_id).update(restricted_at=timezone.now())
    assert mailchimp_call.apply(args=(SUBSCRIBE, EMAIL, "Noor", [])).get() == "done"
    assert mailchimp.calls("PUT") == []


def test_a_complaint_about_one_address_also_stops_the_persons_other_address_there(
    client, mailchimp, run_tasks, settings
):
    subject = f.DataSubjectFactory(email=EMAIL)
    f.NewsletterSubscriptionFactory(subject=subject, email=EMAIL)
    f.NewsletterSubscriptionFactory(subject=subject, email="werk@example.nl")
    mailchimp.add(EMAIL)
    mailchimp.add("werk@example.nl")
    with run_tasks():
        response = client.post(
            f"/mailchimp/webhook/{settings.MAILCHIMP_WEBHOOK_SECRET}/",
            {
                "type": "cleaned",
                "data[email]": EMAIL,
                "data[list_id]": AUDIENCE,
                "data[reason]": "abuse",
            },
        )
    assert response.status_code == 200
    assert mailchimp.status_of("werk@example.nl") == "unsubscribed"
    assert not [c for c in mailchimp.calls("PATCH") if c.path == MEMBER]  # not echoed


def test_a_failure_note_never_holds_the_address(mailchimp, run_tasks):
    from subjects.mailchimp_sync import UNSUBSCRIBE, mailchimp_sync

    mailchimp.fail("PATCH", MEMBER, 400, "Invalid Resource", times=3)
    with run_tasks():
        mailchimp_sync(action=UNSUBSCRIBE, email=EMAIL)
    task = RecipientTask.objects.get(recipient__key="mailchimp")
    assert EMAIL not in task.reason and EMAIL not in task.instruction
    assert subscriber_hash(EMAIL) in task.instruction
