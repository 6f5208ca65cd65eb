"""The benchmark data: data subjects with about ten personal-data records each, and
rights requests, written with bulk inserts.

    generate(scale=1.0)  # 100,000 data subjects, ~1,000,000 records, 10,000 requests

Per data subject: one role (a client in five, half of those ended a year ago; about
twenty clients per organisation, at every scale), three
invoices over the last six years, two contact messages, one business e-mail and three
audit events. Nothing is due for a retention rule on the day it is made (invoices are
younger than seven years, messages younger than their review date), so a rule's second
run is an idle one. ``person_with(records)`` adds one person with that many records (the
access package benchmark). The one generator of the project: the benchmarks and any
workspace or demo at scale use it.

Names are as varied as real ones, so that a search measures what people type: first
names and surnames from common Dutch ones (every surname is held by about one person in
60, "de Vries" included), organisations named by a trade and a surname ("Bouwbedrijf de
Vries B.V."), nearly every one its own name. E-mail addresses stay numbered.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from processing.models import SubjectCategory
from requests_dsar.models import DsarRequest, Status
from subjects.models import (
    AuditEvent,
    ContactMessage,
    Correspondence,
    DataSubject,
    Invoice,
    Organisation,
    SubjectRole,
)

FIRST_NAMES = (
    "Sanne", "Daan", "Emma", "Lucas", "Julia", "Sem", "Tess", "Finn", "Sophie", "Levi",
    "Anna", "Noah", "Eva", "Milan", "Lotte", "Jesse", "Fenna", "Thijs", "Lisa", "Bram",
    "Femke", "Ruben", "Iris", "Lars", "Anouk", "Stijn", "Roos", "Thomas", "Noor", "Jan",
    "Maria", "Pieter", "Ingrid", "Kees", "Marloes", "Joost", "Willemijn", "Hans", "Ilse",
    "Gerrit",
)  # fmt: skip
SURNAMES = (
    "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen",
    "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters",
    "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits",
    "de Graaf", "van der Meer", "van der Linden", "Kok", "Jacobs", "de Haan", "Vermeulen",
    "van den Heuvel", "van der Veen", "van den Broek", "de Bruijn", "de Bruin",
    "van der Heijden", "Schouten", "van Beek", "Willems", "van Vliet", "van de Ven",
    "Hoekstra", "Maas", "Verhoeven", "Koster", "van Dam", "van der Wal", "Prins",
    "Blom", "Huisman", "Peeters", "de Lange", "Kuipers", "van Wijk", "Post", "Kuiper",
    "Veenstra", "Kramer", "van den Brink", "Scholten",
)  # fmt: skip
TRADES = (
    "Bouwbedrijf", "Adviesbureau", "Bakkerij", "Installatietechniek", "Transport",
    "Hoveniers", "Accountants", "Autobedrijf", "Schildersbedrijf", "Notariaat",
    "Metaalbewerking", "Drukkerij", "Zorggroep", "Makelaardij", "Timmerfabriek",
    "Kinderopvang", "Tandartspraktijk", "Loonbedrijf", "Houthandel", "Architecten",
)  # fmt: skip
SUBJECTS_AT_1 = 100_000
REQUESTS_AT_1 = 10_000
BATCH = 5_000
STATUSES = [Status.NEW, Status.IN_PROGRESS, Status.EXTENDED, Status.COMPLETED, Status.REJECTED]


def organisation_name(n: int) -> str:
    """The name of the ``n``th organisation: a trade and a surname, "Bakkerij Jansen
    B.V." (1,200 names; a number from the 1,201st on, as "Bakkerij Jansen 2 B.V.")."""
    trade = TRADES[n % len(TRADES)]
    surname = SURNAMES[(n // len(TRADES)) % len(SURNAMES)]
    again = n // (len(TRADES) * len(SURNAMES))
    return f"{trade} {surname}{f' {again + 1}' if again else ''} B.V."


def _bulk(model, objects) -> list:
    return model.objects.bulk_create(objects, batch_size=BATCH)


def _subjects(first: int, count: int, prefix: str) -> list[DataSubject]:
    return _bulk(
        DataSubject,
        (
            DataSubject(
                first_name=FIRST_NAMES[n % len(FIRST_NAMES)],
                last_name=SURNAMES[(n // len(FIRST_NAMES)) % len(SURNAMES)],
                email=f"{prefix}{n}@example.nl",
                phone="06 12345678",
                city="Doetinchem",
            )
            for n in range(first, first + count)
        ),
    )


def _records(subjects: list[DataSubject], per_kind: int, tag: str) -> int:
    """``per_kind`` invoices, contact messages and audit events per subject, and a third
    of that in business e-mail. Returns how many rows were written."""
    today = timezone.localdate()
    now = timezone.now()
    written = 0
    invoices = (
        Invoice(
            number=f"{tag}{s.pk}-{i}",
            subject=s,
            issued_on=today - datetime.timedelta(days=(s.pk * 7 + i * 300) % (6 * 365)),
            billing_name=s.full_name,
            street_address="Dorpsstraat 1",
            postcode="7001AA",
            city="Doetinchem",
            email=s.email,
            amount=Decimal("1250.00"),
        )
        for s in subjects
        for i in range(per_kind)
    )
    written += len(_bulk(Invoice, invoices))
    messages = (
        ContactMessage(
            subject=s,
            channel=ContactMessage.Channel.FORM,
            first_name=s.first_name,
            last_name=s.last_name,
            email=s.email,
            message="Graag meer informatie.",
            received_at=now - datetime.timedelta(days=(s.pk + i) % 30),
        )
        for s in subjects
        for i in range(max(1, per_kind * 2 // 3))
    )
    written += len(_bulk(ContactMessage, messages))
    mails = (
        Correspondence(
            subject=s,
            direction=Correspondence.Direction.OUTGOING,
            counterpart_email=s.email,
            subject_line="Offerte",
            sent_at=now - datetime.timedelta(days=(s.pk + i) % 2000),
        )
        for s in subjects
        for i in range(max(1, per_kind // 3))
    )
    written += len(_bulk(Correspondence, mails))
    events = (
        AuditEvent(
            subject=s,
            action="subject.update",
            target=f"subjects.DataSubject #{s.pk}",
            at=now - datetime.timedelta(days=(s.pk + i) % 365),
        )
        for s in subjects
        for i in range(per_kind)
    )
    written += len(_bulk(AuditEvent, events))
    return written


@transaction.atomic
def generate(scale: float) -> dict[str, int]:
    """Fill the (empty, migrated) database at ``scale``; returns what was written."""
    count = max(10, int(SUBJECTS_AT_1 * scale))
    organisations = _bulk(
        Organisation,
        (
            Organisation(name=organisation_name(n), city="Doetinchem", is_client=True)
            for n in range(max(1, count // 100))
        ),
    )
    categories = {c.key: c for c in SubjectCategory.objects.all()}
    subjects = _subjects(0, count, "persoon")
    today = timezone.localdate()
    roles = []
    for s in subjects:
        if s.pk % 5 == 0:
            ended = today - datetime.timedelta(days=365) if s.pk % 10 == 0 else None
            roles.append(
                SubjectRole(
                    subject=s,
                    category=categories["client"],
                    organisation=organisations[(s.pk // 5) % len(organisations)],
                    started_on=today - datetime.timedelta(days=3 * 365),
                    ended_on=ended,
                )
            )
        else:
            roles.append(SubjectRole(subject=s, category=categories["contact-requester"]))
    _bulk(SubjectRole, roles)
    records = _records(subjects, 3, "F") + len(roles)
    requests = int(REQUESTS_AT_1 * scale) or 10
    made = _bulk(
        DsarRequest,
        (
            DsarRequest(
                reference=f"V-B{n:07d}",
                request_type="access",
                status=STATUSES[n % len(STATUSES)],
                name=subjects[n % count].full_name,
                email=subjects[n % count].email,
                language="nl",
                verified_at=timezone.now(),
                due_on=today + datetime.timedelta(days=n % 40),
            )
            for n in range(requests)
        ),
    )
    link = DsarRequest.subjects.through
    _bulk(
        link,
        (
            link(dsarrequest_id=r.pk, datasubject_id=subjects[n % count].pk)
            for n, r in enumerate(made)
        ),
    )
    return {"subjects": count, "records": records, "requests": requests}


@transaction.atomic
def person_with(records: int) -> DsarRequest:
    """One person with about ``records`` records, and their verified access request."""
    (person,) = _subjects(10**8, 1, "veel")
    _records([person], max(1, records // 3), "V")
    request = DsarRequest.objects.create(
        reference=f"V-V{records:07d}",
        request_type="access",
        status=Status.IN_PROGRESS,
        name=person.full_name,
        email=person.email,
        language="nl",
        verified_at=timezone.now(),
    )
    request.subjects.add(person)
    return request
