"""The privacy officers document an incident, assess the risk, link the people affected
and close it once everything the law asks is recorded (Art. 33(5)): an incident that is
not reported is still documented, with the reason."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from processing.breaches.models import BreachSubject
from processing.breaches.services import close_blockers
from processing.models import DataCategory, ProcessingActivity, Recipient
from subjects.models import AuditEvent
from tests.breaches.factories import (
    BreachFactory,
    BreachNotificationFactory,
    BreachSubjectFactory,
    HighRiskBreachFactory,
)
from tests.factories import DataSubjectFactory

pytestmark = pytest.mark.django_db


def _local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _edit_data(breach, **fields):
    return {
        "aware_at": _local(breach.aware_at),
        "occurred_at": "",
        "processor": "",
        "processor_told_at": "",
        "description": breach.description,
        "contact_point": breach.contact_point,
        "likely_consequences": "",
        "measures_taken": "",
        "measures_proposed": "",
        "risk": "",
        "risk_reasoning": "",
        "not_notified_reason": "",
        **fields,
    }


def test_the_officer_documents_the_incident_with_every_art_33_3_field(officer_client):
    breach = BreachFactory(aware_at=timezone.now() - datetime.timedelta(hours=3))
    monitor = ProcessingActivity.objects.get(key="coaching-monitor")
    health = DataCategory.objects.get(key="health")
    gallup = Recipient.objects.get(key="gallup")
    url = reverse("processing:breach_edit", args=[breach.pk])
    response = officer_client.post(
        url,
        _edit_data(
            breach,
            occurred_at=_local(breach.aware_at - datetime.timedelta(days=1)),
            confidentiality="on",
            subject_categories=[monitor.subject_categories.first().pk],
            subjects_approx="40",
            data_categories=[health.pk],
            records_approx="120",
            activities=[monitor.pk],
            recipients=[gallup.pk],
            likely_consequences="Gezondheidsgegevens bij onbevoegden.",
            measures_taken="Account geblokkeerd.",
            measures_proposed="Tweestapsverificatie voor iedereen.",
            risk="high",
            risk_reasoning="Bijzondere persoonsgegevens, niet versleuteld.",
        ),
    )
    assert response.status_code == 302
    breach.refresh_from_db()
    assert (breach.subjects_approx, breach.records_approx, breach.risk) == (40, 120, "high")
    assert breach.confidentiality and not breach.integrity
    assert list(breach.data_categories.all()) == [health]
    assert list(breach.activities.all()) == [monitor]
    assert list(breach.recipients.all()) == [gallup]


def test_bad_input_on_the_incident_form_gets_clear_messages(officer_client):
    breach = BreachFactory()
    with translation.override("en"):
        url = reverse("processing:breach_edit", args=[breach.pk])
    response = officer_client.post(url, _edit_data(breach, subjects_approx="-3", aware_at=""))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ensure this value is greater than or equal to 0." in body
    assert "This field is required." in body
    response = officer_client.post(url, _edit_data(breach, risk="risk"))
    assert "Give the reasoning of the risk assessment." in response.content.decode()
    breach.refresh_from_db()
    assert breach.risk == ""


def test_a_breach_not_reported_is_closed_only_with_the_reason(officer_client, officer):
    breach = BreachFactory(
        risk="none",
        risk_reasoning="De e-mail ging naar een collega bij dezelfde klant, die hem verwijderde.",
        likely_consequences="Geen.",
        measures_taken="Ontvanger heeft verwijdering bevestigd.",
    )
    assert close_blockers(breach) == [
        "Give the reason the authority was not notified (Art. 33(5))."
    ]
    close = reverse("processing:breach_action", args=[breach.pk, "close"])
    response = officer_client.post(close, follow=True)
    assert "Give the reason the authority was not notified" in response.content.decode()
    breach.refresh_from_db()
    assert breach.closed_at is None
    breach.not_notified_reason = "Geen risico voor de betrokkene: de ontvanger is vertrouwd."
    breach.save()
    officer_client.post(close)
    breach.refresh_from_db()
    assert breach.closed_at is not None and breach.closed_by == officer


def test_a_high_risk_breach_closes_after_the_authority_and_the_people_are_told(officer):
    breach = HighRiskBreachFactory()
    BreachSubjectFactory(breach=breach)
    assert set(close_blockers(breach)) == {
        "Record the notification to the Autoriteit Persoonsgegevens.",
        "Tell the people affected (Art. 34), or record the exception of Art. 34(3) that applies.",
        "1 linked person has not been told yet.",
    }
    BreachNotificationFactory(breach=breach)
    BreachSubject.objects.update(notified_at=timezone.now(), notified_how="email")
    breach.subjects_notified_at = timezone.now()
    breach.save()
    assert close_blockers(breach) == []


def test_a_closed_incident_is_read_only_until_reopened(officer_client):
    breach = BreachFactory(closed_at=timezone.now())
    edit = reverse("processing:breach_edit", args=[breach.pk])
    response = officer_client.get(edit, follow=True)
    assert "This incident is closed" in response.content.decode()
    link = reverse("processing:breach_action", args=[breach.pk, "link"])
    officer_client.post(link, {"subjects": str(DataSubjectFactory().pk)})
    assert not BreachSubject.objects.exists()
    officer_client.post(reverse("processing:breach_action", args=[breach.pk, "reopen"]))
    breach.refresh_from_db()
    assert breach.closed_at is None
    assert officer_client.get(edit).status_code == 200


def test_people_are_linked_by_number_and_a_wrong_number_links_nobody(officer_client):
    breach = BreachFactory()
    first, second = DataSubjectFactory(), DataSubjectFactory()
    url = reverse("processing:breach_action", args=[breach.pk, "link"])
    response = officer_client.post(url, {"subjects": f"{first.pk}, 999999"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "No data subject with number 999999. Nobody was linked." in body
    assert f"{first.pk}, 999999" in body  # what was typed is kept
    assert not BreachSubject.objects.exists()
    response = officer_client.post(url, {"subjects": "Sanne"})
    assert "digits only" in response.content.decode()
    officer_client.post(url, {"subjects": f"{first.pk} {second.pk}"})
    officer_client.post(url, {"subjects": f"{first.pk}"})
    assert BreachSubject.objects.filter(breach=breach).count() == 2
    assert AuditEvent.objects.filter(action="breach.link", subject=first).count() == 1
    page = officer_client.get(reverse("processing:breach_detail", args=[breach.pk]))
    assert first.full_name in page.content.decode()


def test_someone_told_about_the_breach_stays_linked(officer_client):
    breach = BreachFactory()
    told = BreachSubjectFactory(breach=breach, notified_at=timezone.now(), notified_how="email")
    not_told = BreachSubjectFactory(breach=breach)
    url = reverse("processing:breach_action", args=[breach.pk, "unlink"])
    response = officer_client.post(url, {"link": told.pk}, follow=True)
    assert "the link is the record of that and stays" in response.content.decode()
    officer_client.post(url, {"link": not_told.pk})
    assert list(BreachSubject.objects.values_list("pk", flat=True)) == [told.pk]
    other = BreachSubjectFactory()
    response = officer_client.post(url, {"link": other.pk}, follow=True)
    assert "This person is not linked to this incident." in response.content.decode()
    assert BreachSubject.objects.filter(pk=other.pk).exists()


def test_an_unknown_action_is_not_found(officer_client):
    breach = BreachFactory()
    url = reverse("processing:breach_action", args=[breach.pk, "delete"])
    assert officer_client.post(url).status_code == 404
    detail = reverse("processing:breach_action", args=[breach.pk, "close"])
    assert officer_client.get(detail).status_code == 405
