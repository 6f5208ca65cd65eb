"""Consent withdrawal (Art. 7(3)): consent-only fields of activities that otherwise rest
on a contract are blanked, and legal holds keep rows, restricted, as in an erasure."""

from __future__ import annotations

import pytest
from django.utils import translation

from processing.models import Consent, ProcessingActivity
from requests_dsar.fulfilment.consent import CONSENT, consent_only_fields, consent_withdraw
from requests_dsar.models import DsarRequest
from retention.models import LegalHold
from subjects.models import (
    E2GrowAccount,
    StudyTripReferral,
    TraineeProfile,
)
from subjects.registry import registry
from tests import factories as f

pytestmark = pytest.mark.django_db


def _withdrawal(subject, *keys: str) -> DsarRequest:
    dsar = DsarRequest.objects.create(
        reference=f"V-C{subject.pk:06d}",
        request_type="consent-withdrawal",
        name="x",
        email=subject.email,
        status="in-progress",
        activities=list(keys),
    )
    dsar.subjects.add(subject)
    return dsar


def test_withdrawing_the_allergy_consent_through_the_dashboard_blanks_the_allergies(person, desk):
    profile = f.TraineeProfileFactory(
        participation__participant__email="lotte@example.nl", allergies="pinda"
    )
    subject = profile.participation.participant
    lotte = person("lotte@example.nl")
    lotte.submit("consent-withdrawal", consents=["traineeship-participants"])
    lotte.verify()
    dsar = DsarRequest.objects.get()
    desk.act(dsar, "withdraw-consent")
    profile = TraineeProfile.objects.get(pk=profile.pk)  # the contract keeps the profile
    assert profile.allergies == ""
    assert profile.job_title == "Junior beleidsmedewerker"
    assert Consent.objects.get(subject=subject).withdrawn_at is not None


def test_withdrawing_the_monitor_consent_blanks_the_demographics_but_keeps_the_answers():
    participation = f.CoachingMonitorParticipationFactory()
    other = f.CoachingMonitorParticipationFactory()
    consent_withdraw(actor=None, request=_withdrawal(participation.subject, "coaching-monitor"))
    participation.refresh_from_db()
    assert (
        participation.initials,
        participation.gender,
        participation.age,
        participation.highest_education,
        participation.marital_status,
    ) == ("", "", None, "", "")
    assert participation.answers == {"q1": 4, "q2": 5}
    assert participation.subject_id is not None
    other.refresh_from_db()
    assert other.initials == "S." and other.age == 27  # someone else's stays


def test_withdrawing_the_e2grow_consent_hides_the_profile_from_colleagues():
    account = f.E2GrowAccountFactory(profile_visible_to_colleagues=True)
    assert account.profile_visible_to_colleagues
    consent_withdraw(actor=None, request=_withdrawal(account.subject, "e2grow"))
    account = E2GrowAccount.objects.get(pk=account.pk)
    assert not account.profile_visible_to_colleagues
    assert account.company_name == "Gemeente Oost Gelre"


def test_the_consent_only_fields_match_the_registry_and_the_register():
    for key, per_label in consent_only_fields().items():
        activity = ProcessingActivity.objects.get(key=key)
        bases = {b.code for b in activity.legal_bases.all()}
        assert CONSENT in bases and bases != {CONSENT}, key
        for label, blanks in per_label.items():
            entry = registry.get_by_label(label)
            assert entry.activity == key, label
            for name, value in blanks.items():
                field = entry.model._meta.get_field(name)
                if value is None:
                    assert field.null, name
                else:
                    field.clean(value, None)  # a value the field accepts


def _hold(subject) -> LegalHold:
    return f.LegalHoldFactory(subject=subject)


def test_a_legal_hold_keeps_consent_only_data_restricted_instead_of_erasing_it():
    referral = f.StudyTripReferralFactory()
    profile = f.TraineeProfileFactory(participation__participant=referral.subject)
    _hold(referral.subject)
    dsar = _withdrawal(referral.subject, "study-trips", "traineeship-participants")
    counts = consent_withdraw(actor=None, request=dsar)
    kept = StudyTripReferral.objects.get(pk=referral.pk)
    assert kept.restricted_at is not None
    assert kept.restriction_ground.startswith("Art. 17(3)(b)")
    assert "claim-2026" in kept.restriction_ground
    profile = TraineeProfile.objects.get(pk=profile.pk)
    assert profile.allergies == "Pinda's" and profile.restricted_at is not None
    assert counts["subjects.StudyTripReferral kept (legal hold)"] == 1


def test_without_a_hold_consent_only_data_is_erased():
    referral = f.StudyTripReferralFactory()
    consent_withdraw(actor=None, request=_withdrawal(referral.subject, "study-trips"))
    assert not StudyTripReferral.objects.filter(pk=referral.pk).exists()


def test_the_answer_after_a_hold_says_what_was_kept_and_on_which_ground_not_that_it_was_erased():
    from requests_dsar.fulfilment.answers import answer_draft

    referral = f.StudyTripReferralFactory()
    _hold(referral.subject)
    dsar = _withdrawal(referral.subject, "study-trips")
    DsarRequest.objects.filter(pk=dsar.pk).update(language="en")
    consent_withdraw(actor=None, request=dsar)
    answer = answer_draft(DsarRequest.objects.get(pk=dsar.pk))
    with translation.override("en"):
        name = str(registry.get(StudyTripReferral).verbose_name).capitalize()
    assert f"{name} (1): kept and restricted, because the law requires it: Dispute" in answer
    assert "erased" not in answer
    assert "claim-2026" not in answer  # the hold's readable name, not its key


