"""The 72-hour clock of Art. 33(1), counted from the moment Leafspring became aware:
notifying exactly at the deadline is in time, a second later is late and needs the
reasons for the delay."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from processing.breaches.clock import NOT_REQUIRED, NOTIFIED, OVERDUE, RUNNING, breach_clock
from processing.breaches.models import BreachNotification
from processing.breaches.services import breach_notification_record
from tests.breaches.factories import BreachFactory, BreachNotificationFactory

pytestmark = pytest.mark.django_db

AWARE = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)
DEADLINE = AWARE + datetime.timedelta(hours=72)
SECOND = datetime.timedelta(seconds=1)


def test_the_deadline_is_72_hours_after_awareness_even_across_a_change_of_summer_time():
    # 27-30 March 2026: the clocks in Amsterdam go forward on the 29th; 72 hours stay 72.
    aware = datetime.datetime(2026, 3, 27, 22, 0, tzinfo=datetime.UTC)
    breach = BreachFactory(aware_at=aware)
    assert breach.deadline - breach.aware_at == datetime.timedelta(hours=72)
    assert breach.deadline == datetime.datetime(2026, 3, 30, 22, 0, tzinfo=datetime.UTC)


def test_the_clock_runs_until_the_deadline_and_is_overdue_a_second_after_it():
    breach = BreachFactory(aware_at=AWARE)
    at_deadline = breach_clock(breach, now=DEADLINE)
    assert at_deadline.state == RUNNING
    assert at_deadline.text == "0 h 00 min left"
    late = breach_clock(breach, now=DEADLINE + SECOND)
    assert late.state == OVERDUE
    assert late.text == "0 h 01 min past the deadline"
    early = breach_clock(breach, now=AWARE + datetime.timedelta(minutes=30))
    assert early.text == "71 h 30 min left"


def test_the_clock_stops_when_notified_or_when_no_risk_is_assessed():
    breach = BreachFactory(aware_at=AWARE)
    assert breach_clock(breach, now=DEADLINE, notified_at=AWARE).state == NOTIFIED
    breach.risk = "none"
    assert breach_clock(breach, now=DEADLINE + SECOND).state == NOT_REQUIRED


def test_a_notification_exactly_at_the_deadline_needs_no_reasons(officer):
    breach = BreachFactory(aware_at=AWARE)
    with time_machine.travel(DEADLINE, tick=False):
        notification = breach_notification_record(
            actor=officer, breach=breach, phase="initial", sent_at=DEADLINE, reference="AP-1"
        )
    assert notification.late_reason == ""
    assert not breach.is_late(notification.sent_at)


def test_a_notification_a_second_after_the_deadline_needs_the_reasons(officer):
    breach = BreachFactory(aware_at=AWARE)
    with time_machine.travel(DEADLINE + SECOND, tick=False):
        with pytest.raises(ValidationError) as refused:
            breach_notification_record(
                actor=officer,
                breach=breach,
                phase="initial",
                sent_at=DEADLINE + SECOND,
                reference="AP-1",
            )
        assert "late_reason" in refused.value.error_dict
        assert "after the 72 hours" in refused.value.error_dict["late_reason"][0].message
        assert not BreachNotification.objects.exists()
        breach_notification_record(
            actor=officer,
            breach=breach,
            phase="initial",
            sent_at=DEADLINE + SECOND,
            reference="AP-1",
            late_reason="De verwerker meldde het lek pas na vier dagen.",
        )
    assert BreachNotification.objects.get().late_reason.startswith("De verwerker")


def test_the_dashboard_shows_the_time_left_at_the_boundary(officer_client):
    breach = BreachFactory(aware_at=AWARE)
    with time_machine.travel(DEADLINE, tick=False):
        page = officer_client.get(reverse("staff_dashboard")).content.decode()
    assert breach.reference in page
    assert "0 h 00 min left" in page or "0 u 00 min" in page
    with time_machine.travel(DEADLINE + SECOND, tick=False):
        page = officer_client.get(reverse("staff_dashboard")).content.decode()
    assert "text-bg-danger" in page.split(breach.reference, 1)[1].split("</tr>", 1)[0]


def test_the_dashboard_lists_only_open_incidents(officer_client):
    open_one = BreachFactory(aware_at=AWARE)
    closed = BreachFactory(aware_at=AWARE, closed_at=AWARE + datetime.timedelta(days=3))
    BreachNotificationFactory(breach=open_one)
    with time_machine.travel(AWARE + datetime.timedelta(hours=1), tick=False):
        response = officer_client.get(reverse("staff_dashboard"))
    listed = [b for b, _clock in response.context["breaches"]["open"]]
    assert listed == [open_one]
    assert closed.reference not in response.content.decode()


def test_staff_do_not_see_open_incidents_on_the_dashboard(staff_client):
    breach = BreachFactory(aware_at=AWARE)
    response = staff_client.get(reverse("staff_dashboard"))
    assert response.context["breaches"] == {"can_manage": False, "open": []}
    assert breach.reference not in response.content.decode()
