"""Withdrawing a consent on the consent page takes effect at once: the data resting on it
is blanked or deleted for each purpose, the newsletter stops and the address is
suppressed, a recipient holding a copy gets an Art. 19 task, and the confirmation page
says exactly that, in the person's language. Another person's consent cannot be touched."""

from __future__ import annotations

import pytest
from django.utils import timezone, translation
from django.utils.text import capfirst

from processing.models import Consent, ConsentMethod
from requests_dsar.models import RecipientTask
from subjects import models as m
from subjects.models import AuditEvent
from subjects.newsletter import audience_rows
from subjects.suppression import address_is_suppressed
from tests import factories as f

pytestmark = pytest.mark.django_db


def _consent(subject, purpose: str) -> Consent:
    return Consent.objects.get(subject=subject, purpose=purpose, withdrawn_at__isnull=True)


def _withdraw(visitor, consent: Consent, prefix: str = "/en") -> str:
    person = visitor()
    manage = person.open_page()
    response = person.withdraw(f"{prefix}{manage}", consent)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert consent.withdrawn_method == ConsentMethod.PREFERENCES
    assert consent.withdrawn_via == "consent-page"
    assert consent.withdrawn_by is None
    return response.content.decode()


def _tasks(recipient_key: str) -> list[RecipientTask]:
    return list(RecipientTask.objects.filter(recipient__key=recipient_key, request=None))


def test_withdrawing_allergies_blanks_them_on_the_trainee_profile(visitor, sanne):
    participation = f.TrajectoryParticipantFactory(participant=sanne)
    profile = f.TraineeProfileFactory(participation=participation)
    html = _withdraw(visitor, _consent(sanne, "allergies"))
    profile.refresh_from_db()
    assert profile.allergies == ""
    assert profile.job_title == "Junior beleidsmedewerker"  # rests on the traineeship
    assert "Trainee profile: allergies removed." in html
    assert AuditEvent.objects.filter(action="consent.withdraw", subject=sanne).exists()


def test_withdrawing_monitor_demographics_blanks_them(visitor, sanne):
    participation = f.CoachingMonitorParticipationFactory(subject=sanne)
    html = _withdraw(visitor, _consent(sanne, "monitor-demographics"))
    participation.refresh_from_db()
    assert (participation.initials, participation.gender, participation.age) == ("", "", None)
    assert participation.highest_education == participation.marital_status == ""
    assert participation.answers == {"q1": 4, "q2": 5}
    assert "Coaching Monitor participation: initials, gender, age" in html


def test_withdrawing_monitor_research_switches_it_off_and_tells_the_coaching_monitor(
    visitor, sanne
):
    participation = f.CoachingMonitorParticipationFactory(subject=sanne, research_consent=True)
    html = _withdraw(visitor, _consent(sanne, "monitor-research"))
    participation.refresh_from_db()
    assert participation.research_consent is False
    assert participation.gender == "vrouw"  # the demographics consent still stands
    assert len(_tasks("coaching-monitor")) == 1
    assert "consent for anonymised research switched off" in html
    assert "Coaching Monitor holds a copy of this data" in html


def test_withdrawing_e2grow_visibility_hides_the_profile_and_tells_e2grow(visitor, sanne):
    account = f.E2GrowAccountFactory(subject=sanne, profile_visible_to_colleagues=True)
    html = _withdraw(visitor, _consent(sanne, "e2grow-visibility"))
    account.refresh_from_db()
    assert account.profile_visible_to_colleagues is False
    assert len(_tasks("e2grow")) == 1
    assert "E2Grow account: profile visible to colleagues switched off." in html
    assert "E2Grow holds a copy" in html


def test_withdrawing_meetin_deletes_a_referral_not_yet_passed_on_without_a_task(visitor, sanne):
    referral = f.StudyTripReferralFactory(subject=sanne)
    html = _withdraw(visitor, referral.consent)
    assert not m.StudyTripReferral.objects.filter(pk=referral.pk).exists()
    assert _tasks("meetin") == []
    assert "Study trip referral: deleted." in html
    assert "MeetIn holds a copy" not in html


def test_withdrawing_meetin_after_the_referral_was_passed_on_asks_meetin_to_act(visitor, sanne):
    referral = f.StudyTripReferralFactory(subject=sanne, shared_at=timezone.now())
    html = _withdraw(visitor, referral.consent)
    assert not m.StudyTripReferral.objects.filter(pk=referral.pk).exists()
    [task] = _tasks("meetin")
    assert task.consent_id == referral.consent_id
    assert "MeetIn holds a copy of this data" in html


