"""What keeps a row past its limit: a specific legal hold on the data subject, explicit
consent to keep it longer for an agreed purpose; and what restriction means for a run."""

from __future__ import annotations

import datetime

import pytest

from processing.models import ProcessingActivity
from retention.models import LegalHold
from subjects import models as m
from tests import factories as f
from tests.retention.conftest import ams, apply_at, utc

pytestmark = pytest.mark.django_db

LATER = utc(2026, 12, 1)


def _hold(subject, until):
    return LegalHold.objects.create(
        key=f"claim-{subject.pk}",
        name_nl="Claim",
        name_en="Claim",
        ground_nl="Rechtsvordering",
        ground_en="Legal claim",
        article="Art. 17(3)(e) AVG",
        subject=subject,
        held_until=until,
    )


def _unsubscribed():
    return f.NewsletterSubscriptionFactory(unsubscribed_at=utc(2026, 1, 1))


def test_a_specific_legal_hold_blocks_deletion_until_its_date():
    subscription = _unsubscribed()
    _hold(subscription.subject, datetime.date(2026, 12, 1))
    apply_at(ams(2026, 12, 1, 23, 0), "unsubscribe-6w")
    assert m.NewsletterSubscription.objects.filter(pk=subscription.pk).exists()
    apply_at(ams(2026, 12, 2), "unsubscribe-6w")
    assert not m.NewsletterSubscription.objects.filter(pk=subscription.pk).exists()


def test_a_legal_hold_on_someone_else_does_not_keep_my_rows():
    subscription = _unsubscribed()
    _hold(f.DataSubjectFactory(), datetime.date(2030, 1, 1))
    apply_at(LATER, "unsubscribe-6w")
    assert not m.NewsletterSubscription.objects.filter(pk=subscription.pk).exists()


def test_a_legal_hold_keeps_rows_found_through_a_relation():
    trajectory = f.TrajectoryFactory(ended_on=datetime.date(2026, 6, 10))
    profile = f.TraineeProfileFactory(participation__trajectory=trajectory)
    _hold(profile.participation.participant, datetime.date(2027, 1, 1))
    apply_at(LATER, "coaching-end")
    assert m.TraineeProfile.objects.filter(pk=profile.pk).exists()


def test_explicit_consent_keeps_data_longer_for_the_agreed_purpose():
    subscription = _unsubscribed()
    consent = f.ConsentFactory(
        subject=subscription.subject,
        keep_until=datetime.date(2027, 6, 30),
        agreed_purpose="Uitnodiging reünie 2027",
    )
    apply_at(LATER, "unsubscribe-6w")
    assert m.NewsletterSubscription.objects.filter(pk=subscription.pk).exists()
    consent.withdrawn_at = utc(2026, 12, 2)
    consent.save()
    apply_at(utc(2026, 12, 3), "unsubscribe-6w")
    assert not m.NewsletterSubscription.objects.filter(pk=subscription.pk).exists()


def test_consent_for_another_activity_does_not_extend_retention():
    subscription = _unsubscribed()
    f.ConsentFactory(
        subject=subscription.subject,
        activity=ProcessingActivity.objects.get(key="brochure"),
        keep_until=datetime.date(2030, 1, 1),
    )
    apply_at(LATER, "unsubscribe-6w")
    assert not m.NewsletterSubscription.objects.filter(pk=subscription.pk).exists()


def test_extended_retention_ends_on_the_agreed_date():
    subscription = _unsubscribed()
    f.ConsentFactory(subject=subscription.subject, keep_until=datetime.date(2026, 11, 30))
    apply_at(LATER, "unsubscribe-6w")
    assert not m.NewsletterSubscription.objects.filter(pk=subscription.pk).exists()


def test_restricted_rows_are_not_anonymised():
    ended = datetime.date(2026, 6, 10)
    restricted = f.CoachingMonitorParticipationFactory(
        trajectory__ended_on=ended, restricted_at=utc(2026, 6, 1), restriction_ground="Art. 18"
    )
    subject_restricted = f.CoachingMonitorParticipationFactory(
        trajectory__ended_on=ended, subject__restricted_at=utc(2026, 6, 1)
    )
    free = f.CoachingMonitorParticipationFactory(trajectory__ended_on=ended, research_consent=True)
    run = apply_at(LATER, "monitor-end")
    for row in (restricted, subject_restricted, free):
        row.refresh_from_db()
    assert restricted.initials == "S." and restricted.subject_id is not None
    assert subject_restricted.initials == "S."
    assert free.initials == "" and free.subject_id is None
    assert run.rows_affected["subjects.CoachingMonitorParticipation"] == 1


def test_restricted_rows_are_deleted_when_the_rule_deletes():
    invoice = f.InvoiceFactory(
        issued_on=datetime.date(2018, 5, 1),
        restricted_at=utc(2024, 1, 1),
        restriction_ground="Art. 17(3)(b) AVG: fiscal",
    )
    apply_at(LATER, "fiscal-7y")
    assert not m.Invoice.objects.filter(pk=invoice.pk).exists()


def test_the_fiscal_rule_keeps_bookkeeping_that_is_not_seven_years_old():
    invoice = f.InvoiceFactory(issued_on=datetime.date(2020, 1, 1))
    apply_at(LATER, "fiscal-7y")
    assert m.Invoice.objects.filter(pk=invoice.pk).exists()
