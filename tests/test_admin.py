"""The Django admin: who may see and change what, and what each page costs."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from processing.models import ProcessingActivity
from subjects.models import AuditEvent, ContactMessage, DataSubject, Invoice
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(reverse("admin:subjects_datasubject_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_a_logged_in_outsider_is_sent_to_the_login_page(outsider_client):
    response = outsider_client.get(reverse("admin:subjects_traineeprofile_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_the_admin_speaks_dutch_by_default_and_english_on_request(officer_client):
    dutch = officer_client.get(reverse("admin:index"))
    assert "Leafspring privacybeheer" in dutch.content.decode()
    english = officer_client.get("/en/admin/")
    assert "Leafspring privacy administration" in english.content.decode()


def test_the_privacy_officer_sees_allergies(officer_client):
    profile = f.TraineeProfileFactory(allergies="Notenallergie")
    listing = officer_client.get(reverse("admin:subjects_traineeprofile_changelist"))
    form = officer_client.get(reverse("admin:subjects_traineeprofile_change", args=[profile.pk]))
    assert "Notenallergie" in listing.content.decode()
    assert "Notenallergie" in form.content.decode()


def test_staff_without_the_permission_do_not_see_allergies_or_coaching_notes(staff_client):
    profile = f.TraineeProfileFactory(allergies="Notenallergie")
    note = f.CoachingNoteFactory(content="Vertrouwelijk gesprek")
    pages = [
        reverse("admin:subjects_traineeprofile_changelist"),
        reverse("admin:subjects_traineeprofile_change", args=[profile.pk]),
        reverse("admin:subjects_coachingnote_changelist"),
        reverse("admin:subjects_coachingnote_change", args=[note.pk]),
    ]
    for page in pages:
        response = staff_client.get(page)
        assert response.status_code == 200, page
        body = response.content.decode()
        assert "Notenallergie" not in body
        assert "Vertrouwelijk gesprek" not in body


def test_staff_cannot_blank_hidden_allergies_by_saving_the_form(staff_client):
    profile = f.TraineeProfileFactory(allergies="Notenallergie", job_title="Trainee")
    url = reverse("admin:subjects_traineeprofile_change", args=[profile.pk])
    response = staff_client.post(
        url,
        {
            "participation": profile.participation_id,
            "job_title": "Trainee HR",
            "education": profile.education,
            "work_experience": profile.work_experience,
        },
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.job_title, profile.allergies) == ("Trainee HR", "Notenallergie")


def test_staff_can_read_the_register_but_not_change_it(staff_client):
    activity = ProcessingActivity.objects.get(key="newsletter")
    url = reverse("admin:processing_processingactivity_change", args=[activity.pk])
    assert staff_client.get(url).status_code == 200
    response = staff_client.post(url, {"name_nl": "Gewijzigd"})
    assert response.status_code == 403
    activity.refresh_from_db()
    assert activity.name_nl == "Nieuwsbrief"
    add = staff_client.get(reverse("admin:processing_recipient_add"))
    assert add.status_code == 403


def test_changes_made_in_the_admin_are_in_the_audit_trail(officer_client, officer):
    subject = f.DataSubjectFactory(phone="06 11111111")
    url = reverse("admin:subjects_datasubject_change", args=[subject.pk])
    data = {
        "first_name": subject.first_name,
        "last_name": subject.last_name,
        "email": subject.email,
        "phone": "06 22222222",
        "language": "nl",
        "street_address": "",
        "postcode": "",
        "city": "",
        "restriction_ground": "",
        "roles-TOTAL_FORMS": "0",
        "roles-INITIAL_FORMS": "0",
    }
    response = officer_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(subject=subject, action="admin.change")
    assert event.actor == officer
    assert event.changed_fields == ["phone"]
    assert "06 22222222" not in str(event.__dict__)


CHANGELISTS = {
    "subjects_datasubject": f.DataSubjectFactory,
    "subjects_subjectrole": f.SubjectRoleFactory,
    "subjects_websitevisit": f.WebsiteVisitFactory,
    "subjects_contactmessage": f.ContactMessageFactory,
    "subjects_correspondence": f.CorrespondenceFactory,
    "subjects_brochurerequest": f.BrochureRequestFactory,
    "subjects_newslettersubscription": f.NewsletterSubscriptionFactory,
    "subjects_trajectory": f.TrajectoryFactory,
    "subjects_trajectoryparticipant": f.TrajectoryParticipantFactory,
    "subjects_traineeprofile": f.TraineeProfileFactory,
    "subjects_coachingnote": f.CoachingNoteFactory,
    "subjects_coachingmonitorparticipation": f.CoachingMonitorParticipationFactory,
    "subjects_clientevaluation": f.ClientEvaluationFactory,
    "subjects_cliftonstrengthsaccount": f.CliftonStrengthsAccountFactory,
    "subjects_e2growaccount": f.E2GrowAccountFactory,
    "subjects_invoice": f.InvoiceFactory,
    "subjects_supplierdetails": f.SupplierDetailsFactory,
    "subjects_studytripreferral": f.StudyTripReferralFactory,
    "processing_consent": f.ConsentFactory,
}


def _queries(client, url: str) -> int:
    """Queries of one page view. The read log's one bulk insert (one row per person on
    the page) counts once: SQLite splits it at 999 parameters, PostgreSQL does not."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    statements = [q["sql"] for q in ctx.captured_queries]
    read_log = 'INSERT INTO "subjects_auditevent"'
    return len([s for s in statements if not s.startswith(read_log)]) + any(
        s.startswith(read_log) for s in statements
    )


