"""A data subject left with nothing we may hold them for goes with their last row."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from processing.models import SubjectCategory
from retention.models import LegalHold
from subjects import models as m
from tests import factories as f
from tests.retention.conftest import apply_at, utc

pytestmark = pytest.mark.django_db

LATER = utc(2026, 12, 1)


def _unsubscribed_person(role="newsletter-subscriber"):
    subscription = f.NewsletterSubscriptionFactory(unsubscribed_at=utc(2026, 1, 1))
    if role:
        f.SubjectRoleFactory(
            subject=subscription.subject, category=SubjectCategory.objects.get(key=role)
        )
    return subscription.subject


def _exists(subject) -> bool:
    return m.DataSubject.objects.filter(pk=subject.pk).exists()


def test_a_newsletter_subscriber_does_not_linger_after_the_six_weeks():
    person = _unsubscribed_person()
    f.ConsentFactory(subject=person, withdrawn_at=utc(2026, 1, 1))
    run = apply_at(LATER, "unsubscribe-6w")
    assert not _exists(person)
    assert run.rows_affected == {
        "subjects.NewsletterSubscription": 1,
        "subjects.DataSubject": 1,
    }
    assert run.total_rows == 2


def test_the_audit_trail_survives_the_subject_without_the_link():
    person = _unsubscribed_person()
    event = m.AuditEvent.objects.create(action="newsletter.stop", subject=person)
    apply_at(LATER, "unsubscribe-6w")
    event.refresh_from_db()
    assert event.subject_id is None


def test_a_subject_with_other_data_is_kept():
    person = _unsubscribed_person()
    f.InvoiceFactory(subject=person)
    apply_at(LATER, "unsubscribe-6w")
    assert _exists(person)


def test_a_subject_with_an_active_role_is_kept():
    person = _unsubscribed_person(role="client")
    apply_at(LATER, "unsubscribe-6w")
    assert _exists(person)


def test_a_subject_whose_role_ended_goes():
    person = _unsubscribed_person(role=None)
    f.SubjectRoleFactory(subject=person, ended_on=datetime.date(2025, 1, 1))
    apply_at(LATER, "unsubscribe-6w")
    assert not _exists(person)


def test_a_subject_under_a_legal_hold_is_kept():
    person = _unsubscribed_person()
    other = f.NewsletterSubscriptionFactory(unsubscribed_at=utc(2026, 1, 1)).subject
    LegalHold.objects.create(
        key="claim",
        name_nl="c",
        name_en="c",
        ground_nl="g",
        ground_en="g",
        article="Art. 17(3)(e)",
        subject=person,
        held_until=datetime.date(2027, 1, 1),
    )
    apply_at(LATER, "unsubscribe-6w")
    assert _exists(person)
    assert not _exists(other)


def test_a_restricted_subject_is_kept():
    person = _unsubscribed_person()
    person.restricted_at = utc(2026, 2, 1)
    person.save()
    apply_at(LATER, "unsubscribe-6w")
    assert _exists(person)


def test_a_subject_with_an_open_rights_request_is_kept():
    from requests_dsar.models import DsarRequest, Status

    person = _unsubscribed_person()
    request = DsarRequest.objects.create(
        reference="V-1", request_type="access", status=Status.IN_PROGRESS, name="x", email="x@x.nl"
    )
    request.subjects.add(person)
    apply_at(LATER, "unsubscribe-6w")
    assert _exists(person)
    request.status = Status.COMPLETED
    request.save()
    f.NewsletterSubscriptionFactory(subject=person, unsubscribed_at=utc(2026, 1, 1))
    apply_at(LATER, "unsubscribe-6w")
    assert not _exists(person)
    assert DsarRequest.objects.filter(pk=request.pk).exists(), "the request is the proof"


def test_subjects_of_rows_the_run_did_not_touch_are_left_alone():
    bare = f.DataSubjectFactory()  # no data at all, but not this run's business
    _unsubscribed_person()
    apply_at(LATER, "unsubscribe-6w")
    assert _exists(bare)


def test_a_monitor_participant_unlinked_by_anonymisation_goes_when_nothing_is_left():
    participation = f.CoachingMonitorParticipationFactory(
        trajectory__ended_on=datetime.date(2026, 6, 10)
    )
    person = participation.subject
    run = apply_at(LATER, "monitor-end")
    assert not _exists(person)
    assert run.rows_affected["subjects.DataSubject"] == 1


def test_an_objection_to_direct_marketing_outlives_the_newsletter_row():
    """Art. 21(3): the objection is kept as a keyed hash on the suppression list, so the
    person may go with their last newsletter row and a later sign-up still cannot mail
    them again."""
    from subjects.services import marketing_objection_record
    from subjects.suppression import address_is_suppressed

    person = _unsubscribed_person()
    with time_machine.travel(utc(2026, 1, 1), tick=False):
        marketing_objection_record(actor=None, subject=person)
    other = _unsubscribed_person()
    run = apply_at(LATER, "unsubscribe-6w")
    assert not m.NewsletterSubscription.objects.filter(subject=person).exists()
    assert not _exists(person) and not _exists(other)
    assert address_is_suppressed(person.email)
    assert run.rows_affected["subjects.DataSubject"] == 2


def _objector(**fields):
    from subjects.services import marketing_objection_record

    person = _unsubscribed_person()
    m.DataSubject.objects.filter(pk=person.pk).update(
        first_name="Noor",
        last_name="Bakker",
        email="noor@example.nl",
        phone="0612345678",
        street_address="Kerkstraat 1",
        postcode="1234AB",
        city="Utrecht",
        **fields,
    )
    with time_machine.travel(utc(2026, 1, 1), tick=False):
        marketing_objection_record(actor=None, subject=person)
    person.refresh_from_db()
    return person


def test_a_person_kept_only_for_the_objection_goes_and_the_objection_stays_as_a_hash():
    from subjects.suppression import address_is_suppressed

    person = _objector()
    apply_at(LATER, "unsubscribe-6w")
    assert not _exists(person)
    assert address_is_suppressed("noor@example.nl")


def _invoiced_person_restricted(ground: str):
    """A person an erasure request (or an Art. 18 request) left restricted, with an
    invoice of 2018 that the fiscal rule deletes at LATER."""
    person = f.DataSubjectFactory(restricted_at=utc(2024, 1, 1), restriction_ground=ground)
    f.InvoiceFactory(
        subject=person,
        issued_on=datetime.date(2018, 5, 1),
        restricted_at=utc(2024, 1, 1),
        restriction_ground=ground,
    )
    return person


def test_a_person_kept_only_for_the_fiscal_hold_goes_with_the_held_invoices():
    """An erasure request blocked by the fiscal hold (Art. 17(3)(b)) restricts what it
    must keep; when the held invoices expire, nothing keeps the person any more."""
    person = _invoiced_person_restricted(
        "Art. 17(3)(b) AVG: records under a legal hold still refer to this person"
    )
    run = apply_at(LATER, "fiscal-7y")
    assert not m.Invoice.objects.filter(subject_id=person.pk).exists()
    assert not _exists(person), "the erased person outlived the fiscal hold"
    assert run.rows_affected["subjects.DataSubject"] == 1


@pytest.mark.parametrize(
    "ground",
    ["Art. 18(1)(a) AVG (V-7): accuracy contested", "Art. 18(1)(d) AVG (V-7)", "Art. 21(1)"],
)
def test_a_restriction_of_processing_still_keeps_the_person(ground):
    """Art. 18: keep storing the person while a temporary restriction lasts, whatever
    the fiscal rule deletes (a restriction that keeps the data for the person, 18(1)(b)
    or (c), keeps the invoice too: ``tests/retention/test_art18_restrictions.py``)."""
    person = _invoiced_person_restricted(ground)
    apply_at(LATER, "fiscal-7y")
    assert not m.Invoice.objects.filter(subject_id=person.pk).exists()
    assert _exists(person)


def _role(subject, key, **kwargs):
    return f.SubjectRoleFactory(
        subject=subject, category=SubjectCategory.objects.get(key=key), **kwargs
    )


def _traineeship(ended_on, *, mentor=None):
    """A trainee (with a role and a profile) in a trajectory ending on ``ended_on``,
    with a mentor (with a role)."""
    mentor = mentor or f.DataSubjectFactory()
    _role(mentor, "mentor")
    profile = f.TraineeProfileFactory(
        participation__trajectory__ended_on=ended_on, participation__mentor=mentor
    )
    trainee = profile.participation.participant
    _role(trainee, "trainee")
    return trainee, mentor, profile.participation


def test_trainee_and_mentor_go_at_the_end_of_the_trajectory_with_the_participation():
    """Mentor data: "end of trajectory" (DESIGN §1.2, activity 10). The trainee and mentor
    roles never end by themselves; the end of the trajectory ends them."""
    trainee, mentor, participation = _traineeship(datetime.date(2026, 6, 10))
    run = apply_at(LATER, "coaching-end")
    assert not _exists(trainee)
    assert not _exists(mentor), "the mentor outlived the trajectory"
    assert not m.TrajectoryParticipant.objects.filter(pk=participation.pk).exists()
    assert m.Trajectory.objects.filter(pk=participation.trajectory_id).exists()
    assert run.rows_affected == {"subjects.TraineeProfile": 1, "subjects.DataSubject": 2}


def test_a_mentor_of_a_running_trajectory_stays():
    mentor = f.DataSubjectFactory()
    trainee, _, ended = _traineeship(datetime.date(2026, 6, 10), mentor=mentor)
    still, _, running = _traineeship(None, mentor=mentor)
    apply_at(LATER, "coaching-end")
    assert not _exists(trainee)
    assert _exists(mentor) and _exists(still)
    assert m.TrajectoryParticipant.objects.filter(pk=running.pk, mentor=mentor).exists()
    assert not m.TrajectoryParticipant.objects.filter(pk=ended.pk).exists()


def test_a_trainee_kept_for_another_reason_stays_with_the_participation():
    trainee, mentor, participation = _traineeship(datetime.date(2026, 6, 10))
    _role(trainee, "client")
    apply_at(LATER, "coaching-end")
    assert _exists(trainee)
    assert m.TrajectoryParticipant.objects.filter(pk=participation.pk).exists()
    assert not _exists(mentor)


def test_a_trajectory_has_ended_on_its_end_date_and_not_before():
    from retention.selectors import data_subjects_without_purpose

    trainee, mentor, _ = _traineeship(datetime.date(2026, 12, 1))
    people = {trainee.pk, mentor.pk}
    with time_machine.travel(utc(2026, 11, 30, 22, 59, 59), tick=False):  # 23:59:59 CET
        assert data_subjects_without_purpose(people) == set()
    with time_machine.travel(utc(2026, 11, 30, 23, 0, 0), tick=False):  # 1 December
        # the trainee's profile keeps them until rule coaching-end deletes it
        assert data_subjects_without_purpose(people) == {mentor.pk}


def test_an_open_ended_trainee_role_does_not_keep_a_person_without_a_trajectory():
    from retention.selectors import data_subjects_without_purpose

    trainee = f.DataSubjectFactory()
    _role(trainee, "trainee")
    ended = f.DataSubjectFactory()
    _role(ended, "client", ended_on=datetime.date(2025, 1, 1))
    client = f.DataSubjectFactory()
    _role(client, "client")
    with time_machine.travel(LATER, tick=False):
        assert data_subjects_without_purpose({trainee.pk, ended.pk, client.pk}) == {
            trainee.pk,
            ended.pk,
        }