def test_withdrawing_health_in_coaching_deletes_the_notes_that_mention_health(visitor, sanne):
    health = f.CoachingNoteFactory(participant=sanne, mentions_health=True)
    other = f.CoachingNoteFactory(participant=sanne, mentions_health=False)
    html = _withdraw(visitor, _consent(sanne, "coaching-health"))
    assert not m.CoachingNote.objects.filter(pk=health.pk).exists()
    assert m.CoachingNote.objects.filter(pk=other.pk).exists()
    assert "Coaching note: deleted." in html


def test_withdrawing_the_newsletter_stops_it_and_suppresses_the_address(visitor, sanne):
    subscription = f.NewsletterSubscriptionFactory(subject=sanne)
    assert subscription in audience_rows()
    html = _withdraw(visitor, _consent(sanne, "newsletter"))
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is not None
    assert subscription not in audience_rows()
    assert address_is_suppressed("sanne@example.nl")
    assert "The newsletter stopped at once" in html
    assert "Mailchimp holds a copy" in html


def test_a_consent_with_nothing_resting_on_it_says_so(visitor, sanne):
    consent = f.ConsentFactory(subject=sanne, purpose="video-recording")
    html = _withdraw(visitor, consent)
    assert "No other data of yours rested on this consent" in html


def test_the_confirmation_is_in_the_language_of_the_page(visitor, sanne):
    participation = f.TrajectoryParticipantFactory(participant=sanne)
    f.TraineeProfileFactory(participation=participation)
    html = _withdraw(visitor, _consent(sanne, "allergies"), prefix="")
    assert '<html lang="nl">' in html
    with translation.override("nl"):
        profile = capfirst(str(m.TraineeProfile._meta.verbose_name))
        allergies = str(m.TraineeProfile._meta.get_field("allergies").verbose_name)
    assert profile != "Trainee profile"
    assert f"{profile}: {allergies}" in html


def test_under_a_legal_hold_the_data_is_kept_restricted_and_the_page_says_why(visitor, sanne):
    f.LegalHoldFactory(subject=sanne)
    participation = f.TrajectoryParticipantFactory(participant=sanne)
    profile = f.TraineeProfileFactory(participation=participation)
    html = _withdraw(visitor, _consent(sanne, "allergies"))
    profile.refresh_from_db()
    assert profile.allergies == "Pinda's"
    assert profile.restricted_at is not None
    assert "Trainee profile: kept, but no longer used (restricted)" in html


def test_withdrawing_twice_changes_nothing_more(visitor, sanne):
    consent = f.ConsentFactory(subject=sanne, purpose="meetin")
    person = visitor()
    manage = person.open_page()
    person.withdraw(manage, consent)
    consent.refresh_from_db()
    first = consent.withdrawn_at
    again = person.withdraw(f"/en{manage}", consent)
    assert again.status_code == 200
    assert "was already withdrawn" in again.content.decode()
    consent.refresh_from_db()
    assert consent.withdrawn_at == first
    assert AuditEvent.objects.filter(action="consent.withdraw").count() == 1


def test_another_persons_consent_gives_404_and_changes_nothing(visitor, sanne, other_person):
    f.ConsentFactory(subject=sanne, purpose="meetin")
    participation = f.TrajectoryParticipantFactory(participant=other_person)
    profile = f.TraineeProfileFactory(participation=participation)
    theirs = _consent(other_person, "allergies")
    person = visitor()
    manage = person.open_page()
    response = person.withdraw(manage, theirs)
    assert response.status_code == 404
    theirs.refresh_from_db()
    profile.refresh_from_db()
    assert theirs.withdrawn_at is None
    assert profile.allergies == "Pinda's"
    assert not AuditEvent.objects.filter(action="consent.withdraw").exists()


@pytest.mark.parametrize("value", ["", "abc", "-1", "0", "1.5", str(2**63), str(10**30), "1 OR 1"])
def test_a_manipulated_id_gives_404_never_a_500(visitor, sanne, value):
    f.ConsentFactory(subject=sanne, purpose="meetin")
    person = visitor()
    manage = person.open_page()
    assert person.client.post(f"{manage}intrekken/", {"consent": value}).status_code == 404
    assert person.client.post(f"{manage}afmelden/", {"subscription": value}).status_code == 404
    assert not Consent.objects.filter(withdrawn_at__isnull=False).exists()


def test_withdrawing_needs_the_csrf_token(visitor, sanne):
    from django.test import Client

    consent = f.ConsentFactory(subject=sanne, purpose="meetin")
    person = visitor()
    manage = person.open_page()
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(f"{manage}intrekken/", {"consent": consent.pk}).status_code == 403
    consent.refresh_from_db()
    assert consent.withdrawn_at is None
