"""Erasing a person affected by an open breach who may still have to be told about it
(Art. 34) waits until they are told: the erasure would take the address the notice goes
to, and the duty to tell comes first (Art. 17(3)(b) GDPR)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from processing.breaches.models import NoticeException
from requests_dsar.fulfilment.erasure import erasure_carry_out
from subjects import models as m
from tests import factories as f
from tests.breaches.factories import BreachSubjectFactory, HighRiskBreachFactory
from tests.requests_dsar.factories import verified_request

pytestmark = pytest.mark.django_db


def _erasure_of(subject):
    dsar = verified_request(email=subject.email, right="erasure")
    assert list(dsar.subjects.all()) == [subject]
    return dsar


def _page(desk, dsar) -> str:
    return desk.client.get(f"/en/staff/requests/{dsar.pk}/").content.decode()


def test_an_erasure_waits_until_the_person_is_told_about_an_open_breach(desk):
    subject = f.DataSubjectFactory(email="sanne@example.nl")
    link = BreachSubjectFactory(breach=HighRiskBreachFactory(), subject=subject)
    erasure = _erasure_of(subject)
    page = _page(desk, erasure)
    assert 'id="erasure-breach-notice"' in page
    assert link.breach.reference in page
    [error] = desk.errors_after(erasure, "erase")
    assert link.breach.reference in error
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        erasure_carry_out(actor=None, request=erasure)
    assert "Art. 34" in refused.value.messages[0]
    assert "Nothing was erased." in refused.value.messages[0]
    link.refresh_from_db()
    assert link.subject_id == subject.pk
    assert m.DataSubject.objects.filter(pk=subject.pk).exists()
    # Told: the erasure goes ahead, and the record that they were told stays without them.
    link.notified_at = timezone.now()
    link.notified_how = "email"
    link.save()
    assert 'id="erasure-breach-notice"' not in _page(desk, erasure)
    desk.act(erasure, "erase")
    assert not m.DataSubject.objects.filter(pk=subject.pk).exists()
    link.refresh_from_db()
    assert link.subject_id is None and link.notified_at is not None


@pytest.mark.parametrize(
    "state",
    [
        {"risk": "risk"},  # no high risk: the people need not be told
        {"risk": "none"},
        {"notice_exception": NoticeException.UNINTELLIGIBLE},
        {"closed_at": "now"},
    ],
)
def test_a_breach_without_a_pending_notice_does_not_hold_up_the_erasure(desk, state):
    subject = f.DataSubjectFactory(email="sanne@example.nl")
    fields = {k: (timezone.now() if v == "now" else v) for k, v in state.items()}
    BreachSubjectFactory(breach=HighRiskBreachFactory(**fields), subject=subject)
    erasure = _erasure_of(subject)
    assert 'id="erasure-breach-notice"' not in _page(desk, erasure)
    desk.act(erasure, "erase")
    assert not m.DataSubject.objects.filter(pk=subject.pk).exists()


def test_another_persons_pending_notice_does_not_hold_up_the_erasure(desk):
    subject = f.DataSubjectFactory(email="sanne@example.nl")
    BreachSubjectFactory(breach=HighRiskBreachFactory())  # someone else
    erasure = _erasure_of(subject)
    desk.act(erasure, "erase")
    assert not m.DataSubject.objects.filter(pk=subject.pk).exists()
