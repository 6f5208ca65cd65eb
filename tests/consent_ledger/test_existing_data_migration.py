"""Data held before the ledger without the consent it needs is brought into line by the
migration subjects 0005 (a consent that cannot be proven does not count)."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from requests_dsar.tokens import token_hash
from subjects import models as m
from subjects.suppression import address_is_suppressed
from tests import factories as f

pytestmark = pytest.mark.django_db

migration = import_module("subjects.migrations.0005_consent_enforced")


def _historical_apps():
    """The models as the migration sees them (no ``save()`` of today's models)."""
    loader = MigrationLoader(connection)
    nodes = [
        ("processing", "0004_intake_register"),
        ("requests_dsar", "0005_recipient_task_for_consent"),
    ]
    return loader.project_state(nodes).apps


def _without_consent(row, **fields):
    """A row as earlier versions let it be stored: the data, no consent."""
    type(row).objects.filter(pk=row.pk).update(**fields)
    from processing.models import Consent

    Consent.objects.all().delete()
    return row


def test_consent_dependent_data_without_a_consent_is_removed():
    profile = f.TraineeProfileFactory(allergies="Noten")
    kept = f.TraineeProfileFactory(allergies="Lactose")
    monitor = f.CoachingMonitorParticipationFactory(research_consent=True)
    account = f.E2GrowAccountFactory(profile_visible_to_colleagues=True)
    from processing.models import Consent

    Consent.objects.exclude(subject=kept.participation.participant).delete()
    migration.enforce(_historical_apps(), None)
    profile.refresh_from_db()
    kept.refresh_from_db()
    monitor.refresh_from_db()
    account.refresh_from_db()
    assert profile.allergies == "" and kept.allergies == "Lactose"
    assert (monitor.initials, monitor.age, monitor.research_consent) == ("", None, False)
    assert account.profile_visible_to_colleagues is False


def test_plain_tokens_are_replaced_by_hashes_of_new_random_tokens():
    subscription = f.NewsletterSubscriptionFactory()
    old_hash = subscription.token_hash
    migration.enforce(_historical_apps(), None)
    subscription.refresh_from_db()
    assert subscription.token_hash != old_hash and len(subscription.token_hash) == 64
    assert subscription.token_hash != token_hash("")


def test_newsletters_without_a_basis_stop_and_objectors_go_on_the_suppression_list():
    by_consent = f.NewsletterSubscriptionFactory()
    _without_consent(by_consent)
    soft = f.NewsletterSubscriptionFactory()
    m.NewsletterSubscription.objects.filter(pk=soft.pk).update(basis="soft-opt-in")
    objector = f.DataSubjectFactory(email="bezwaar@example.nl")
    m.DataSubject.objects.filter(pk=objector.pk).update(marketing_objection_at=timezone.now())
    migration.enforce(_historical_apps(), None)
    by_consent.refresh_from_db()
    soft.refresh_from_db()
    assert by_consent.unsubscribed_at is not None
    assert soft.unsubscribed_at is not None  # a soft opt-in for someone who bought nothing
    assert address_is_suppressed("bezwaar@example.nl")
    # Stopped by the migration, not unsubscribed by the person: not suppressed.
    assert not address_is_suppressed(by_consent.email)


def test_what_the_migration_removes_is_audited_and_recipients_holding_a_copy_are_told():
    from processing.models import Consent
    from requests_dsar.models import RecipientTask

    account = f.E2GrowAccountFactory(profile_visible_to_colleagues=True)
    shared = f.StudyTripReferralFactory(shared_at=timezone.now())
    waiting = f.StudyTripReferralFactory()
    Consent.objects.all().update(withdrawn_at=timezone.now())
    migration.enforce(_historical_apps(), None)
    tasks = {(t.recipient.key, t.subject_reference) for t in RecipientTask.objects.all()}
    assert tasks == {
        ("e2grow", str(account.subject_id)),
        ("meetin", str(shared.subject_id)),
    }
    assert not m.StudyTripReferral.objects.filter(pk__in=[shared.pk, waiting.pk]).exists()
    enforced = m.AuditEvent.objects.filter(action="consent.enforced")
    assert set(enforced.values_list("subject_id", flat=True)) == {
        account.subject_id,
        shared.subject_id,
        waiting.subject_id,
    }
    assert all(e.actor_label == "system" for e in enforced)
