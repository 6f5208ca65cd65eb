"""Demo rights requests, so the staff queue shows the workflow from the first start: one
new, one due within a week, one extended with its reason, and one completed.

Idempotent like the rest of the demo data (``subjects.demo``): each request has a fixed
reference and is only created when missing. Dates are relative to the first load."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from requests_dsar.models import DsarRequest, RequestEvent, RequestType, Status
from requests_dsar.services.due import due_on_compute
from requests_dsar.services.identity import staff_verification_reasons
from subjects.models import DataSubject
from subjects.models.people import SYSTEM_ACTOR

# reference, right, e-mail address, days since verification, status, details
DEMO_REQUESTS = [
    ("V-DEMO0001", RequestType.ACCESS, "sanne.devries@example.nl", 20, Status.NEW, ""),
    (
        "V-DEMO0002",
        RequestType.ERASURE,
        "daan.jansen@example.nl",
        25,
        Status.IN_PROGRESS,
        "Ik heb geen interesse meer, verwijder alsjeblieft mijn gegevens.",
    ),
    (
        "V-DEMO0003",
        RequestType.PORTABILITY,
        "lotte.smit@example.nl",
        35,
        Status.EXTENDED,
        "Graag alles wat jullie van mij hebben uit het traineeship.",
    ),
    ("V-DEMO0004", RequestType.ACCESS, "iris.peters@example.nl", 60, Status.COMPLETED, ""),
]

EXTENSION_REASON = (
    "Je gegevens komen uit het traineeship, de Coaching Monitor en twee online tools; "
    "het verzamelen en controleren daarvan kost meer tijd dan vier weken."
)
ANSWER = (
    "Beste Iris Peters,\n\nJe kunt een overzicht van alle persoonsgegevens die we over je "
    "hebben downloaden via de link in deze e-mail."
)


@transaction.atomic
def demo_requests_load(*, now: datetime.datetime | None = None) -> int:
    """Create the demo requests where missing; returns how many demo requests exist."""
    now = now or timezone.now()
    for reference, right, email, days_ago, status, details in DEMO_REQUESTS:
        if DsarRequest.objects.filter(reference=reference).exists():
            continue
        subject = DataSubject.objects.filter(email=email).first()
        if subject is None:  # the demo people are loaded first (subjects.demo)
            continue
        verified = now - datetime.timedelta(days=days_ago)
        submitted = verified - datetime.timedelta(minutes=12)
        due = due_on_compute(received_at=submitted)
        request = DsarRequest.objects.create(
            reference=reference,
            request_type=right,
            status=status,
            name=subject.full_name,
            email=email,
            language=subject.language,
            details=details,
            created_at=submitted,
            received_at=submitted,
            verified_at=verified,
            original_due_on=due,
            due_on=due,
        )
        request.subjects.add(subject)
        # The same rule as a request that came in through the form: special-category
        # data in an access or portability answer needs a staff identity check first.
        request.needs_staff_verification = bool(staff_verification_reasons(request))
        # (when, action, parameters, what the staff member wrote)
        events = [
            (request.created_at, "submitted", {}, ""),
            (verified, "verified", {"count": 1}, ""),
        ]
        if status == Status.EXTENDED:
            request.extension_months = 2
            request.due_on = due_on_compute(received_at=submitted, extension_months=2)
            request.extension_reason = EXTENSION_REASON
            request.extended_at = verified + datetime.timedelta(days=21)
            events.append((request.extended_at, "extended", {"months": 2}, EXTENSION_REASON))
        if status == Status.COMPLETED:
            request.fulfilled_at = request.closed_at = verified + datetime.timedelta(days=9)
            request.answer = ANSWER
            events.append((request.closed_at, "completed", {}, ""))
        request.save()
        RequestEvent.objects.bulk_create(
            RequestEvent(
                request=request,
                at=at,
                actor_label=SYSTEM_ACTOR,
                action=action,
                params=params,
                note=note,
            )
            for at, action, params, note in events
        )
    return DsarRequest.objects.filter(reference__in=[r[0] for r in DEMO_REQUESTS]).count()
