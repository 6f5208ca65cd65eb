"""The daily passes that judge people (fiscal-7y: ended business relationships;
coaching-end and monitor-end: trainees and mentors; unsubscribe-6w: objectors) judge only
the people something changed for since the rule's last successful run
(``retention.selectors.people_changed_since``). Whatever changed while no run succeeded
is still caught: the window starts at the last run that succeeded, a role or hold is
judged the moment its last day is over, and the judgement itself decides from the source
data."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from processing.models import SubjectCategory
from retention import services
from retention.models import RetentionRun
from retention.selectors import people_changed_since
from retention.trajectory_review import trajectory_end_set
from subjects import models as m
from subjects.registry import art18_ground_prefix
from subjects.services import (
    STAFF_RESTRICTION_REFERENCE,
    data_subject_restrict,
    data_subject_restriction_lift,
    subject_role_end,
)
from tests import factories as f
from tests.retention.conftest import ams, apply_at

pytestmark = pytest.mark.django_db

# The queries of an idle run of fiscal-7y (nothing changed, nothing due), however many
# people it judged before: the rule with its last run and marks, the run log, who changed
# (two), its three tables, the open relationships the retention page shows.
IDLE_RUN_QUERIES = 14


def _exists(person) -> bool:
    return m.DataSubject.objects.filter(pk=person.pk).exists()


def _client_role(**fields) -> m.SubjectRole:
    return f.SubjectRoleFactory(
        category=SubjectCategory.objects.get(key="client"),
        started_on=datetime.date(2025, 1, 1),
        **fields,
    )


def _officer():
    return get_user_model().objects.create_user("officer", "officer@example.nl", "x")


def test_a_relationship_ended_after_the_last_run_goes_when_its_last_day_is_over():
    """The end date is entered without the trail (a bulk change): its day still counts."""
    role = _client_role()
    apply_at(ams(2026, 1, 10, 3, 0), "fiscal-7y")
    assert _exists(role.subject)
    m.SubjectRole.objects.filter(pk=role.pk).update(ended_on=datetime.date(2026, 1, 15))
    apply_at(ams(2026, 1, 15, 23, 59, 59), "fiscal-7y")  # its last day
    assert _exists(role.subject)
    run = apply_at(ams(2026, 1, 16, 0, 0), "fiscal-7y")
    assert not _exists(role.subject)
    assert run.rows_affected.get("subjects.DataSubject") == 1


def test_runs_that_were_missed_are_caught_up_by_the_next():
    role = _client_role()
    apply_at(ams(2026, 1, 10, 3, 0), "fiscal-7y")
    m.SubjectRole.objects.filter(pk=role.pk).update(ended_on=datetime.date(2026, 1, 12))
    # No run from 11 to 24 January (the worker was down).
    apply_at(ams(2026, 1, 25, 3, 0), "fiscal-7y")
    assert not _exists(role.subject)


def test_a_failed_run_does_not_move_the_window(monkeypatch):
    role = _client_role()
    apply_at(ams(2026, 1, 10, 3, 0), "fiscal-7y")
    m.SubjectRole.objects.filter(pk=role.pk).update(ended_on=datetime.date(2026, 1, 11))

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    with monkeypatch.context() as patch:
        patch.setattr(services, "people_changed_since", broken)
        with pytest.raises(RuntimeError):
            apply_at(ams(2026, 1, 14, 3, 0), "fiscal-7y")
    assert RetentionRun.objects.filter(outcome=RetentionRun.Outcome.FAILED).count() == 1
    assert _exists(role.subject)
    # Counted from the failed run, 11 January would lie before the window.
    apply_at(ams(2026, 1, 15, 3, 0), "fiscal-7y")
    assert not _exists(role.subject)


def test_a_relationship_staff_end_in_the_past_after_the_run_is_judged_at_the_next():
    role = _client_role()
    apply_at(ams(2026, 3, 1, 3, 0), "fiscal-7y")
    subject_role_end(actor=_officer(), role=role, ended_on=datetime.date(2025, 6, 30))
    apply_at(ams(2026, 3, 2, 3, 0), "fiscal-7y")
    assert not _exists(role.subject)


def test_a_person_kept_by_a_legal_hold_goes_when_the_hold_is_over():
    role = _client_role(ended_on=datetime.date(2025, 12, 31))
    f.LegalHoldFactory(subject=role.subject, held_until=datetime.date(2026, 3, 1))
    apply_at(ams(2026, 2, 1, 3, 0), "fiscal-7y")
    apply_at(ams(2026, 3, 1, 23, 59, 59), "fiscal-7y")  # the hold's last day
    assert _exists(role.subject)
    apply_at(ams(2026, 3, 2, 0, 0), "fiscal-7y")
    assert not _exists(role.subject)


def test_a_person_kept_by_a_restriction_goes_at_the_first_run_after_the_lift():
    role = _client_role(ended_on=datetime.date(2025, 12, 31))
    officer = _officer()
    ground = art18_ground_prefix("a", STAFF_RESTRICTION_REFERENCE) + " controle"
    with_restriction = ams(2026, 2, 1, 3, 0)
    data_subject_restrict(actor=officer, subject=role.subject, ground=ground)
    apply_at(with_restriction, "fiscal-7y")
    assert _exists(role.subject)
    apply_at(ams(2026, 2, 2, 3, 0), "fiscal-7y")
    role.subject.refresh_from_db()
    data_subject_restriction_lift(actor=officer, subject=role.subject, told="per e-mail")
    apply_at(ams(2026, 2, 3, 3, 0), "fiscal-7y")
    assert not _exists(role.subject)


def test_a_person_whose_invoice_keeps_them_stays_whatever_the_window():
    role = _client_role()
    f.InvoiceFactory(subject=role.subject, issued_on=datetime.date(2025, 11, 1))
    apply_at(ams(2026, 1, 10, 3, 0), "fiscal-7y")
    m.SubjectRole.objects.filter(pk=role.pk).update(ended_on=datetime.date(2026, 1, 12))
    apply_at(ams(2026, 1, 13, 3, 0), "fiscal-7y")
    assert _exists(role.subject)


def test_participants_of_a_trajectory_ended_in_the_past_on_the_review_page_are_judged():
    trajectory = f.TrajectoryFactory(started_on=datetime.date(2025, 1, 1), ended_on=None)
    trainee = f.TrajectoryParticipantFactory(trajectory=trajectory).participant
    apply_at(ams(2026, 3, 1, 3, 0), "coaching-end")
    assert _exists(trainee)
    trajectory_end_set(
        actor=_officer(), trajectory=trajectory, ended_on=datetime.date(2025, 12, 31)
    )
    apply_at(ams(2026, 3, 2, 3, 0), "coaching-end")
    assert not _exists(trainee)


def test_a_trajectory_that_ends_after_the_run_releases_its_trainee_on_its_end_date():
    trajectory = f.TrajectoryFactory(
        started_on=datetime.date(2025, 1, 1), ended_on=datetime.date(2026, 3, 10)
    )
    trainee = f.TrajectoryParticipantFactory(trajectory=trajectory).participant
    apply_at(ams(2026, 3, 1, 3, 0), "monitor-end")
    apply_at(ams(2026, 3, 9, 23, 59, 59), "monitor-end")  # it runs until its end date
    assert _exists(trainee)
    apply_at(ams(2026, 3, 10, 0, 0), "monitor-end")  # on its end date it has ended
    assert not _exists(trainee)


def test_an_objection_recorded_after_the_run_is_judged_at_the_next():
    from subjects.services import marketing_objection_record

    person = f.DataSubjectFactory()
    _client_role(subject=person, ended_on=datetime.date(2025, 12, 31))
    f.InvoiceFactory(subject=person, issued_on=datetime.date(2025, 11, 1))
    apply_at(ams(2026, 3, 1, 3, 0), "unsubscribe-6w")
    m.Invoice.objects.filter(subject=person).delete()
    marketing_objection_record(actor=None, subject=person)
    apply_at(ams(2026, 3, 2, 3, 0), "unsubscribe-6w")
    assert not _exists(person)


def test_a_run_of_an_earlier_version_without_marks_makes_the_next_judge_everyone():
    role = _client_role(ended_on=datetime.date(2025, 6, 30))
    f.InvoiceFactory(subject=role.subject, issued_on=datetime.date(2025, 11, 1))
    run = apply_at(ams(2026, 1, 10, 3, 0), "fiscal-7y")
    RetentionRun.objects.filter(pk=run.pk).update(marks={})
    m.Invoice.objects.filter(subject=role.subject).delete()  # no trail, nothing dated
    apply_at(ams(2026, 1, 11, 3, 0), "fiscal-7y")
    assert not _exists(role.subject)


def _kept_people(count: int) -> None:
    """``count`` people with an ended relationship and an invoice, in bulk."""
    client = SubjectCategory.objects.get(key="client")
    people = m.DataSubject.objects.bulk_create(
        m.DataSubject(first_name="P", last_name=str(n), email=f"p{n}@example.nl")
        for n in range(count)
    )
    m.SubjectRole.objects.bulk_create(
        m.SubjectRole(
            subject=p,
            category=client,
            started_on=datetime.date(2024, 1, 1),
            ended_on=datetime.date(2025, 1, 1),
        )
        for p in people
    )
    m.Invoice.objects.bulk_create(
        m.Invoice(
            number=f"F{p.pk}",
            subject=p,
            issued_on=datetime.date(2025, 6, 1),
            billing_name="P",
            amount=10,
        )
        for p in people
    )


@pytest.mark.parametrize("count", [10, 1000])
def test_only_the_changed_person_is_a_candidate_and_the_query_count_is_fixed(count):
    _kept_people(count)
    apply_at(ams(2026, 3, 1, 3, 0), "fiscal-7y")  # judges everyone once
    with CaptureQueriesContext(connection) as context:
        apply_at(ams(2026, 3, 1, 4, 0), "fiscal-7y")
    assert len(context) == IDLE_RUN_QUERIES
    changed = _client_role()
    previous = RetentionRun.objects.latest("started_at")
    m.SubjectRole.objects.filter(pk=changed.pk).update(ended_on=datetime.date(2026, 3, 1))
    with CaptureQueriesContext(connection) as context:
        candidates = people_changed_since(previous, datetime.date(2026, 3, 2))
    assert candidates == {changed.subject_id}
    assert len(context) == 2  # the trajectories the trail names, then one union
    apply_at(ams(2026, 3, 2, 3, 0), "fiscal-7y")
    assert not _exists(changed.subject)


def test_a_hold_deleted_in_the_admin_releases_the_person_at_the_next_run(officer_client):
    from django.urls import reverse

    role = _client_role(ended_on=datetime.date(2025, 12, 31))
    hold = f.LegalHoldFactory(subject=role.subject, held_until=datetime.date(2027, 1, 1))
    apply_at(ams(2026, 3, 1, 3, 0), "fiscal-7y")
    assert _exists(role.subject)
    response = officer_client.post(
        reverse("admin:retention_legalhold_delete", args=[hold.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert m.AuditEvent.objects.filter(
        action="retention.hold-delete", subject=role.subject
    ).exists()
    apply_at(ams(2026, 3, 2, 3, 0), "fiscal-7y")
    assert not _exists(role.subject)


def test_a_correction_of_contact_details_makes_no_one_a_candidate_other_events_do():
    from subjects.services import audit_event_record, data_subject_update

    corrected, ended = _client_role().subject, _client_role().subject
    apply_at(ams(2026, 3, 1, 3, 0), "fiscal-7y")
    previous = RetentionRun.objects.get()
    data_subject_update(actor=None, subject=corrected, city="Zutphen")
    audit_event_record(actor=None, action="subject.role-end", subject=ended)
    assert people_changed_since(previous, datetime.date(2026, 3, 1)) == {ended.pk}


def test_once_a_week_a_run_judges_everyone_and_catches_what_no_trail_recorded():
    """A person's last record removed without a trail (a bulk delete, a change in the
    database by hand) is caught by the first run on the seventh day after the last that
    judged everyone, from the day's first second."""
    role = _client_role(ended_on=datetime.date(2025, 12, 1))
    invoice = f.InvoiceFactory(subject=role.subject, issued_on=datetime.date(2025, 11, 1))
    first = apply_at(ams(2026, 1, 10, 3, 0), "fiscal-7y")  # the first run judges everyone
    assert first.marks.get("full") == 1
    assert _exists(role.subject)
    m.Invoice.objects.filter(pk=invoice.pk).delete()  # no audit event, no mark
    daily = apply_at(ams(2026, 1, 11, 3, 0), "fiscal-7y")
    assert "full" not in daily.marks
    assert _exists(role.subject)  # nothing told the incremental pass
    apply_at(ams(2026, 1, 16, 23, 59, 59), "fiscal-7y")  # the sixth day after it
    assert _exists(role.subject)
    # The seventh day, even a little earlier in the day than last week's run.
    weekly = apply_at(ams(2026, 1, 17, 0, 0), "fiscal-7y")
    assert weekly.marks.get("full") == 1
    assert not _exists(role.subject)
    # The week counts from that run: the next ones are incremental again.
    assert "full" not in apply_at(ams(2026, 1, 18, 3, 0), "fiscal-7y").marks
