"""Rectification (Art. 16): only a real change counts as carried out,
"no correction needed" is recorded with its reason, trainee profiles can be corrected
too, and only the recipients of the data that changed are told (Art. 19)."""

from __future__ import annotations

import pytest

from processing.models import Recipient
from requests_dsar.models import DsarRequest, RecipientTask
from subjects.models import AuditEvent
from tests import factories as f

pytestmark = pytest.mark.django_db


def _request(person, email: str) -> DsarRequest:
    requester = person(email)
    requester.submit("rectification", details="Mijn functie klopt niet meer.")
    requester.verify()
    return DsarRequest.objects.get()


def _subject_form(subject, **changes) -> dict:
    prefix = f"s{subject.pk}"
    fields = {
        "subject_id": subject.pk,
        "first_name": subject.first_name,
        "last_name": subject.last_name,
        "email": subject.email,
        "phone": subject.phone,
        "street_address": subject.street_address,
        "postcode": subject.postcode,
        "city": subject.city,
        "language": subject.language,
        **changes,
    }
    return {"prefix": prefix, **{f"{prefix}-{k}": v for k, v in fields.items()}}


def _profile_form(profile, **changes) -> dict:
    prefix = f"p{profile.pk}"
    fields = {
        "profile_id": profile.pk,
        "job_title": profile.job_title,
        "education": profile.education,
        "work_experience": profile.work_experience,
        **changes,
    }
    return {"prefix": prefix, **{f"{prefix}-{k}": v for k, v in fields.items()}}


def _draft(desk, dsar) -> str:
    page = desk.client.get(f"/staff/requests/{dsar.pk}/")
    return page.context["forms"]["complete"].initial["answer"]


@pytest.fixture
def trainee():
    profile = f.TraineeProfileFactory(
        participation__participant__email="trainee@example.nl", job_title="Stagiair"
    )
    f.InvoiceFactory(subject=profile.participation.participant)
    return profile


def test_a_form_sent_back_unchanged_is_refused_and_claims_nothing(person, desk, trainee):
    dsar = _request(person, "trainee@example.nl")
    subject = trainee.participation.participant
    errors = desk.errors_after(dsar, "rectify", **_subject_form(subject))
    assert any("Er is niets gewijzigd" in e for e in errors), errors
    errors = desk.errors_after(dsar, "rectify-profile", **_profile_form(trainee))
    assert any("Er is niets gewijzigd" in e for e in errors), errors
    dsar.refresh_from_db()
    assert dsar.fulfilled_at is None and dsar.corrections == []
    assert not RecipientTask.objects.filter(request=dsar).exists()
    assert "verbeterd zoals je vroeg" not in _draft(desk, dsar)
    assert "Het recht is nog niet uitgevoerd." in desk.errors_after(dsar, "complete", answer="x")


def test_no_correction_needed_is_recorded_with_its_reason_and_answered_so(person, desk, trainee):
    dsar = _request(person, "trainee@example.nl")
    errors = desk.errors_after(dsar, "no-change", reason="  ")
    assert errors and DsarRequest.objects.get().fulfilled_at is None
    desk.act(dsar, "no-change", reason="Je functie is in ons systeem al Projectleider.")
    dsar.refresh_from_db()
    assert dsar.fulfilled_at is not None
    assert dsar.events.filter(action="rectification-not-needed").exists()
    assert not RecipientTask.objects.filter(request=dsar).exists()
    draft = desk.complete(dsar)
    assert (
        "We hebben je persoonsgegevens gecontroleerd en niet gewijzigd, omdat: "
        "Je functie is in ons systeem al Projectleider." in draft
    )
    assert "verbeterd zoals je vroeg" not in draft


