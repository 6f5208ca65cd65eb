"""Breaches in a given state. The report itself is made through the service, as a staff
member would; these factories set up the states the tests start from."""

from __future__ import annotations

import factory
from django.utils import timezone

from processing.breaches.models import Breach, BreachNotification, BreachSubject
from tests.factories import DataSubjectFactory


class BreachFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Breach

    aware_at = factory.LazyFunction(timezone.now)
    description = (
        "Een laptop met de deelnemerslijst van een traineeship is in de trein blijven liggen."
    )
    contact_point = "Leafspring B.V., privacy@leafspring.nl, 06 51 85 17 01"


class HighRiskBreachFactory(BreachFactory):
    risk = "high"
    risk_reasoning = "Namen, e-mailadressen en allergieën, niet versleuteld."
    likely_consequences = "Phishing uit naam van Leafspring; gezondheidsgegevens bij derden."
    measures_taken = "Laptop op afstand gewist; wachtwoorden vervangen."
    notice_nature_nl = "Een laptop met je naam, e-mailadres en allergieën is verloren."
    notice_nature_en = "A laptop holding your name, e-mail address and allergies was lost."
    notice_consequences_nl = "Je kunt nepmails krijgen die van ons lijken te komen."
    notice_consequences_en = "You may receive fake e-mails that seem to come from us."
    notice_measures_nl = (
        "We hebben de laptop op afstand gewist. Klik niet op links in onverwachte mails."
    )
    notice_measures_en = "We wiped the laptop remotely. Do not click links in unexpected e-mails."


class BreachNotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BreachNotification

    breach = factory.SubFactory(BreachFactory)
    phase = BreachNotification.Phase.INITIAL
    sent_at = factory.LazyAttribute(lambda o: o.breach.aware_at)
    reference = factory.Sequence(lambda n: f"AP-2026-{n:05d}")


class BreachSubjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BreachSubject

    breach = factory.SubFactory(BreachFactory)
    subject = factory.SubFactory(DataSubjectFactory)
