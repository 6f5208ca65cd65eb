"""Any staff member reports a suspected breach with a short form: the clock starts at
the moment Leafspring became aware, and the privacy officers are alerted by e-mail.
Bad input gets a clear message on the form, and nothing is saved."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from processing.breaches.models import Breach
from processing.models import Recipient

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)


def _local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _report(client, **fields):
    data = {
        "description": "Deelnemerslijst per ongeluk naar de verkeerde klant gemaild.",
        "aware_at": _local(NOW - datetime.timedelta(hours=2)),
        **fields,
    }
    with time_machine.travel(NOW, tick=False):
        return client.post(reverse("processing:breach_report"), data, follow=True)


def test_a_staff_member_reports_a_breach_and_the_privacy_officers_are_alerted(
    staff, officer, staff_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _report(staff_client)
    breach = Breach.objects.get()
    assert breach.aware_at == NOW - datetime.timedelta(hours=2)
    assert breach.deadline == NOW + datetime.timedelta(hours=70)
    assert breach.reported_by == staff
    assert breach.reported_at == NOW
    assert breach.contact_point.startswith("Leafspring B.V., info@leafspring.nl")
    # Back on the dashboard, told it is in the officers' hands; the register stays closed.
    assert response.redirect_chain[-1][0].endswith(reverse("staff_dashboard"))
    assert f"Reported as {breach.reference}" in response.content.decode()
    (alert,) = mail.outbox
    assert alert.to == ["officer@leafspring.test"]
    assert breach.reference in alert.subject
    assert f"http://testserver/staff/breaches/{breach.pk}/" in alert.body
    # What happened is on the page, not in an e-mail.
    assert "verkeerde klant" not in alert.body


def test_an_officer_who_reports_goes_to_the_incident(officer_client):
    response = _report(officer_client)
    breach = Breach.objects.get()
    assert response.redirect_chain[-1][0].endswith(
        reverse("processing:breach_detail", args=[breach.pk])
    )


def test_awareness_in_the_future_is_refused_with_a_clear_message(staff_client):
    response = _report(staff_client, aware_at=_local(NOW + datetime.timedelta(hours=1)))
    assert response.status_code == 200
    assert "This moment lies in the future." in response.content.decode()
    assert not Breach.objects.exists()


def test_it_cannot_have_happened_after_it_was_noticed(staff_client):
    response = _report(staff_client, occurred_at=_local(NOW - datetime.timedelta(minutes=30)))
    assert "It cannot have happened after Leafspring became aware of it." in (
        response.content.decode()
    )
    assert not Breach.objects.exists()


def test_a_description_and_a_readable_moment_are_required(staff_client):
    response = _report(staff_client, description="  ", aware_at="gisteren")
    body = response.content.decode()
    assert "This field is required." in body
    assert "Enter a date and time, such as 14-03-2026 09:30." in body
    assert not Breach.objects.exists()


def test_a_processor_that_told_us_needs_the_moment_it_did(staff_client):
    mailchimp = Recipient.objects.get(key="mailchimp")
    response = _report(staff_client, processor=mailchimp.pk)
    assert "Give the moment the processor told Leafspring (Art. 33(2))." in (
        response.content.decode()
    )
    assert not Breach.objects.exists()


def test_leafspring_is_aware_at_the_latest_when_the_processor_told_it(staff_client):
    mailchimp = Recipient.objects.get(key="mailchimp")
    response = _report(
        staff_client,
        processor=mailchimp.pk,
        processor_told_at=_local(NOW - datetime.timedelta(hours=5)),
    )
    assert "Leafspring was aware at the latest when the processor told it" in (
        response.content.decode()
    )
    assert not Breach.objects.exists()
    _report(
        staff_client,
        processor=mailchimp.pk,
        processor_told_at=_local(NOW - datetime.timedelta(hours=2)),
    )
    breach = Breach.objects.get()
    assert breach.processor == mailchimp
    assert breach.aware_at == breach.processor_told_at


def test_only_processors_can_be_named_as_the_cause(staff_client):
    controller = Recipient.objects.filter(kind=Recipient.Kind.CONTROLLER).first()
    response = _report(
        staff_client,
        processor=controller.pk,
        processor_told_at=_local(NOW - datetime.timedelta(hours=2)),
    )
    assert "Select a valid choice." in response.content.decode()
    assert not Breach.objects.exists()


def test_a_failing_mail_server_does_not_lose_the_report(
    staff_client, officer, django_capture_on_commit_callbacks, monkeypatch
):
    def fail(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", fail)
    with django_capture_on_commit_callbacks(execute=True):
        response = _report(staff_client)
    assert response.status_code == 200
    assert Breach.objects.count() == 1


def test_the_report_page_speaks_dutch_by_default(staff_client):
    with translation.override("nl"):
        url = reverse("processing:breach_report")
    assert url == "/staff/breaches/report/"
    body = staff_client.get(url).content.decode()
    assert '<html lang="nl">' in body
