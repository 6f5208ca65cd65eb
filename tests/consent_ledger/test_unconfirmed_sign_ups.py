"""A newsletter sign-up not confirmed within 7 days is deleted by the hourly job
(``subjects.delete_unconfirmed_newsletter_sign_ups``), and the beat schedule runs it."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from subjects import models as m
from subjects.newsletter import newsletter_sign_up
from subjects.tasks import delete_unconfirmed_newsletter_sign_ups
from tests import factories as f

pytestmark = pytest.mark.django_db

SIGNED_UP = datetime.datetime(2026, 11, 1, 9, 30, tzinfo=datetime.UTC)


def _sign_up() -> m.NewsletterSubscription:
    with time_machine.travel(SIGNED_UP, tick=False):
        return newsletter_sign_up(email="nieuw@example.nl", first_name="Noor")


def test_an_unconfirmed_sign_up_stays_until_its_seven_days_are_over():
    pending = _sign_up()
    with time_machine.travel(SIGNED_UP + datetime.timedelta(days=7, seconds=-1), tick=False):
        assert delete_unconfirmed_newsletter_sign_ups() == 0
    assert m.NewsletterSubscription.objects.filter(pk=pending.pk).exists()


def test_an_unconfirmed_sign_up_is_deleted_once_its_seven_days_are_over():
    pending = _sign_up()
    with time_machine.travel(SIGNED_UP + datetime.timedelta(days=7), tick=False):
        assert delete_unconfirmed_newsletter_sign_ups() == 1
    assert not m.NewsletterSubscription.objects.filter(pk=pending.pk).exists()


def test_confirmed_and_soft_opt_in_subscriptions_are_never_touched_by_the_job():
    confirmed = f.NewsletterSubscriptionFactory(
        subscribed_at=timezone.now() - datetime.timedelta(days=400)
    )
    assert delete_unconfirmed_newsletter_sign_ups() == 0
    assert m.NewsletterSubscription.objects.filter(pk=confirmed.pk).exists()


def test_the_job_is_in_the_one_beat_schedule_every_hour():
    from retention.schedule import beat_schedule

    entry = beat_schedule()["subjects-delete-unconfirmed-newsletter-sign-ups"]
    assert entry["task"] == "subjects.delete_unconfirmed_newsletter_sign_ups"
    assert entry["schedule"].minute == {35} and len(entry["schedule"].hour) == 24