def test_the_answer_lists_what_was_erased_and_the_consent_only_fields_removed():
    from requests_dsar.fulfilment.answers import answer_draft

    referral = f.StudyTripReferralFactory()
    f.TraineeProfileFactory(participation__participant=referral.subject)
    dsar = _withdrawal(referral.subject, "study-trips", "traineeship-participants")
    consent_withdraw(actor=None, request=dsar)
    answer = answer_draft(DsarRequest.objects.get(pk=dsar.pk))  # Dutch, the default
    name = str(registry.get(StudyTripReferral).verbose_name).capitalize()
    assert f"{name} (1): verwijderd." in answer
    with translation.override("nl"):
        allergies = str(TraineeProfile._meta.get_field("allergies").verbose_name)
    assert f"(1): wat op je toestemming rustte, is verwijderd ({allergies})." in answer
    assert "bewaard" not in answer


def test_the_answer_says_so_when_nothing_rested_on_the_consent_alone():
    from requests_dsar.fulfilment.answers import answer_draft

    subject = f.DataSubjectFactory()
    dsar = _withdrawal(subject, "study-trips")
    DsarRequest.objects.filter(pk=dsar.pk).update(language="en")
    consent_withdraw(actor=None, request=dsar)
    answer = answer_draft(DsarRequest.objects.get(pk=dsar.pk))
    study_trips = ProcessingActivity.objects.get(key="study-trips").tr("name", "en")
    assert f"We have withdrawn your consent for: {study_trips}." in answer
    assert "held no data about you that rested only on that consent" in answer


def test_a_withdrawal_is_carried_out_once():
    from django.core.exceptions import ValidationError

    referral = f.StudyTripReferralFactory()
    dsar = _withdrawal(referral.subject, "study-trips")
    consent_withdraw(actor=None, request=dsar)
    with pytest.raises(ValidationError):
        consent_withdraw(actor=None, request=dsar)


def test_withdrawing_the_newsletter_consent_stops_it_and_the_answer_says_so(officer):
    """The newsletter is stopped at once and deleted six weeks later: the answer and the
    erasure record say so, never that nothing rested on the consent."""
    from requests_dsar.fulfilment.answers import answer_draft

    subject = f.DataSubjectFactory(email="n@example.nl")
    subscription = f.NewsletterSubscriptionFactory(subject=subject)
    dsar = _withdrawal(subject, "newsletter")
    counts = consent_withdraw(actor=officer, request=dsar)
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is not None
    assert counts["newsletter"] == 1
    lines = {ln["model"]: ln for ln in dsar.erasure_record.lines}
    assert lines["subjects.NewsletterSubscription"]["action"] == "stop"
    draft = answer_draft(dsar)
    assert "geen gegevens" not in draft
    assert "Nieuwsbriefinschrijvingen: direct gestopt; wat we ervoor hebben" in draft
    assert "zes weken later verwijderd" in draft


def test_counts_of_a_withdrawal_are_summed_over_the_subjects(officer):
    first = f.DataSubjectFactory(email="n@example.nl")
    second = f.DataSubjectFactory(email="n.oud@example.nl")
    f.NewsletterSubscriptionFactory(subject=first)
    f.NewsletterSubscriptionFactory(subject=second)
    dsar = _withdrawal(first, "newsletter")
    dsar.subjects.add(second)
    counts = consent_withdraw(actor=officer, request=dsar)
    assert counts["newsletter"] == 2
    assert {ln["model"]: ln for ln in dsar.erasure_record.lines}["subjects.NewsletterSubscription"][
        "erased"
    ] == 2


def test_withdrawing_the_traineeship_consents_deletes_health_notes_and_keeps_the_others():
    from subjects.models import CoachingNote

    note = f.CoachingNoteFactory(mentions_health=True)
    plain = f.CoachingNoteFactory(participant=note.participant, trajectory=note.trajectory)
    consent_withdraw(actor=None, request=_withdrawal(note.participant, "traineeship-participants"))
    assert not CoachingNote.objects.filter(pk=note.pk).exists()
    assert CoachingNote.objects.filter(pk=plain.pk).exists()
    assert not Consent.objects.filter(
        subject=note.participant, purpose="coaching-health", withdrawn_at__isnull=True
    ).exists()


def test_withdrawing_the_monitor_consents_ends_research_use():
    participation = f.CoachingMonitorParticipationFactory(research_consent=True)
    consent_withdraw(actor=None, request=_withdrawal(participation.subject, "coaching-monitor"))
    participation.refresh_from_db()
    assert participation.research_consent is False
    assert participation.initials == ""


def test_recipients_are_asked_what_the_withdrawal_means_there_as_on_the_consent_page():
    from requests_dsar.models import RecipientTask

    account = f.E2GrowAccountFactory(profile_visible_to_colleagues=True)
    referral = f.StudyTripReferralFactory(subject=account.subject)  # not passed on yet
    consent_withdraw(actor=None, request=_withdrawal(account.subject, "e2grow", "study-trips"))
    tasks = {t.recipient.key: t.instruction for t in RecipientTask.objects.all()}
    assert set(tasks) == {"e2grow"}  # MeetIn never received the referral
    assert "verbergen" in tasks["e2grow"] and "verwijderen" not in tasks["e2grow"]
    assert not StudyTripReferral.objects.filter(pk=referral.pk).exists()
