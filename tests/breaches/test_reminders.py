"""The privacy officers are reminded of the 72-hour deadline once fewer than 24 and 6
hours are left and once it has passed: each reminder once, only while the clock runs."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
import time_machine
from django.core import mail

from processing.breaches.models import Breach
from processing.breaches.reminders import breach_reminders_send
from processing.tasks import breach_deadline_reminders
from retention.schedule import beat_schedule
from tests.breaches.factories import BreachFactory, BreachNotificationFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

AWARE = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)
DEADLINE = AWARE + datetime.timedelta(hours=72)
SECOND = datetime.timedelta(seconds=1)
HOUR = datetime.timedelta(hours=1)


def _run(at: datetime.datetime) -> int:
    with time_machine.travel(at, tick=False):
        return breach_reminders_send()


def test_no_reminder_while_24_hours_or_more_are_left(officer):
    BreachFactory(aware_at=AWARE)
    assert _run(DEADLINE - 25 * HOUR) == 0
    assert _run(DEADLINE - 24 * HOUR) == 0
    assert mail.outbox == []


def test_a_reminder_once_fewer_than_24_hours_are_left_and_not_twice(officer):
    breach = BreachFactory(aware_at=AWARE)
    assert _run(DEADLINE - 24 * HOUR + SECOND) == 1
    assert _run(DEADLINE - 24 * HOUR + 2 * SECOND) == 0
    assert _run(DEADLINE - 7 * HOUR) == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["officer@leafspring.test"]
    assert breach.reference in message.subject or breach.reference in message.body
    assert f"/staff/breaches/{breach.pk}/" in message.body
    assert "24 h 00 min" in message.body or "24 u 00 min" in message.body  # rounded up


def test_again_at_6_hours_left_and_once_the_deadline_has_passed(officer):
    BreachFactory(aware_at=AWARE)
    assert [
        _run(DEADLINE - 23 * HOUR),
        _run(DEADLINE - 6 * HOUR + SECOND),
        _run(DEADLINE - 5 * HOUR),
        _run(DEADLINE),
        _run(DEADLINE + SECOND),
        _run(DEADLINE + 10 * HOUR),
    ] == [1, 1, 0, 0, 1, 0]
    assert len(mail.outbox) == 3


def test_an_incident_reported_late_gets_only_the_reminder_that_is_due(officer):
    # Reported 70 hours after someone noticed: one reminder (6 hours), not three.
    breach = BreachFactory(aware_at=AWARE)
    assert _run(DEADLINE - 2 * HOUR) == 1
    breach.refresh_from_db()
    assert breach.reminder_hours == 6
    assert _run(DEADLINE - HOUR) == 0


def test_no_reminder_once_notified_assessed_as_no_risk_or_closed(officer):
    notified = BreachFactory(aware_at=AWARE)
    BreachNotificationFactory(breach=notified)
    BreachFactory(aware_at=AWARE, risk="none", risk_reasoning="Versleuteld.")
    BreachFactory(aware_at=AWARE, closed_at=AWARE + HOUR)
    assert _run(DEADLINE - HOUR) == 0
    assert mail.outbox == []


def test_several_incidents_are_in_one_e_mail_to_every_privacy_officer(officer, groups):
    second = UserFactory(username="officer2", is_staff=True)
    second.groups.add(groups[0])
    UserFactory(username="boss", is_staff=True, is_superuser=True, email="boss@leafspring.test")
    UserFactory(username="gone", is_staff=True, is_active=False).groups.add(groups[0])
    staff = UserFactory(username="member", is_staff=True)
    staff.groups.add(groups[1])
    first, other = BreachFactory(aware_at=AWARE), BreachFactory(aware_at=AWARE + HOUR)
    assert _run(DEADLINE) == 2
    (message,) = mail.outbox
    assert sorted(message.to) == [
        "boss@leafspring.test",
        "officer2@leafspring.test",
        "officer@leafspring.test",
    ]
    assert first.reference in message.body and other.reference in message.body


def test_a_mail_server_that_fails_leaves_the_reminder_for_the_next_run(officer):
    breach = BreachFactory(aware_at=AWARE)
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("down")):
        assert _run(DEADLINE - 5 * HOUR) == 0
    assert Breach.objects.get(pk=breach.pk).reminder_hours is None
    assert _run(DEADLINE - 5 * HOUR + 15 * 60 * SECOND) == 1
    assert len(mail.outbox) == 1


def test_without_privacy_officers_the_staff_mailbox_is_reminded(settings):
    settings.STAFF_NOTIFICATION_EMAIL = "info@leafspring.test"
    BreachFactory(aware_at=AWARE)
    assert _run(DEADLINE - HOUR) == 1
    assert mail.outbox[0].to == ["info@leafspring.test"]


def test_the_job_runs_every_quarter_of_an_hour_on_the_beat_schedule():
    entry = beat_schedule()["breach-deadline-reminders"]
    assert entry["task"] == breach_deadline_reminders.name
    assert entry["schedule"].minute == {0, 15, 30, 45}


def test_the_task_calls_the_service(officer):
    BreachFactory(aware_at=AWARE)
    with time_machine.travel(DEADLINE - HOUR, tick=False):
        assert breach_deadline_reminders.apply().get() == 1
