"""The demo shows the breach register at work from the first start."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from processing.breaches.clock import RUNNING
from processing.breaches.models import Breach, BreachSubject
from processing.breaches.services import close_blockers

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_open_a_reported_and_an_unreported_breach(officer_client):
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    assert Breach.objects.count() == 3
    open_one = Breach.objects.get(closed_at__isnull=True)
    dashboard = officer_client.get(reverse("staff_dashboard")).context["breaches"]
    [(listed, clock)] = dashboard["open"]
    assert listed == open_one and clock.state == RUNNING
    assert BreachSubject.objects.filter(breach=open_one).count() == 2
    reported = Breach.objects.get(risk="high")
    assert reported.notifications.count() == 2
    assert Breach.objects.get(risk="none").not_notified_reason
    for breach in Breach.objects.exclude(pk=open_one.pk):
        breach.closed_at = None
        assert close_blockers(breach) == []  # documented as the law asks
