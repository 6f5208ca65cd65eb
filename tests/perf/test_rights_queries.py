"""One person's access package, portability file and erasure cost a number of queries
bounded by the registered models, not by the person's rows: the same for a person with
10 records of each kind as for one with 1,000 (invoices over three years, so
that rows a legal hold keeps, each until its own date, are restricted in one go)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from requests_dsar.fulfilment.access import access_files
from requests_dsar.fulfilment.erasure import erasure_carry_out
from requests_dsar.fulfilment.portability import portability_files
from requests_dsar.models import DsarRequest
from subjects.models import AuditEvent, ContactMessage, Invoice
from tests import factories as f

pytestmark = pytest.mark.django_db


def _person_with(rows: int, request_type: str) -> DsarRequest:
    subject = f.DataSubjectFactory(email=f"{request_type}{rows}@example.nl")
    today = timezone.localdate()
    Invoice.objects.bulk_create(
        Invoice(
            number=f"P{rows}-{request_type[:3]}-{i}",
            subject=subject,
            issued_on=today - datetime.timedelta(days=i),
            billing_name=subject.full_name,
            street_address="Dorpsstraat 1",
            postcode="7001AA",
            city="Doetinchem",
            email=subject.email,
            amount=Decimal("10.00"),
        )
        for i in range(rows)
    )
    ContactMessage.objects.bulk_create(
        ContactMessage(
            subject=subject,
            channel="form",
            first_name="Jan",
            last_name="Jansen",
            email=subject.email,
            message="Hoi",
        )
        for _ in range(rows)
    )
    AuditEvent.objects.bulk_create(
        AuditEvent(
            subject=subject, action="subject.update", target=f"subjects.DataSubject #{subject.pk}"
        )
        for _ in range(rows)
    )
    f.SubjectRoleFactory(subject=subject)
    f.CliftonStrengthsAccountFactory(subject=subject, results={"top5": ["Learner"]})
    request = DsarRequest.objects.create(
        reference=f"V-P{rows:04d}{request_type[:3].upper()}",
        request_type=request_type,
        status="in-progress",
        name=subject.full_name,
        email=subject.email,
        language="nl",
    )
    request.subjects.add(subject)
    return request


def _queries(build: Callable[[DsarRequest], object], request: DsarRequest) -> int:
    with CaptureQueriesContext(connection) as context:
        build(request)
    return len(context.captured_queries)


@pytest.mark.parametrize("build", [access_files, portability_files], ids=["access", "portability"])
def test_a_package_costs_the_same_queries_for_10_and_for_1000_records(build):
    few = _person_with(10, "access")
    many = _person_with(1000, "access")
    build(few)  # caches (content types, translations) warmed once
    assert _queries(build, few) == _queries(build, many)


def test_an_erasure_costs_the_same_queries_for_10_and_for_1000_records():
    def erase(request: DsarRequest) -> None:
        erasure_carry_out(actor=None, request=request)

    few = _person_with(10, "erasure")
    many = _person_with(1000, "erasure")
    assert _queries(erase, few) == _queries(erase, many)
    # The invoices are kept (7 years), each restricted until the end of its own year + 7.
    kept = Invoice.objects.filter(subject__email="erasure1000@example.nl")
    assert kept.count() == 1000
    assert kept.filter(restricted_at__isnull=True).count() == 0
    assert len(set(kept.values_list("restriction_ground", flat=True))) > 1
