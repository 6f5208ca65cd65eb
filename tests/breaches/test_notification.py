"""The notification to the Autoriteit Persoonsgegevens: when, with its reference, in
phases where information comes later (Art. 33(4)); a late one only with its reasons."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from processing.breaches.models import BreachNotification
from processing.breaches.services import breach_notification_record
from tests.breaches.factories import BreachFactory, BreachNotificationFactory

pytestmark = pytest.mark.django_db

AWARE = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)
HOUR = datetime.timedelta(hours=1)


def _local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _post(client, breach, **fields):
    url = reverse("processing:breach_action", args=[breach.pk, "notify"])
    data = {"phase": "initial", "sent_at": _local(AWARE + 20 * HOUR), "reference": "", **fields}
    with time_machine.travel(AWARE + 100 * HOUR, tick=False):
        return client.post(url, data)


def test_the_initial_notification_is_recorded_with_its_reference(officer_client, officer):
    breach = BreachFactory(aware_at=AWARE)
    response = _post(officer_client, breach, reference="AP-2026-0412")
    assert response.status_code == 302
    notification = BreachNotification.objects.get()
    assert (notification.phase, notification.reference) == ("initial", "AP-2026-0412")
    assert notification.sent_at == AWARE + 20 * HOUR
    assert notification.recorded_by == officer


def test_a_late_notification_without_reasons_is_refused_on_the_form(officer_client):
    breach = BreachFactory(aware_at=AWARE)
    response = _post(officer_client, breach, reference="AP-1", sent_at=_local(AWARE + 73 * HOUR))
    assert response.status_code == 400
    body = response.content.decode()
    assert "This notification came after the 72 hours" in body
    assert "give the reasons for the delay (Art. 33(1))" in body
    assert 'value="AP-1"' in body  # what was typed is kept
    assert not BreachNotification.objects.exists()
    _post(
        officer_client,
        breach,
        reference="AP-1",
        sent_at=_local(AWARE + 73 * HOUR),
        late_reason="Het lek werd pas in het weekend duidelijk; de melding volgde maandag.",
    )
    assert BreachNotification.objects.get().late_reason.startswith("Het lek")


def test_the_reference_is_required_with_a_clear_message(officer_client):
    breach = BreachFactory(aware_at=AWARE)
    response = _post(officer_client, breach)
    assert "Give the reference the Autoriteit Persoonsgegevens gave the notification." in (
        response.content.decode()
    )
    assert not BreachNotification.objects.exists()


def test_additions_follow_the_initial_notification(officer):
    breach = BreachFactory(aware_at=AWARE)
    with time_machine.travel(AWARE + 100 * HOUR, tick=False):
        with pytest.raises(ValidationError, match="Record the initial notification first"):
            breach_notification_record(
                actor=officer,
                breach=breach,
                phase="follow-up",
                sent_at=AWARE + 10 * HOUR,
                reference="AP-1",
                summary="Aantal betrokkenen: 40.",
            )
        breach_notification_record(
            actor=officer, breach=breach, phase="initial", sent_at=AWARE + HOUR, reference="AP-1"
        )
        with pytest.raises(ValidationError, match="already recorded"):
            breach_notification_record(
                actor=officer,
                breach=breach,
                phase="initial",
                sent_at=AWARE + 2 * HOUR,
                reference="AP-1",
            )
        with pytest.raises(ValidationError, match="Say what this addition reports"):
            breach_notification_record(
                actor=officer,
                breach=breach,
                phase="follow-up",
                sent_at=AWARE + 80 * HOUR,
                reference="AP-1",
            )
        # An addition after the 72 hours is allowed without reasons (Art. 33(4)).
        breach_notification_record(
            actor=officer,
            breach=breach,
            phase="follow-up",
            sent_at=AWARE + 80 * HOUR,
            reference="AP-1",
            summary="Aantal betrokkenen vastgesteld: 40.",
        )
    assert list(breach.notifications.values_list("phase", flat=True)) == [
        "initial",
        "follow-up",
    ]


def test_a_notification_cannot_be_in_the_future_or_before_awareness(officer):
    breach = BreachFactory(aware_at=AWARE)
    with time_machine.travel(AWARE + 10 * HOUR, tick=False):
        for sent_at, message in (
            (AWARE + 11 * HOUR, "This moment lies in the future."),
            (AWARE - HOUR, "cannot come before Leafspring was aware"),
        ):
            with pytest.raises(ValidationError) as refused:
                breach_notification_record(
                    actor=officer, breach=breach, phase="initial", sent_at=sent_at, reference="X"
                )
            assert message in refused.value.error_dict["sent_at"][0].message
    assert not BreachNotification.objects.exists()


def test_nothing_is_recorded_on_a_closed_incident(officer):
    breach = BreachFactory(aware_at=AWARE, closed_at=AWARE + 50 * HOUR)
    with (
        time_machine.travel(AWARE + 60 * HOUR, tick=False),
        pytest.raises(ValidationError, match="This incident is closed"),
    ):
        breach_notification_record(
            actor=officer, breach=breach, phase="initial", sent_at=AWARE, reference="X"
        )


def test_the_register_shows_the_notification_and_whether_it_was_late(officer_client):
    late = BreachFactory(aware_at=AWARE)
    BreachNotificationFactory(
        breach=late, sent_at=AWARE + 80 * HOUR, reference="AP-LATE", late_reason="Weekend."
    )
    on_time = BreachFactory(aware_at=AWARE)
    BreachNotificationFactory(breach=on_time, sent_at=AWARE + 72 * HOUR, reference="AP-OK")
    body = officer_client.get(reverse("processing:breach_list")).content.decode()
    late_row = body.split(late.reference + "</a>", 1)[1].split("</tr>", 1)[0]
    on_time_row = body.split(on_time.reference + "</a>", 1)[1].split("</tr>", 1)[0]
    assert "AP-LATE" in late_row and "after the 72 hours" in late_row
    assert "AP-OK" in on_time_row and "after the 72 hours" not in on_time_row
