"""Demo breaches, so the register shows its workflow from the first start: one open
incident whose 72-hour clock runs, one high-risk breach reported to the Autoriteit
Persoonsgegevens with the people told, and one not reported (no risk) closed long enough
ago for rule breach-5y to delete it.

Idempotent like the rest of the demo data (``subjects.demo``): each incident is found by
its description and only created when missing. Dates are relative to the first load."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from processing.breaches.models import Breach, BreachNotification, BreachSubject
from processing.breaches.services import contact_point_default
from processing.models import DataCategory, ProcessingActivity, Recipient, SubjectCategory
from subjects.models import DataSubject

DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)

OPEN = (
    "Een medewerker klikte op een phishingmail en vulde het wachtwoord van haar Microsoft "
    "365-account in. Er is 's nachts vanaf een onbekend adres ingelogd; onduidelijk is nog "
    "of e-mails met gegevens van deelnemers zijn gelezen."
)
REPORTED = (
    "Een laptop met een niet-versleutelde export van de deelnemerslijst van een "
    "traineeshipgroep (namen, e-mailadressen, allergieën) is in de trein blijven liggen "
    "en niet teruggevonden."
)
NOT_REPORTED = (
    "Een e-mail met het rooster van een traineeshipgroep ging naar de verkeerde "
    "contactpersoon bij dezelfde klantorganisatie; die heeft hem direct verwijderd."
)


def _person(email: str) -> DataSubject | None:
    return DataSubject.objects.filter(email=email).first()


def _link(breach: Breach, emails: list[str], **fields: object) -> None:
    for email in emails:
        person = _person(email)
        if person is not None:
            BreachSubject.objects.get_or_create(
                breach=breach,
                subject=person,
                defaults={"notice_language": person.language if fields else "", **fields},
            )


@transaction.atomic
def demo_breaches_load(*, now: datetime.datetime | None = None) -> int:
    """Create the demo breaches where missing; returns how many demo breaches exist."""
    now = now or timezone.now()
    contact = contact_point_default()
    if not Breach.objects.filter(description=OPEN).exists():
        aware = now - 20 * HOUR
        breach = Breach.objects.create(
            reported_at=aware + HOUR,
            aware_at=aware,
            occurred_at=aware - 6 * HOUR,
            description=OPEN,
            confidentiality=True,
            contact_point=contact,
            measures_taken=(
                "Wachtwoord vervangen, sessies beëindigd, tweestapsverificatie aangezet."
            ),
        )
        breach.recipients.set(Recipient.objects.filter(key="microsoft-365"))
        breach.activities.set(ProcessingActivity.objects.filter(key="email-correspondence"))
        _link(breach, ["lotte.smit@example.nl", "thomas.visser@example.nl"])
    if not Breach.objects.filter(description=REPORTED).exists():
        aware = now - 240 * DAY
        breach = Breach.objects.create(
            reported_at=aware + 2 * HOUR,
            aware_at=aware,
            occurred_at=aware - 3 * HOUR,
            description=REPORTED,
            confidentiality=True,
            availability=True,
            subjects_approx=12,
            records_approx=12,
            contact_point=contact,
            likely_consequences=(
                "Gezondheidsgegevens (allergieën) bij onbevoegden; phishing uit naam van "
                "Leafspring."
            ),
            measures_taken="Laptop op afstand gewist; exporteren naar laptops uitgezet.",
            measures_proposed="Schijfversleuteling op alle laptops.",
            risk="high",
            risk_reasoning="Bijzondere persoonsgegevens, niet versleuteld, niet teruggevonden.",
            notice_nature_nl="Een laptop met je naam, e-mailadres en allergieën is verloren.",
            notice_nature_en="A laptop holding your name, e-mail address and allergies was lost.",
            notice_consequences_nl="Je kunt nepmails krijgen die van ons lijken te komen.",
            notice_consequences_en="You may receive fake e-mails that seem to come from us.",
            notice_measures_nl=(
                "We hebben de laptop gewist. Klik niet op links in onverwachte mails."
            ),
            notice_measures_en="We wiped the laptop. Do not click links in unexpected e-mails.",
            subjects_notified_at=aware + 30 * HOUR,
            closed_at=aware + 14 * DAY,
        )
        breach.subject_categories.set(SubjectCategory.objects.filter(key="trainee"))
        breach.data_categories.set(
            DataCategory.objects.filter(key__in=["contact-details", "health"])
        )
        breach.activities.set(ProcessingActivity.objects.filter(key="traineeship-participants"))
        BreachNotification.objects.create(
            breach=breach,
            phase=BreachNotification.Phase.INITIAL,
            sent_at=aware + 26 * HOUR,
            reference="DEMO-AP-0001",
            summary="Eerste melding; aantal betrokkenen nog niet vastgesteld.",
            recorded_at=aware + 26 * HOUR,
        )
        BreachNotification.objects.create(
            breach=breach,
            phase=BreachNotification.Phase.FOLLOW_UP,
            sent_at=aware + 5 * DAY,
            reference="DEMO-AP-0001",
            summary="Aanvulling: 12 deelnemers, allen per e-mail ingelicht.",
            recorded_at=aware + 5 * DAY,
        )
        _link(
            breach,
            ["bram.meijer@example.nl"],
            notified_at=aware + 30 * HOUR,
            notified_how=BreachSubject.How.EMAIL,
        )
    if not Breach.objects.filter(description=NOT_REPORTED).exists():
        aware = now - (6 * 365 * DAY)
        Breach.objects.create(
            reported_at=aware,
            aware_at=aware,
            occurred_at=aware - HOUR,
            description=NOT_REPORTED,
            confidentiality=True,
            subjects_approx=8,
            contact_point=contact,
            likely_consequences="Geen: de ontvanger werkt bij dezelfde klant en verwijderde hem.",
            measures_taken="Verwijdering bevestigd; adresboek gecorrigeerd.",
            risk="none",
            risk_reasoning="Vertrouwde ontvanger, geen gevoelige gegevens, direct verwijderd.",
            not_notified_reason="Leidt waarschijnlijk niet tot een risico voor de betrokkenen.",
            closed_at=aware + 2 * DAY,
        )
    return Breach.objects.filter(description__in=[OPEN, REPORTED, NOT_REPORTED]).count()