def test_a_trainee_profile_is_corrected_and_only_the_programme_s_recipients_are_told(
    person, desk, trainee
):
    dsar = _request(person, "trainee@example.nl")
    desk.act(dsar, "rectify-profile", **_profile_form(trainee, job_title="Projectleider"))
    trainee.refresh_from_db()
    assert trainee.job_title == "Projectleider"
    event = AuditEvent.objects.get(action="trainee-profile.update")
    assert event.changed_fields == ["job_title"]
    assert event.subject == trainee.participation.participant
    assert event.actor.username == "officer"
    told = set(RecipientTask.objects.filter(request=dsar).values_list("recipient", flat=True))
    programme = set(
        Recipient.objects.filter(activities__key="traineeship-participants").values_list(
            "pk", flat=True
        )
    )
    invoicing = set(
        Recipient.objects.filter(activities__key="invoicing").values_list("pk", flat=True)
    )
    assert told == programme
    assert not (told & (invoicing - programme))
    for task in dsar.recipient_tasks.all():
        desk.act(dsar, "task", task_id=task.pk, state="done", reason="")
    draft = desk.complete(dsar)
    assert "We hebben je persoonsgegevens verbeterd zoals je vroeg:" in draft
    assert "vroeg:\n- Deelnemersprofielen: functie\n" in draft
    assert "Projectleider" not in draft  # the answer names fields, not values


def test_a_corrected_name_is_named_in_the_answer(person, desk):
    subject = f.DataSubjectFactory(email="sanne@example.nl", last_name="de Vris")
    dsar = _request(person, "sanne@example.nl")
    desk.act(dsar, "rectify", **_subject_form(subject, last_name="de Vries"))
    dsar.refresh_from_db()
    assert dsar.corrections == [{"model": "subjects.DataSubject", "fields": ["last_name"]}]
    # Once corrected, "no correction needed" no longer fits.
    assert desk.errors_after(dsar, "no-change", reason="Klopte al")
    draft = _draft(desk, dsar)
    assert "verbeterd zoals je vroeg:\n- Je persoonlijke gegevens: achternaam" in draft


def test_a_profile_of_someone_not_linked_cannot_be_corrected(person, desk, trainee):
    other = f.TraineeProfileFactory(participation__participant__email="ander@example.nl")
    dsar = _request(person, "trainee@example.nl")
    form = _profile_form(other, job_title="Directeur")
    form[f"p{other.pk}-profile_id"] = other.pk
    errors = desk.errors_after(dsar, "rectify-profile", **form)
    assert any("niet aan het verzoek gekoppeld" in e for e in errors), errors
    other.refresh_from_db()
    assert other.job_title != "Directeur"


def test_staff_may_record_no_change_and_an_outsider_may_not(
    person, staff_client, outsider_client, trainee
):
    dsar = _request(person, "trainee@example.nl")
    url = f"/staff/requests/{dsar.pk}/no-change/"
    assert outsider_client.post(url, {"reason": "x"}).status_code == 403
    assert DsarRequest.objects.get().fulfilled_at is None
    assert staff_client.post(url, {"reason": "Klopt al"}).status_code == 302
    assert DsarRequest.objects.get().fulfilled_at is not None


def test_a_profile_sent_back_with_only_other_line_endings_or_spaces_is_not_a_correction(
    person, desk
):
    """The browser sends "\r\n" where "\n" is stored, and the form strips the spaces a
    stored value may have around it: no correction is claimed for that."""
    profile = f.TraineeProfileFactory(
        participation__participant__email="trainee@example.nl",
        job_title="Stagiair ",
        education="HBO Bedrijfskunde\nMBO Handel",
        work_experience="Twee jaar winkel  \nEen jaar kantoor\n",
    )
    dsar = _request(person, "trainee@example.nl")
    form = _profile_form(
        profile,
        education="HBO Bedrijfskunde\r\nMBO Handel",
        work_experience="Twee jaar winkel\r\nEen jaar kantoor",
    )
    errors = desk.errors_after(dsar, "rectify-profile", **form)
    assert any("Er is niets gewijzigd" in e for e in errors), errors
    dsar.refresh_from_db()
    assert dsar.fulfilled_at is None and dsar.corrections == []
    # A real change among them is still a correction, of that field only.
    desk.act(dsar, "rectify-profile", **{**form, f"p{profile.pk}-job_title": "Projectleider"})
    dsar.refresh_from_db()
    assert dsar.corrections == [{"model": "subjects.TraineeProfile", "fields": ["job_title"]}]