@pytest.mark.parametrize("name", sorted(CHANGELISTS))
def test_changelists_use_the_same_number_of_queries_for_10_and_500_rows(officer_client, name):
    factory = CHANGELISTS[name]
    url = reverse(f"admin:{name}_changelist")
    factory.create_batch(10)
    with_10 = _queries(officer_client, url)
    factory.create_batch(490)
    with_500 = _queries(officer_client, url)
    assert with_10 == with_500


def test_the_subject_changelist_shows_each_person_once_when_filtered_by_role(officer_client):
    subject = f.DataSubjectFactory(last_name="Uniek")
    f.SubjectRoleFactory(subject=subject)
    f.SubjectRoleFactory(subject=subject)
    response = officer_client.get(
        reverse("admin:subjects_datasubject_changelist")
        + "?roles__category__id__exact="
        + str(subject.roles.first().category_id)
    )
    assert response.content.decode().count(">Uniek<") == 1
    assert DataSubject.objects.count() == 1


def test_nobody_lifts_a_restriction_in_the_admin(officer_client):
    restricted_at = timezone.now()
    subject = f.DataSubjectFactory(restricted_at=restricted_at, restriction_ground="Art. 18")
    url = reverse("admin:subjects_datasubject_change", args=[subject.pk])
    response = officer_client.post(
        url,
        {
            "first_name": subject.first_name,
            "last_name": subject.last_name,
            "email": subject.email,
            "language": "nl",
            "restricted_at_0": "",
            "restricted_at_1": "",
            "restriction_ground": "",
            "roles-TOTAL_FORMS": "0",
            "roles-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    subject.refresh_from_db()
    assert (subject.restricted_at, subject.restriction_ground) == (restricted_at, "Art. 18")


@pytest.mark.parametrize("client_fixture", ["officer_client", "staff_client"])
def test_invoices_under_the_fiscal_hold_cannot_be_deleted_in_the_admin(request, client_fixture):
    client = request.getfixturevalue(client_fixture)
    invoice = f.InvoiceFactory()
    response = client.post(
        reverse("admin:subjects_invoice_delete", args=[invoice.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Invoice.objects.filter(pk=invoice.pk).exists()


def test_a_person_is_erased_through_a_rights_request_not_the_admin(officer_client):
    subject = f.DataSubjectFactory()
    response = officer_client.post(
        reverse("admin:subjects_datasubject_delete", args=[subject.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert DataSubject.objects.filter(pk=subject.pk).exists()


def test_rows_without_a_hold_can_still_be_deleted_by_the_officer(officer_client):
    message = f.ContactMessageFactory()
    response = officer_client.post(
        reverse("admin:subjects_contactmessage_delete", args=[message.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not ContactMessage.objects.filter(pk=message.pk).exists()
    assert AuditEvent.objects.filter(action="admin.delete").exists()


def test_the_audit_trail_names_automatic_actions_in_the_staff_members_language(officer_client):
    from subjects.services import audit_event_record

    audit_event_record(actor=None, action="retention.delete", target="subjects.WebsiteVisit")
    page = officer_client.get("/admin/subjects/auditevent/").content.decode()
    assert "systeem (automatisch)" in page
    english = officer_client.get("/en/admin/subjects/auditevent/").content.decode()
    assert "system (automatic)" in english


def test_a_bulk_delete_names_each_rows_person_in_the_audit_trail(officer_client):
    """As a single delete does: the daily retention passes then judge those people again
    (the deleted rows may have been all that kept them)."""
    sanne, joost = f.DataSubjectFactory(), f.DataSubjectFactory()
    messages = [f.ContactMessageFactory(subject=sanne), f.ContactMessageFactory(subject=joost)]
    response = officer_client.post(
        reverse("admin:subjects_contactmessage_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [message.pk for message in messages],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert not ContactMessage.objects.exists()
    deleted = AuditEvent.objects.filter(action="admin.delete")
    assert sorted(deleted.values_list("subject_id", "target")) == sorted(
        (message.subject_id, f"subjects.ContactMessage #{message.pk}") for message in messages
    )


def test_deleting_a_trajectory_or_a_participation_names_everyone_it_linked(officer_client):
    """Participants and mentors alike: the daily retention passes judge them again."""
    mentor = f.DataSubjectFactory()
    participation = f.TrajectoryParticipantFactory(mentor=mentor)
    trajectory = participation.trajectory
    other = f.TrajectoryParticipantFactory(trajectory=trajectory)
    response = officer_client.post(
        reverse("admin:subjects_trajectory_delete", args=[trajectory.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    named = set(
        AuditEvent.objects.filter(action="admin.delete").values_list("subject_id", flat=True)
    )
    assert named == {participation.participant_id, other.participant_id, mentor.pk}

    AuditEvent.objects.all().delete()
    second = f.TrajectoryParticipantFactory(mentor=mentor)
    officer_client.post(
        reverse("admin:subjects_trajectoryparticipant_delete", args=[second.pk]), {"post": "yes"}
    )
    named = set(
        AuditEvent.objects.filter(action="admin.delete").values_list("subject_id", flat=True)
    )
    assert named == {second.participant_id, mentor.pk}


def test_unlinking_a_person_from_a_request_is_in_their_trail(officer):
    from requests_dsar.services.workflow import dsar_request_subject_unlink
    from tests.requests_dsar.factories import verified_request

    person = f.DataSubjectFactory(email="sanne@example.nl")
    dsar = verified_request(email="sanne@example.nl")
    dsar_request_subject_unlink(actor=officer, request=dsar, subject=person)
    event = AuditEvent.objects.get(action="request.subject-unlink")
    assert (event.subject_id, event.params) == (person.pk, {"reference": dsar.reference})
