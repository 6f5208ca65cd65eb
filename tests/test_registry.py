"""The personal-data registry: complete, consistent with the register, and cheap to walk."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection, models
from django.test.utils import CaptureQueriesContext

from processing.models import DataCategory, ProcessingActivity
from retention.models import LegalHold, RetentionRule
from subjects.fields import EncryptedTextField
from subjects.models import AuditEvent, DataSubject
from subjects.registry import RestrictableModel, registry, subject_rows
from tests import factories as f
from tests.breaches.factories import BreachSubjectFactory

PROJECT_APPS = {"subjects", "processing", "retention", "requests_dsar"}
# Field names that reveal a model holds data about people.
PERSONAL_FIELD_NAMES = {
    "email",
    "phone",
    "first_name",
    "last_name",
    "ip_address",
    "street_address",
    "postcode",
    "bank_account",
    "account_holder",
    "initials",
    "allergies",
    "content",
    "billing_name",
}


def _holds_personal_data(model: type[models.Model]) -> bool:
    for field in model._meta.get_fields():
        if field.is_relation and field.concrete and field.related_model is DataSubject:
            return True
        if field.concrete and (
            field.name in PERSONAL_FIELD_NAMES or isinstance(field, EncryptedTextField)
        ):
            return True
    return False


def test_every_model_with_personal_fields_is_registered_or_exempt():
    missing = [
        model._meta.label
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APPS
        and _holds_personal_data(model)
        and model not in registry
        and not registry.is_exempt(model)
        and not registry.is_not_personal(model)
    ]
    assert missing == []


def test_the_completeness_check_would_catch_an_unregistered_model():
    class Unregistered(models.Model):  # noqa: DJ008
        email = models.EmailField()

        class Meta:  # noqa: DJ012
            app_label = "subjects"
            managed = False

    try:
        assert _holds_personal_data(Unregistered)
        assert Unregistered not in registry
    finally:
        apps.all_models["subjects"].pop("unregistered", None)
        apps.clear_cache()


def test_registered_fields_exist_on_their_models():
    for entry in registry:
        names = {f.name for f in entry.model._meta.get_fields()}
        assert set(entry.fields) <= names, entry.label
        assert set(entry.erasure.fields) <= names, entry.label


def test_models_linked_to_subjects_can_be_restricted():
    for entry in registry.subject_entries():
        if entry.model is AuditEvent:
            continue  # the trail of what was done is evidence, never processed further
        assert issubclass(entry.model, RestrictableModel), entry.label


@pytest.mark.django_db
def test_registry_keys_exist_in_the_register():
    activity_keys = set(ProcessingActivity.objects.values_list("key", flat=True))
    category_keys = set(DataCategory.objects.values_list("key", flat=True))
    rule_keys = set(RetentionRule.objects.values_list("key", flat=True))
    hold_keys = set(LegalHold.objects.values_list("key", flat=True))
    for entry in registry:
        assert entry.activity in activity_keys, entry.label
        assert set(entry.categories) <= category_keys, entry.label
        assert entry.retention_rule is None or entry.retention_rule in rule_keys, entry.label
        assert entry.legal_hold is None or entry.legal_hold in hold_keys, entry.label


@pytest.mark.django_db
def test_encrypted_fields_are_in_a_special_category():
    special = set(
        DataCategory.objects.filter(is_special_category=True).values_list("key", flat=True)
    )
    for entry in registry:
        if entry.encrypted_fields:
            assert special & set(entry.categories), entry.label


def _subject_with_everything(subject=None):
    subject = subject or f.DataSubjectFactory()
    f.SubjectRoleFactory(subject=subject)
    f.ContactMessageFactory(subject=subject)
    f.CorrespondenceFactory(subject=subject)
    f.BrochureRequestFactory(subject=subject)
    f.NewsletterSubscriptionFactory(subject=subject)
    participation = f.TrajectoryParticipantFactory(participant=subject)
    f.TraineeProfileFactory(participation=participation)
    f.CoachingNoteFactory(participant=subject, trajectory=participation.trajectory)
    f.CoachingMonitorParticipationFactory(subject=subject, trajectory=participation.trajectory)
    f.CliftonStrengthsAccountFactory(subject=subject)
    f.E2GrowAccountFactory(subject=subject)
    f.InvoiceFactory(subject=subject)
    f.SupplierDetailsFactory(contact=subject)
    f.StudyTripReferralFactory(subject=subject)
    f.TrajectoryFactory(coach=subject)
    BreachSubjectFactory(subject=subject)
    f.Art14NoticeFactory(subject=subject)
    return subject


@pytest.mark.django_db
def test_subject_rows_finds_the_subjects_data_in_every_model():
    subject = _subject_with_everything()
    other = _subject_with_everything()
    found = {entry.model: rows for entry, rows in subject_rows(subject)}
    for entry in registry.subject_entries():
        if entry.model._meta.label == "subjects.AuditEvent":
            continue
        assert found[entry.model], f"nothing found in {entry.label}"
        assert other.pk not in {r.pk for r in found[entry.model] if entry.model is DataSubject}
    assert found[DataSubject] == [subject]


@pytest.mark.django_db
def test_subject_rows_uses_one_query_per_model_whatever_the_amount_of_data():
    subject = _subject_with_everything()
    with CaptureQueriesContext(connection) as small:
        subject_rows(subject)
    for _ in range(5):
        f.InvoiceFactory(subject=subject)
        f.ContactMessageFactory(subject=subject)
        participation = f.TrajectoryParticipantFactory(participant=subject)
        f.TraineeProfileFactory(participation=participation)
    with CaptureQueriesContext(connection) as large:
        rows = subject_rows(subject)
    assert len(small) == len(large) == len(registry.subject_entries())
    assert sum(len(r) for _, r in rows) > 20


@pytest.mark.django_db
def test_anonymising_a_monitor_participation_leaves_nothing_that_points_back_at_the_person():
    participation = f.CoachingMonitorParticipationFactory(
        research_consent=True, answers={"q1": 4, "q2": 5, "toelichting": "Mijn burn-out"}
    )
    entry = registry.get(type(participation))
    assert entry.erase(type(participation).objects.filter(pk=participation.pk)) == 1
    participation.refresh_from_db()
    assert participation.subject is None
    assert participation.trajectory is None
    assert participation.invited_at is None
    assert (participation.initials, participation.gender, participation.age) == ("", "", None)
    assert participation.answers == {"q1": 4, "q2": 5}  # free text is not anonymous
    assert participation.anonymised_at is not None  # starts its 5 years (nobco-5y)


@pytest.mark.django_db
def test_erasing_a_monitor_participation_without_research_consent_deletes_it():
    participation = f.CoachingMonitorParticipationFactory(research_consent=False)
    model = type(participation)
    assert registry.get(model).erase(model.objects.filter(pk=participation.pk)) == 1
    assert not model.objects.filter(pk=participation.pk).exists()


def test_rows_that_may_lack_a_data_subject_declare_where_the_persons_email_is():
    """A model whose rows may be stored without a data subject but carry the person's
    own e-mail address must say which field that is, or a rights request from that
    address would not find them. A model whose rows may belong to an organisation
    instead (an invoice to a client organisation, sent to its billing address) declares
    it too, with an unlinked filter that leaves the organisation's rows out."""
    from subjects.models import Organisation

    missing = []
    organisation_rows_adopted = []
    for entry in registry.subject_entries():
        if entry.subject_paths[0] == "pk":
            continue
        field = entry.model._meta.get_field(entry.subject_paths[0].split("__")[0])
        emails = [f.name for f in entry.model._meta.fields if isinstance(f, models.EmailField)]
        nullable = getattr(field, "null", False) and field.many_to_one
        if nullable and emails and entry.email_field not in emails:
            missing.append(entry.label)
        organisations = [
            f.name
            for f in entry.model._meta.fields
            if f.many_to_one and f.related_model is Organisation
        ]
        if entry.email_field and organisations:
            lookups = dict(entry.unlinked_filter)
            if any(lookups.get(f"{name}__isnull") is not True for name in organisations):
                organisation_rows_adopted.append(entry.label)
    assert missing == []
    assert organisation_rows_adopted == []
    assert {e.label for e in registry.email_entries()} >= {
        "subjects.ContactMessage",
        "subjects.BrochureRequest",
        "subjects.Correspondence",
        "subjects.Invoice",
    }
