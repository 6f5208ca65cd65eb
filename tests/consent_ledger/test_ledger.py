"""The consent ledger proves what each person agreed to: the wording version and its
language, given when and how; wording people agreed to never changes (a new version is
made instead); withdrawal, whichever way it is recorded, removes at once what rested on
the consent and tells the recipients that hold a copy (Art. 19)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from processing.models import Consent, ConsentMethod, ConsentText
from requests_dsar.models import RecipientTask
from subjects import models as m
from subjects.consents import consent_give, consent_withdraw
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_consent_records_the_wording_version_language_and_how_it_was_given():
    subject = f.DataSubjectFactory()
    consent = consent_give(
        subject=subject,
        purpose="newsletter",
        method=ConsentMethod.WEB_FORM,
        via="brochure-form",
        language="en",
    )
    assert consent.text == ConsentText.objects.current("newsletter")
    assert (consent.purpose, consent.activity.key, consent.language) == (
        "newsletter",
        "newsletter",
        "en",
    )
    assert consent.given_via == "brochure-form"
    assert consent.given_via_display == "brochureformulier"
    assert m.AuditEvent.objects.filter(subject=subject, action="consent.give").exists()


def test_giving_an_active_consent_again_records_nothing_more():
    subject = f.DataSubjectFactory()
    first = consent_give(subject=subject, purpose="meetin", method="web-form", via="form")
    again = consent_give(subject=subject, purpose="meetin", method="web-form", via="form")
    assert first == again and Consent.objects.count() == 1


def test_a_consent_recorded_by_staff_names_the_document():
    subject = f.DataSubjectFactory()
    with pytest.raises(ValidationError) as caught:
        consent_give(subject=subject, purpose="allergies", method=ConsentMethod.PAPER, via="")
    assert "given_via" in caught.value.message_dict
    assert not Consent.objects.exists()


def test_wording_someone_agreed_to_cannot_be_edited_but_a_new_version_can_be_made():
    consent = f.ConsentFactory(purpose="newsletter")
    text = ConsentText.objects.get(pk=consent.text_id)
    assert text.is_frozen and text.frozen_at is not None
    original = text.text_nl
    text.text_nl = "Iets heel anders."
    with pytest.raises(ValidationError):
        text.full_clean()
    with pytest.raises(ValidationError):
        text.save()
    assert ConsentText.objects.get(pk=text.pk).text_nl == original
    newer = ConsentText.objects.create(
        activity=text.activity,
        purpose=text.purpose,
        version=text.version + 1,
        text_nl="Nieuwe tekst.",
        text_en="New wording.",
    )
    assert ConsentText.objects.current("newsletter") == newer
    consent.refresh_from_db()
    assert consent.text_id == text.pk  # the old consent keeps its own wording


def test_published_wording_is_frozen_even_before_anyone_agreed_and_a_draft_is_not():
    from processing.consent_texts import consent_text_new_version

    published = ConsentText.objects.get(purpose="brochure-call", version=1)
    assert not Consent.objects.filter(text=published).exists()
    published.text_en = "Yes, you may call me within 3 months."
    with pytest.raises(ValidationError):
        published.save()
    draft = consent_text_new_version(actor=None, text=published)
    assert not draft.is_frozen
    draft.text_en = "Yes, you may call me within 3 months."
    draft.full_clean()
    draft.save()
    assert ConsentText.objects.current("brochure-call") == published  # drafts are not shown


def test_the_wording_migration_froze_every_version_in_use():
    from importlib import import_module

    from django.apps import apps

    consent = f.ConsentFactory(purpose="allergies")
    ConsentText.objects.filter(pk=consent.text_id).update(frozen_at=None)
    import_module("processing.migrations.0004_intake_register").intake_register(apps, None)
    assert ConsentText.objects.get(pk=consent.text_id).frozen_at is not None
    assert ConsentText.objects.get(purpose="coaching-health", version=1).frozen_at is None


def _withdraw(subject, purpose, method=ConsentMethod.STAFF):
    return consent_withdraw(
        consents=list(Consent.objects.filter(subject=subject, purpose=purpose)),
        actor=None,
        method=method,
        via="test",
    )


def test_withdrawing_the_allergy_consent_blanks_the_allergies_at_once():
    profile = f.TraineeProfileFactory(allergies="Pinda's")
    subject = profile.participation.participant
    result = _withdraw(subject, "allergies")
    profile.refresh_from_db()
    assert profile.allergies == "" and profile.job_title
    assert result.consents == 1 and result.rows["subjects.TraineeProfile blanked"] == 1
    consent = Consent.objects.get(subject=subject, purpose="allergies")
    assert consent.withdrawn_at and consent.withdrawn_method == ConsentMethod.STAFF
    assert m.AuditEvent.objects.filter(subject=subject, action="consent.withdraw").exists()


def test_withdrawing_research_consent_ends_research_use_and_tells_the_coaching_monitor():
    participation = f.CoachingMonitorParticipationFactory(research_consent=True)
    result = _withdraw(participation.subject, "monitor-research")
    participation.refresh_from_db()
    assert participation.research_consent is False
    assert participation.initials == "S."  # the demographics rest on another consent
    assert [t.recipient.key for t in result.tasks] == ["coaching-monitor"]
    task = RecipientTask.objects.get()
    assert task.request is None and task.consent.purpose == "monitor-research"


def test_withdrawing_e2grow_visibility_hides_the_profile_and_tells_e2grow():
    account = f.E2GrowAccountFactory(profile_visible_to_colleagues=True)
    result = _withdraw(account.subject, "e2grow-visibility")
    account.refresh_from_db()
    assert account.profile_visible_to_colleagues is False
    assert [t.recipient.key for t in result.tasks] == ["e2grow"]


def test_withdrawing_the_meetin_consent_deletes_referrals_and_asks_meetin_only_when_passed_on():
    waiting = f.StudyTripReferralFactory()
    result = _withdraw(waiting.subject, "meetin")
    assert not m.StudyTripReferral.objects.exists()
    assert result.tasks == []
    passed = f.StudyTripReferralFactory(shared_at=timezone.now())
    result = _withdraw(passed.subject, "meetin")
    assert not m.StudyTripReferral.objects.exists()
    assert [t.recipient.key for t in result.tasks] == ["meetin"]


def test_withdrawing_the_health_consent_deletes_the_notes_with_health_information_only():
    health = f.CoachingNoteFactory(mentions_health=True)
    other = f.CoachingNoteFactory(participant=health.participant, trajectory=health.trajectory)
    _withdraw(health.participant, "coaching-health")
    assert list(m.CoachingNote.objects.all()) == [other]


def test_withdrawing_the_newsletter_consent_stops_it_and_suppresses_the_address():
    from subjects.suppression import address_is_suppressed

    subscription = f.NewsletterSubscriptionFactory()
    result = _withdraw(subscription.subject, "newsletter", ConsentMethod.PREFERENCES)
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is not None and result.newsletter_stopped == 1
    assert address_is_suppressed(subscription.email)
    assert [t.recipient.key for t in result.tasks] == ["mailchimp"]


def test_another_active_consent_for_the_same_purpose_keeps_the_data():
    profile = f.TraineeProfileFactory(allergies="Pinda's")
    subject = profile.participation.participant
    older = Consent.objects.get(subject=subject)
    f.ConsentFactory(subject=subject, purpose="allergies")
    consent_withdraw(consents=[older], actor=None, method=ConsentMethod.STAFF)
    profile.refresh_from_db()
    assert profile.allergies == "Pinda's"


def test_withdrawing_twice_changes_nothing_more():
    profile = f.TraineeProfileFactory(allergies="Pinda's")
    subject = profile.participation.participant
    _withdraw(subject, "allergies")
    again = _withdraw(subject, "allergies")
    assert again.consents == 0
    assert m.AuditEvent.objects.filter(action="consent.withdraw").count() == 1


def test_a_legal_hold_on_the_person_keeps_the_data_restricted_instead():
    profile = f.TraineeProfileFactory(allergies="Pinda's")
    subject = profile.participation.participant
    f.LegalHoldFactory(subject=subject)
    _withdraw(subject, "allergies")
    profile.refresh_from_db()
    assert profile.allergies == "Pinda's" and profile.restricted_at is not None
    assert "claim-2026" in profile.restriction_ground


def test_an_access_answer_finds_the_suppression_entry_of_the_address():
    from requests_dsar.fulfilment.access import access_report_data
    from subjects.suppression import address_suppress
    from tests.requests_dsar.factories import verified_request

    address_suppress(email="weg@example.nl", reason=m.SuppressedAddress.Reason.OBJECTED)
    address_suppress(email="ander@example.nl", reason=m.SuppressedAddress.Reason.OBJECTED)
    data = access_report_data(verified_request(email="weg@example.nl"))
    sections = [s for s in data["data"] if s["model"] == "subjects.SuppressedAddress"]
    assert len(sections) == 1 and len(sections[0]["rows"]) == 1
    assert sections[0]["activity"] == "suppression-list"
    assert "suppression-list" in {a["key"] for a in data["processing"]}


def test_withdrawing_the_call_consent_removes_the_phone_number_of_the_brochure_request():
    request = f.BrochureRequestFactory(phone="0612345678")
    result = _withdraw(request.subject, "brochure-call", ConsentMethod.PREFERENCES)
    request.refresh_from_db()
    assert request.phone == "" and request.email  # the brochure request itself stays
    assert result.rows["subjects.BrochureRequest blanked"] == 1
    assert not request.may_be_called


def test_each_recipient_holding_a_copy_is_asked_for_what_the_withdrawal_means_there():
    profile = f.TraineeProfileFactory(allergies="Pinda's")
    allergies = _withdraw(profile.participation.participant, "allergies")
    assert [t.recipient.key for t in allergies.tasks] == ["trainers-coaches"]
    assert "allergie" in allergies.tasks[0].instruction  # in Dutch, the staff's language
    participation = f.CoachingMonitorParticipationFactory()
    demographics = _withdraw(participation.subject, "monitor-demographics")
    assert [t.recipient.key for t in demographics.tasks] == ["coaching-monitor"]
    account = f.E2GrowAccountFactory(profile_visible_to_colleagues=True)
    visibility = _withdraw(account.subject, "e2grow-visibility")
    assert "verberg" in visibility.tasks[0].instruction.lower()


def test_the_rights_form_offers_every_consent_still_asked_and_not_the_retired_2020_ones():
    from requests_dsar.forms import PublicRequestForm

    offered = {key for key, _label in PublicRequestForm().fields["consents"].choices}
    assert "contact-form" not in offered  # answering rests on the request now
    assert {"newsletter", "brochure", "traineeship-participants", "e2grow"} <= offered


def test_the_rights_form_says_a_choice_covers_every_wording_and_points_to_the_consent_page(
    client,
):
    page = client.get("/verzoek/").content.decode()
    scope = page.split('id="consents-scope"')[1].split("</div>")[0]
    assert 'href="/toestemmingen/"' in scope
