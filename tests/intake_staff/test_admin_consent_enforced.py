"""Data that rests on a consent cannot be saved through the admin's own forms without an
active consent: the form shows the model's message and nothing is saved."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from processing.models import Consent, SubjectCategory
from subjects.models import (
    AuditEvent,
    CoachingMonitorParticipation,
    CoachingNote,
    E2GrowAccount,
    NewsletterSubscription,
    StudyTripReferral,
    TraineeProfile,
)
from tests import factories as f

pytestmark = pytest.mark.django_db

NEEDS_CONSENT = "and there is no active consent for it. Record the consent first."


def en(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def _now_split(prefix: str) -> dict[str, str]:
    now = timezone.localtime()
    return {f"{prefix}_0": now.strftime("%Y-%m-%d"), f"{prefix}_1": now.strftime("%H:%M:%S")}


def _refused(response) -> str:
    assert response.status_code == 200, response.get("Location")
    body = response.content.decode()
    assert "errornote" in body
    return body


# Trainee profile: allergies (health data, Art. 9(2)(a)) -------------------------------


def _profile_form(participation, **changes) -> dict[str, str]:
    data = {
        "participation": str(participation.pk),
        "job_title": "Trainee",
        "education": "HBO",
        "work_experience": "",
        "allergies": "",
    }
    data.update(changes)
    return data


def test_allergies_without_consent_are_refused_in_the_admin(officer_client):
    participation = f.TrajectoryParticipantFactory()
    response = officer_client.post(
        en("admin:subjects_traineeprofile_add"),
        _profile_form(participation, allergies="Noten"),
    )
    body = _refused(response)
    assert NEEDS_CONSENT in body
    assert "allergies (health data) for the traineeship" in body
    assert not TraineeProfile.objects.exists()
    # Without allergies the profile is saved.
    response = officer_client.post(
        en("admin:subjects_traineeprofile_add"), _profile_form(participation)
    )
    assert response.status_code == 302
    profile = TraineeProfile.objects.get()
    response = officer_client.post(
        en("admin:subjects_traineeprofile_change", profile.pk),
        _profile_form(participation, allergies="Noten"),
    )
    _refused(response)
    profile.refresh_from_db()
    assert profile.allergies == ""


def test_allergies_with_an_active_consent_are_saved(officer_client):
    participation = f.TrajectoryParticipantFactory()
    f.ConsentFactory(subject=participation.participant, purpose="allergies")
    response = officer_client.post(
        en("admin:subjects_traineeprofile_add"),
        _profile_form(participation, allergies="Noten"),
    )
    assert response.status_code == 302
    assert TraineeProfile.objects.get().allergies == "Noten"


def test_staff_who_cannot_see_allergies_get_the_message_instead_of_an_error(staff_client):
    # Allergies held from before, whose consent is no longer active: the hidden field's
    # message is shown above the form (Django would otherwise fail on it).
    profile = f.TraineeProfileFactory(allergies="Noten")
    Consent.objects.filter(purpose="allergies").update(withdrawn_at=timezone.now())
    response = staff_client.post(
        en("admin:subjects_traineeprofile_change", profile.pk),
        _profile_form(profile.participation, job_title="Iets anders"),
    )
    body = _refused(response)
    assert "Allergies: This needs the person" in body
    assert "Noten" not in body
    profile.refresh_from_db()
    assert profile.job_title != "Iets anders"


# Coaching note: health information (Art. 9(2)(a)) -------------------------------------


def test_a_coaching_note_with_health_information_needs_consent(officer_client):
    trajectory = f.TrajectoryFactory()
    person = f.DataSubjectFactory()
    data = {
        "trajectory": str(trajectory.pk),
        "participant": str(person.pk),
        "author": "",
        **_now_split("written_at"),
        "content": "Slaapt slecht door stress.",
        "mentions_health": "True",
    }
    body = _refused(officer_client.post(en("admin:subjects_coachingnote_add"), data))
    assert NEEDS_CONSENT in body
    # Whether a note holds health information is an explicit choice, never a default.
    undecided = {k: v for k, v in data.items() if k != "mentions_health"}
    _refused(officer_client.post(en("admin:subjects_coachingnote_add"), undecided))
    assert not CoachingNote.objects.exists()
    f.ConsentFactory(subject=person, purpose="coaching-health")
    response = officer_client.post(en("admin:subjects_coachingnote_add"), data)
    assert response.status_code == 302
    assert CoachingNote.objects.get().mentions_health


# Coaching Monitor: demographics and research use ---------------------------------------


def _monitor_form(subject, trajectory, **changes) -> dict[str, str]:
    data = {
        "subject": str(subject.pk),
        "trajectory": str(trajectory.pk),
        **_now_split("invited_at"),
        "demographics_consent_at_0": "",
        "demographics_consent_at_1": "",
        "initials": "",
        "gender": "",
        "age": "",
        "highest_education": "",
        "marital_status": "",
        "answers": "{}",
        "anonymised_at_0": "",
        "anonymised_at_1": "",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    "changes",
    [
        {"initials": "S.", "age": "27"},
        {"gender": "vrouw"},
        {"highest_education": "HBO", "marital_status": "gehuwd"},
    ],
)
def test_monitor_demographics_without_consent_are_refused(officer_client, changes):
    subject, trajectory = f.DataSubjectFactory(), f.TrajectoryFactory()
    body = _refused(
        officer_client.post(
            en("admin:subjects_coachingmonitorparticipation_add"),
            _monitor_form(subject, trajectory, **changes),
        )
    )
    assert "demographics in the Coaching Monitor" in body
    assert not CoachingMonitorParticipation.objects.exists()


def test_monitor_research_use_without_consent_is_refused(officer_client):
    subject, trajectory = f.DataSubjectFactory(), f.TrajectoryFactory()
    f.ConsentFactory(subject=subject, purpose="monitor-demographics")  # another purpose
    body = _refused(
        officer_client.post(
            en("admin:subjects_coachingmonitorparticipation_add"),
            _monitor_form(subject, trajectory, research_consent="on"),
        )
    )
    assert "anonymised research with Coaching Monitor answers" in body
    assert not CoachingMonitorParticipation.objects.exists()
    f.ConsentFactory(subject=subject, purpose="monitor-research")
    response = officer_client.post(
        en("admin:subjects_coachingmonitorparticipation_add"),
        _monitor_form(subject, trajectory, research_consent="on", initials="S."),
    )
    assert response.status_code == 302
    assert CoachingMonitorParticipation.objects.get().research_consent


# E2Grow: visible to colleagues only by opt-in -----------------------------------------


def test_an_e2grow_profile_is_visible_to_colleagues_only_with_consent(officer_client):
    account = f.E2GrowAccountFactory()
    assert not account.profile_visible_to_colleagues
    data = {
        "subject": str(account.subject_id),
        "external_id": account.external_id,
        **_now_split("created_at"),
        "results": "{}",
        "deletion_requested_at_0": "",
        "deletion_requested_at_1": "",
        "company_name": "Gemeente",
        "job_title": "Trainee",
        "number_of_employees": "",
        "profile_visible_to_colleagues": "on",
    }
    body = _refused(
        officer_client.post(en("admin:subjects_e2growaccount_change", account.pk), data)
    )
    assert "E2Grow profile visible to colleagues" in body
    assert not E2GrowAccount.objects.get(pk=account.pk).profile_visible_to_colleagues


# MeetIn referral: the active MeetIn consent of this person -----------------------------


def _referral_form(subject, consent) -> dict[str, str]:
    return {
        "subject": str(subject.pk),
        "consent": str(consent.pk),
        "company_name": "Gemeente Berkelland",
        **_now_split("created_at"),
    }


def test_a_referral_on_a_withdrawn_consent_is_refused(officer_client):
    consent = f.ConsentFactory(purpose="meetin")
    Consent.objects.filter(pk=consent.pk).update(withdrawn_at=timezone.now())
    body = _refused(
        officer_client.post(
            en("admin:subjects_studytripreferral_add"), _referral_form(consent.subject, consent)
        )
    )
    assert "active consent for passing details to MeetIn." in body
    assert not StudyTripReferral.objects.exists()


@pytest.mark.parametrize("other", ["purpose", "person"])
def test_a_referral_on_another_consent_is_refused(officer_client, other):
    subject = f.DataSubjectFactory()
    if other == "purpose":
        consent = f.ConsentFactory(subject=subject, purpose="newsletter")
    else:
        consent = f.ConsentFactory(purpose="meetin")
    body = _refused(
        officer_client.post(
            en("admin:subjects_studytripreferral_add"), _referral_form(subject, consent)
        )
    )
    assert "active consent for passing details to MeetIn" in body
    assert not StudyTripReferral.objects.exists()


def test_a_referral_on_the_persons_active_meetin_consent_is_saved(officer_client):
    consent = f.ConsentFactory(purpose="meetin")
    response = officer_client.post(
        en("admin:subjects_studytripreferral_add"), _referral_form(consent.subject, consent)
    )
    assert response.status_code == 302
    assert StudyTripReferral.objects.get().shared_at is None


# Newsletter: consent for non-clients, soft opt-in only for a client --------------------


def _subscription_form(subject, **changes) -> dict[str, str]:
    data = {
        "subject": str(subject.pk),
        "basis": NewsletterSubscription.Basis.CONSENT,
        "sale": "",
        "first_name": "",
        "language": "nl",
    }
    data.update(changes)
    return data


def test_a_subscription_by_consent_without_consent_is_refused(officer_client):
    subject = f.DataSubjectFactory()
    body = _refused(
        officer_client.post(
            en("admin:subjects_newslettersubscription_add"), _subscription_form(subject)
        )
    )
    assert "A newsletter for someone who is not a client needs their consent." in body
    assert not NewsletterSubscription.objects.exists()


def test_a_subscription_by_consent_with_consent_waits_for_the_double_opt_in(staff_client):
    from django.core import mail

    from subjects.newsletter import newsletter_confirm

    subject = f.DataSubjectFactory()
    consent = f.ConsentFactory(subject=subject, purpose="newsletter")
    response = staff_client.post(
        en("admin:subjects_newslettersubscription_add"), _subscription_form(subject)
    )
    assert response.status_code == 302
    subscription = NewsletterSubscription.objects.get()
    assert (subscription.email, subscription.basis) == (subject.email, "consent")
    assert subscription.is_pending and not subscription.is_active
    assert subscription.consent_text_id == consent.text_id
    (message,) = mail.outbox
    assert message.to == [subject.email] and "List-Unsubscribe" in message.extra_headers
    link = next(line for line in message.body.splitlines() if "/bevestigen/" in line)
    outcome = newsletter_confirm(token=link.strip().rstrip("/").rsplit("/", 1)[-1])
    assert outcome.result == "confirmed" and outcome.subscription.subject == subject
    assert outcome.subscription.is_active
    # The consent staff recorded is the proof; confirming adds none.
    assert list(subject.consents.values_list("pk", flat=True)) == [consent.pk]


def test_the_soft_opt_in_for_a_trainee_is_refused(officer_client):
    trainee = f.SubjectRoleFactory(category=SubjectCategory.objects.get(key="trainee")).subject
    invoice = f.InvoiceFactory(subject=trainee)
    body = _refused(
        officer_client.post(
            en("admin:subjects_newslettersubscription_add"),
            _subscription_form(trainee, basis="soft-opt-in", sale=str(invoice.pk)),
        )
    )
    assert "The soft opt-in is only for a current client who bought a service themselves" in body
    assert not NewsletterSubscription.objects.exists()


def test_the_soft_opt_in_names_its_sale(officer_client):
    client = f.SubjectRoleFactory().subject
    body = _refused(
        officer_client.post(
            en("admin:subjects_newslettersubscription_add"),
            _subscription_form(client, basis="soft-opt-in"),
        )
    )
    assert "Name the sale the soft opt-in rests on." in body
    assert not NewsletterSubscription.objects.exists()


def test_the_soft_opt_in_for_a_client_goes_through_its_service(officer_client, officer):
    client = f.SubjectRoleFactory().subject
    invoice = f.InvoiceFactory(subject=client)
    before = timezone.now()
    response = officer_client.post(
        en("admin:subjects_newslettersubscription_add"),
        _subscription_form(client, basis="soft-opt-in", sale=str(invoice.pk)),
    )
    assert response.status_code == 302
    subscription = NewsletterSubscription.objects.get()
    assert (subscription.basis, subscription.sale, subscription.email) == (
        "soft-opt-in",
        invoice,
        client.email,
    )
    assert subscription.opt_out_offered_at >= before
    assert subscription.token_hash
    assert AuditEvent.objects.get(action="newsletter.soft-opt-in").actor == officer
