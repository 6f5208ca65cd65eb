"""factory_boy factories for tests. Register rows (activities, rules) come from the data
migration, so factories look them up rather than create them."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from processing.models import (
    PURPOSE_ACTIVITY,
    Art14Notice,
    Consent,
    ConsentText,
    ProcessingActivity,
    SubjectCategory,
)
from processing.register_data import FIRST_WORDING_PURPOSE
from requests_dsar.tokens import token_new
from retention.models import LegalHold
from subjects import models as m


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@leafspring.test")
    password = factory.django.Password("correct horse battery staple")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Organisation

    name = factory.Sequence(lambda n: f"Organisatie {n} B.V.")
    street_address = "Dorpsstraat 1"
    postcode = "7001AA"
    city = "Doetinchem"
    is_client = True


class DataSubjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.DataSubject

    first_name = factory.Sequence(lambda n: f"Sanne{n}")
    last_name = "de Vries"
    email = factory.Sequence(lambda n: f"persoon{n}@example.nl")
    phone = "06 12345678"


class SubjectRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.SubjectRole

    subject = factory.SubFactory(DataSubjectFactory)
    category = factory.LazyFunction(lambda: SubjectCategory.objects.get(key="client"))


class WebsiteVisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.WebsiteVisit

    ip_address = factory.Sequence(lambda n: f"192.0.2.{n % 250 + 1}")
    operating_system = "Linux"
    browser = "Firefox"
    path = "/"


class ContactMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.ContactMessage

    subject = factory.SubFactory(DataSubjectFactory)
    channel = m.ContactMessage.Channel.FORM
    first_name = factory.SelfAttribute("subject.first_name")
    last_name = factory.SelfAttribute("subject.last_name")
    email = factory.SelfAttribute("subject.email")
    message = "Graag meer informatie over het traineeship."


class CorrespondenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Correspondence

    subject = factory.SubFactory(DataSubjectFactory)
    direction = m.Correspondence.Direction.OUTGOING
    counterpart_email = factory.SelfAttribute("subject.email")
    subject_line = "Offerte traineeship"
    body = "Zie bijlage."


def consents_ensure(subject_id: int | None, purposes: set[str]) -> None:
    """Active consents of a person for ``purposes``, where missing (the data resting on
    them cannot be saved without)."""
    if not subject_id:
        return
    for purpose in purposes:
        if not Consent.objects.filter(
            subject_id=subject_id, purpose=purpose, withdrawn_at__isnull=True
        ).exists():
            ConsentFactory(subject_id=subject_id, purpose=purpose)


class ConsentedFactory(factory.django.DjangoModelFactory):
    """Creates the consents a row's data needs before the row (pass ``consented=False`` to
    leave them out, as a test of refusal does)."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, consented=True, **kwargs):  # type: ignore[no-untyped-def]
        if consented:
            row = model_class(*args, **kwargs)
            consents_ensure(
                row.consent_subject_id(),
                {need.purpose for need in model_class.consent_needs if need.row_holds(row)},
            )
        return super()._create(model_class, *args, **kwargs)


class NewsletterSubscriptionFactory(factory.django.DjangoModelFactory):
    """A confirmed subscription by consent (the consent is recorded first)."""

    class Meta:
        model = m.NewsletterSubscription

    subject = factory.SubFactory(DataSubjectFactory)
    email = factory.SelfAttribute("subject.email")
    first_name = factory.SelfAttribute("subject.first_name")
    basis = m.NewsletterSubscription.Basis.CONSENT
    confirmed_at = factory.LazyFunction(timezone.now)
    token_hash = factory.LazyFunction(lambda: token_new()[1])

    @classmethod
    def _create(cls, model_class, *args, consented=True, **kwargs):  # type: ignore[no-untyped-def]
        subject = kwargs.get("subject")
        if (
            consented
            and subject is not None
            and kwargs.get("basis") == m.NewsletterSubscription.Basis.CONSENT
            and kwargs.get("confirmed_at")
        ):
            consents_ensure(subject.pk, {"newsletter"})
        return super()._create(model_class, *args, **kwargs)


class BrochureRequestFactory(ConsentedFactory):
    class Meta:
        model = m.BrochureRequest

    subject = factory.SubFactory(DataSubjectFactory)
    first_name = factory.SelfAttribute("subject.first_name")
    last_name = factory.SelfAttribute("subject.last_name")
    email = factory.SelfAttribute("subject.email")


class TrajectoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Trajectory

    kind = m.Trajectory.Kind.TRAINEESHIP
    title = factory.Sequence(lambda n: f"Traineeship {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    started_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=200))


class TrajectoryParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.TrajectoryParticipant

    trajectory = factory.SubFactory(TrajectoryFactory)
    participant = factory.SubFactory(DataSubjectFactory)


class TraineeProfileFactory(ConsentedFactory):
    class Meta:
        model = m.TraineeProfile

    participation = factory.SubFactory(TrajectoryParticipantFactory)
    job_title = "Junior beleidsmedewerker"
    education = "HBO Bestuurskunde"
    work_experience = "2 jaar"
    allergies = "Pinda's"


class CoachingNoteFactory(ConsentedFactory):
    class Meta:
        model = m.CoachingNote

    trajectory = factory.SubFactory(TrajectoryFactory)
    participant = factory.SubFactory(DataSubjectFactory)
    content = "Gesprek over werkdruk en doelen."


class CoachingMonitorParticipationFactory(ConsentedFactory):
    class Meta:
        model = m.CoachingMonitorParticipation

    subject = factory.SubFactory(DataSubjectFactory)
    trajectory = factory.SubFactory(TrajectoryFactory)
    initials = "S."
    gender = "vrouw"
    age = 27
    highest_education = "HBO"
    marital_status = "ongehuwd"
    answers = factory.LazyFunction(lambda: {"q1": 4, "q2": 5})


class ClientEvaluationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.ClientEvaluation

    trajectory_kind = m.Trajectory.Kind.COACHING
    evaluated_on = factory.LazyFunction(timezone.localdate)
    score = 8


class CliftonStrengthsAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.CliftonStrengthsAccount

    subject = factory.SubFactory(DataSubjectFactory)
    external_id = factory.Sequence(lambda n: f"GALLUP-{n:05d}")
    results = factory.LazyFunction(lambda: {"top5": ["Learner", "Achiever"]})


class E2GrowAccountFactory(ConsentedFactory):
    class Meta:
        model = m.E2GrowAccount

    subject = factory.SubFactory(DataSubjectFactory)
    external_id = factory.Sequence(lambda n: f"e2g-{n}")
    company_name = "Gemeente Oost Gelre"
    job_title = "Trainee"


class InvoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Invoice

    number = factory.Sequence(lambda n: f"F{n:06d}")
    subject = factory.SubFactory(DataSubjectFactory)
    issued_on = factory.LazyFunction(timezone.localdate)
    billing_name = factory.LazyAttribute(lambda o: o.subject.full_name if o.subject else "Org")
    street_address = "Dorpsstraat 1"
    postcode = "7001AA"
    city = "Doetinchem"
    email = factory.LazyAttribute(lambda o: o.subject.email if o.subject else "org@example.nl")
    amount = Decimal("1250.00")
    bank_account = "NL91ABNA0417164300"
    account_holder = factory.SelfAttribute("billing_name")


class SupplierDetailsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.SupplierDetails

    organisation = factory.SubFactory(OrganisationFactory, is_client=False, is_supplier=True)
    contact = factory.SubFactory(DataSubjectFactory)
    kvk_number = "12345678"
    vat_number = "NL001234567B01"
    bank_account = "NL02RABO0123456789"
    account_holder = factory.SelfAttribute("organisation.name")


def consent_text(activity_key: str) -> ConsentText:
    """The current wording of an activity's first consent purpose."""
    return ConsentText.objects.current(FIRST_WORDING_PURPOSE[activity_key])


class ConsentFactory(factory.django.DjangoModelFactory):
    """A consent for ``purpose`` (default: the newsletter) on its current wording; given
    ``activity`` alone, for that activity's first purpose."""

    class Meta:
        model = Consent

    subject = factory.SubFactory(DataSubjectFactory)
    activity = factory.LazyFunction(lambda: ProcessingActivity.objects.get(key="newsletter"))
    purpose = factory.LazyAttribute(lambda o: FIRST_WORDING_PURPOSE[o.activity.key])
    text = factory.LazyAttribute(lambda o: ConsentText.objects.current(o.purpose))
    given_method = "web-form"
    given_via = "test form"

    @classmethod
    def _adjust_kwargs(cls, **kwargs):  # type: ignore[no-untyped-def]
        # A purpose given on its own names its activity.
        kwargs["activity"] = ProcessingActivity.objects.get(key=PURPOSE_ACTIVITY[kwargs["purpose"]])
        return kwargs


class StudyTripReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.StudyTripReferral

    subject = factory.SubFactory(DataSubjectFactory)
    consent = factory.SubFactory(
        ConsentFactory,
        subject=factory.SelfAttribute("..subject"),
        purpose="meetin",
    )
    company_name = "Gemeente Berkelland"


class LegalHoldFactory(factory.django.DjangoModelFactory):
    """A specific legal hold on one person (a dispute), in force for 400 more days."""

    class Meta:
        model = LegalHold

    key = "claim-2026"
    name_nl = "Geschil"
    name_en = "Dispute"
    ground_nl = "Rechtsvordering"
    ground_en = "Legal claim"
    article = "art. 17 lid 3 onder e AVG"
    subject = factory.SubFactory(DataSubjectFactory)
    held_until = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=400))


class Art14NoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Art14Notice

    subject = factory.SubFactory(DataSubjectFactory)
    activity = factory.LazyFunction(lambda: ProcessingActivity.objects.get(key="mentor"))
    language = "nl"
