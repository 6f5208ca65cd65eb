"""Data that rests on a consent cannot be held without an active consent for its
purpose, whatever writes it: ``objects.create()`` and ``save()`` (so the services, the
demo and every form), and ``full_clean()`` (so the admin's forms show the message).
The admin's own forms are tested in tests/intake_staff."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from processing.models import Consent
from subjects import models as m
from subjects.consent_guard import ConsentGuardedModel
from tests import factories as f

pytestmark = pytest.mark.django_db


def _withdrawn(subject, purpose: str) -> Consent:
    return f.ConsentFactory(subject=subject, purpose=purpose, withdrawn_at=timezone.now())


def _refused(make) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        make()
    return caught.value


# (what, a factory call that holds consent-dependent data, the purpose it needs)
GUARDED = [
    ("allergies", lambda **kw: f.TraineeProfileFactory(allergies="Pinda's", **kw), "allergies"),
    (
        "health in a coaching note",
        lambda **kw: f.CoachingNoteFactory(mentions_health=True, **kw),
        "coaching-health",
    ),
    (
        "Monitor demographics",
        lambda **kw: f.CoachingMonitorParticipationFactory(**kw),
        "monitor-demographics",
    ),
    (
        "Monitor research use",
        lambda **kw: f.CoachingMonitorParticipationFactory(
            research_consent=True,
            initials="",
            gender="",
            age=None,
            highest_education="",
            marital_status="",
            **kw,
        ),
        "monitor-research",
    ),
    (
        "phone on a brochure request",
        lambda **kw: f.BrochureRequestFactory(phone="0612345678", **kw),
        "brochure-call",
    ),
    (
        "E2Grow visibility",
        lambda **kw: f.E2GrowAccountFactory(profile_visible_to_colleagues=True, **kw),
        "e2grow-visibility",
    ),
]


@pytest.mark.parametrize("what,make,purpose", GUARDED, ids=[g[0] for g in GUARDED])
def test_saving_consent_dependent_data_without_a_consent_is_refused(what, make, purpose):
    error = _refused(lambda: make(consented=False))
    assert "toestemming" in str(error)  # in the reader's language (tests run in Dutch)
    assert not Consent.objects.filter(purpose=purpose).exists()


@pytest.mark.parametrize("what,make,purpose", GUARDED, ids=[g[0] for g in GUARDED])
def test_a_withdrawn_consent_does_not_count(what, make, purpose):
    row = make()
    Consent.objects.filter(purpose=purpose).update(withdrawn_at=timezone.now())
    with pytest.raises(ValidationError):
        row.save()
    with pytest.raises(ValidationError) as caught:
        row.full_clean()
    assert any("toestemming" in " ".join(m) for m in caught.value.message_dict.values())


@pytest.mark.parametrize("what,make,purpose", GUARDED, ids=[g[0] for g in GUARDED])
def test_with_an_active_consent_the_data_is_saved(what, make, purpose):
    row = make()
    row.full_clean()
    assert Consent.objects.filter(purpose=purpose, withdrawn_at__isnull=True).exists()


def test_data_that_needs_no_consent_is_saved_without_one():
    profile = f.TraineeProfileFactory(allergies="", consented=False)
    note = f.CoachingNoteFactory(mentions_health=False, consented=False)
    account = f.E2GrowAccountFactory(consented=False)
    assert not Consent.objects.exists()
    assert profile.pk and note.pk and account.pk


def test_an_e2grow_profile_is_hidden_by_default():
    account = m.E2GrowAccount.objects.create(subject=f.DataSubjectFactory())
    assert account.profile_visible_to_colleagues is False


def test_a_meetin_referral_needs_the_persons_active_meetin_consent():
    subject = f.DataSubjectFactory()
    newsletter = f.ConsentFactory(subject=subject, purpose="newsletter")
    _refused(lambda: m.StudyTripReferral.objects.create(subject=subject, consent=newsletter))
    withdrawn = _withdrawn(subject, "meetin")
    _refused(lambda: m.StudyTripReferral.objects.create(subject=subject, consent=withdrawn))
    someone_else = f.ConsentFactory(purpose="meetin")
    _refused(lambda: m.StudyTripReferral.objects.create(subject=subject, consent=someone_else))
    assert not m.StudyTripReferral.objects.exists()
    active = f.ConsentFactory(subject=subject, purpose="meetin")
    assert m.StudyTripReferral.objects.create(subject=subject, consent=active).shared_at is None


def test_a_newsletter_by_consent_needs_an_active_newsletter_consent():
    subject = f.DataSubjectFactory()
    _refused(lambda: f.NewsletterSubscriptionFactory(subject=subject, consented=False))
    _withdrawn(subject, "newsletter")
    _refused(lambda: f.NewsletterSubscriptionFactory(subject=subject, consented=False))
    assert not m.NewsletterSubscription.objects.exists()


def test_a_pending_sign_up_needs_no_consent_yet():
    """Until confirmed it receives nothing but the confirmation e-mail."""
    pending = m.NewsletterSubscription.objects.create(
        email="nieuw@example.nl", basis=m.NewsletterSubscription.Basis.CONSENT
    )
    assert pending.is_pending and not pending.is_active


def _client(**kwargs):
    subject = f.DataSubjectFactory(**kwargs)
    f.SubjectRoleFactory(subject=subject, category_id=_category("client"))
    return subject


def _category(key: str) -> int:
    from processing.models import SubjectCategory

    return SubjectCategory.objects.get(key=key).pk


def test_the_soft_opt_in_is_only_for_someone_who_bought_a_service_themselves():
    from subjects.newsletter import newsletter_soft_opt_in_record

    trainee = f.DataSubjectFactory()
    f.SubjectRoleFactory(subject=trainee, category_id=_category("trainee"))
    sale = f.InvoiceFactory(subject=trainee)
    error = _refused(lambda: newsletter_soft_opt_in_record(actor=None, subject=trainee, sale=sale))
    assert "basis" in error.message_dict
    client = _client()
    error = _refused(
        lambda: newsletter_soft_opt_in_record(actor=None, subject=client, sale=f.InvoiceFactory())
    )
    assert "sale" in error.message_dict  # someone else's sale
    assert not m.NewsletterSubscription.objects.exists()
    subscription = newsletter_soft_opt_in_record(
        actor=None, subject=client, sale=f.InvoiceFactory(subject=client)
    )
    assert subscription.is_active and subscription.opt_out_offered_at is not None


def test_a_soft_opt_in_needs_its_sale_and_is_never_back_dated():
    client = _client()
    sale = f.InvoiceFactory(subject=client)
    common = dict(subject=client, email=client.email, basis="soft-opt-in")
    _refused(lambda: m.NewsletterSubscription.objects.create(**common))
    _refused(
        lambda: m.NewsletterSubscription.objects.create(
            **common,
            sale=sale,
            opt_out_offered_at=timezone.now() - datetime.timedelta(days=30),
        )
    )
    subscription = m.NewsletterSubscription.objects.create(**common, sale=sale)
    offered = subscription.opt_out_offered_at
    assert abs((offered - timezone.now()).total_seconds()) < 60
    subscription.opt_out_offered_at = offered - datetime.timedelta(days=1)
    _refused(subscription.save)


def test_nobody_but_the_owner_can_subscribe_a_suppressed_address():
    from subjects.suppression import address_suppress

    address_suppress(email="weg@example.nl", reason="unsubscribed")
    subject = f.DataSubjectFactory(email="weg@example.nl")
    error = _refused(lambda: f.NewsletterSubscriptionFactory(subject=subject))
    assert "email" in error.message_dict
    client = _client(email="Weg@Example.nl")
    _refused(
        lambda: m.NewsletterSubscription.objects.create(
            subject=client,
            email=client.email,
            basis="soft-opt-in",
            sale=f.InvoiceFactory(subject=client),
        )
    )
    assert not m.NewsletterSubscription.objects.exists()


def test_the_demo_holds_no_consent_dependent_data_without_its_consent():
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    from subjects.consents import consent_guarded_models

    checked = 0
    for model in consent_guarded_models():
        for row in model._default_manager.all():
            assert row.consents_missing() == {}, (model._meta.label, row.pk)
            checked += 1
    assert checked > 10
    assert issubclass(m.TraineeProfile, ConsentGuardedModel)


def test_a_soft_opt_in_sends_the_opt_out_with_its_personal_unsubscribe_link():
    from django.core import mail

    from subjects.newsletter import newsletter_soft_opt_in_record

    client = _client()
    newsletter_soft_opt_in_record(actor=None, subject=client, sale=f.InvoiceFactory(subject=client))
    message = mail.outbox[-1]
    assert message.to == [client.email]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert link in message.body and "/nieuwsbrief/afmelden/" in link


def test_a_soft_opt_in_is_recorded_with_a_recent_sale_to_a_current_client_only():
    import time_machine

    from subjects.models.newsletter import SOFT_OPT_IN_SALE_DAYS
    from subjects.newsletter import newsletter_soft_opt_in_record

    client = _client()
    today = timezone.localdate()
    old_sale = f.InvoiceFactory(
        subject=client, issued_on=today - datetime.timedelta(days=SOFT_OPT_IN_SALE_DAYS + 1)
    )
    error = _refused(
        lambda: newsletter_soft_opt_in_record(actor=None, subject=client, sale=old_sale)
    )
    assert "sale" in error.message_dict
    edge = f.InvoiceFactory(
        subject=client, issued_on=today - datetime.timedelta(days=SOFT_OPT_IN_SALE_DAYS)
    )
    with time_machine.travel(timezone.now(), tick=False):
        assert newsletter_soft_opt_in_record(actor=None, subject=client, sale=edge).is_active


def test_a_former_client_or_a_colleague_of_the_buyer_gets_no_soft_opt_in():
    from subjects.newsletter import newsletter_soft_opt_in_record

    former = f.DataSubjectFactory()
    f.SubjectRoleFactory(
        subject=former,
        category_id=_category("client"),
        ended_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    error = _refused(
        lambda: newsletter_soft_opt_in_record(
            actor=None, subject=former, sale=f.InvoiceFactory(subject=former)
        )
    )
    assert "basis" in error.message_dict
    organisation = f.OrganisationFactory()
    buyer, colleague = f.DataSubjectFactory(), f.DataSubjectFactory()
    for person in (buyer, colleague):
        f.SubjectRoleFactory(
            subject=person,
            category_id=_category("client-organisation-contact"),
            organisation=organisation,
        )
    sale = f.InvoiceFactory(subject=buyer, organisation=organisation)
    error = _refused(
        lambda: newsletter_soft_opt_in_record(actor=None, subject=colleague, sale=sale)
    )
    assert "sale" in error.message_dict
    assert newsletter_soft_opt_in_record(actor=None, subject=buyer, sale=sale).is_active


def test_moving_a_participation_does_not_carry_allergies_to_someone_without_consent():
    profile = f.TraineeProfileFactory(allergies="Gluten")
    participation = profile.participation
    stranger = f.DataSubjectFactory()
    participation.participant = stranger
    with pytest.raises(ValidationError) as caught:
        participation.full_clean()
    assert "participant" in caught.value.message_dict
    with pytest.raises(ValidationError):
        participation.save()
    participation.refresh_from_db()
    assert participation.participant != stranger
    f.ConsentFactory(subject=stranger, purpose="allergies")
    participation.participant = stranger
    participation.save()  # with that person's consent it may move


def test_only_those_allowed_health_data_see_whether_a_note_holds_health_information(
    officer_client, staff_client
):
    note = f.CoachingNoteFactory(mentions_health=True)
    change = f"/en/admin/subjects/coachingnote/{note.pk}/change/"
    assert 'name="mentions_health"' in officer_client.get(change).content.decode()
    assert "mentions_health" not in staff_client.get(change).content.decode()
    listing = "/en/admin/subjects/coachingnote/"
    assert "health information" in officer_client.get(listing).content.decode()
    assert "health information" not in staff_client.get(listing).content.decode()


def test_a_soft_opt_in_on_a_sale_that_has_not_happened_yet_is_refused():
    from subjects.newsletter import newsletter_soft_opt_in_record

    client = _client()
    future = f.InvoiceFactory(
        subject=client, issued_on=timezone.localdate() + datetime.timedelta(days=60)
    )
    error = _refused(lambda: newsletter_soft_opt_in_record(actor=None, subject=client, sale=future))
    assert "sale" in error.message_dict


def test_a_soft_opt_in_leaves_the_audience_when_the_client_relationship_ends():
    from subjects.newsletter import audience_rows, newsletter_soft_opt_in_record

    client = _client()
    subscription = newsletter_soft_opt_in_record(
        actor=None, subject=client, sale=f.InvoiceFactory(subject=client)
    )
    assert subscription in audience_rows()
    client.roles.update(ended_on=timezone.localdate() - datetime.timedelta(days=1))
    assert subscription not in audience_rows()
