"""An Art. 18 restriction that keeps data for the person (18(1)(c)) also keeps the rows
about them that rights requests do not walk: the audit trail, the read log, closed
requests and breach records (review finding: these rules deleted them)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from processing.breaches.models import Breach, BreachSubject
from requests_dsar.models import DsarRequest
from retention.services import retention_rule_apply
from subjects.models import AuditEvent
from subjects.registry import art18_article
from tests import factories as f
from tests.breaches.factories import BreachFactory

pytestmark = pytest.mark.django_db
LONG_AGO = timezone.now() - datetime.timedelta(days=7 * 365)


def _restricted(point: str):
    return f.DataSubjectFactory(
        restricted_at=timezone.now(), restriction_ground=f"{art18_article(point)} AVG (V-X)"
    )


@pytest.mark.parametrize("point,kept", [("c", True), ("b", True), ("a", False)])
def test_the_audit_trail_of_a_restricted_person_waits(point, kept):
    person = _restricted(point)
    event = AuditEvent.objects.create(action="admin.change", subject=person, at=LONG_AGO)
    other = AuditEvent.objects.create(action="admin.change", at=LONG_AGO)
    retention_rule_apply(rule_key="audit-5y")
    assert AuditEvent.objects.filter(pk=event.pk).exists() is kept
    assert not AuditEvent.objects.filter(pk=other.pk).exists()


def test_a_read_of_a_restricted_person_waits():
    person = _restricted("c")
    read = AuditEvent.objects.create(action="read.subject", subject=person, at=LONG_AGO)
    retention_rule_apply(rule_key="reads-1y")
    assert AuditEvent.objects.filter(pk=read.pk).exists()


def test_a_closed_request_of_a_restricted_person_waits():
    person = _restricted("c")
    closed = DsarRequest.objects.create(
        reference="V-OLDREQ01",
        request_type="access",
        status="completed",
        name="x",
        email="x@example.nl",
        closed_at=LONG_AGO,
    )
    closed.subjects.add(person)
    retention_rule_apply(rule_key="requests-5y")
    assert DsarRequest.objects.filter(pk=closed.pk).exists()


def test_a_breach_record_of_a_restricted_person_waits():
    person = _restricted("c")
    breach = BreachFactory(closed_at=LONG_AGO)
    unrelated = BreachFactory(closed_at=LONG_AGO)
    BreachSubject.objects.create(breach=breach, subject=person)
    retention_rule_apply(rule_key="breach-5y")
    assert Breach.objects.filter(pk=breach.pk).exists()
    assert BreachSubject.objects.filter(breach=breach, subject=person).exists()
    assert not Breach.objects.filter(pk=unrelated.pk).exists()
