"""The limits added for what was kept for ever, each at its exact boundary: one second
before (limit - the daily run's interval) the row is kept, at it the row is gone.
Expected moments are worked out by hand, in Amsterdam time where the rule counts in
calendar months or years."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from processing.models import ConsentText, Recipient
from requests_dsar.fulfilment.packages import private_root
from requests_dsar.models import (
    AnswerPackage,
    DsarRequest,
    ErasureRecord,
    RecipientTask,
    RequestEvent,
    Status,
)
from subjects import models as m
from tests import factories as f
from tests.retention.conftest import ams, apply_at, utc

pytestmark = pytest.mark.django_db

S = datetime.timedelta(seconds=1)


def _exists(obj) -> bool:
    return type(obj)._default_manager.filter(pk=obj.pk).exists()


def _kept_then_gone(rule_key, obj, boundary):
    apply_at(boundary - S, rule_key)
    assert _exists(obj), "deleted one second too early"
    run = apply_at(boundary, rule_key)
    assert not _exists(obj), "still there at the boundary"
    return run


# -- meetin-3m ----------------------------------------------------------------------


def test_a_meetin_referral_goes_a_daily_run_before_three_months_after_passing_it_on():
    referral = f.StudyTripReferralFactory(shared_at=ams(2026, 1, 15, 10, 0))
    f.SubjectRoleFactory(subject=referral.subject)  # a client: the person stays
    # 15 April 10:00 in Amsterdam is 08:00 UTC (summer time); minus the daily interval.
    run = _kept_then_gone("meetin-3m", referral, utc(2026, 4, 14, 8, 0))
    assert run.rows_affected == {"subjects.StudyTripReferral": 1}
    assert m.DataSubject.objects.filter(pk=referral.subject_id).exists()


def test_a_referral_not_passed_on_stays_while_its_consent_stands():
    referral = f.StudyTripReferralFactory(shared_at=None)
    apply_at(utc(2040, 1, 1), "meetin-3m")
    assert _exists(referral)


def test_a_person_held_only_for_the_referral_goes_with_it():
    referral = f.StudyTripReferralFactory(shared_at=ams(2026, 1, 15, 10, 0))
    run = apply_at(utc(2026, 4, 14, 8, 0), "meetin-3m")
    assert not m.DataSubject.objects.filter(pk=referral.subject_id).exists()
    assert run.rows_affected["subjects.DataSubject"] == 1


# -- audit-5y -------------------------------------------------------------------------


def _audit_event(at, subject=None) -> m.AuditEvent:
    return m.AuditEvent.objects.create(
        at=at,
        actor_label="system",
        action="subject.change",
        subject=subject,
        subject_reference=str(subject.pk) if subject else "",
    )


def test_an_audit_event_goes_a_daily_run_before_five_years():
    event = _audit_event(utc(2021, 3, 1, 12, 0))
    # 1 March 2021 13:00 in Amsterdam (winter) + 5 years = 1 March 2026 13:00 = 12:00 UTC.
    run = _kept_then_gone("audit-5y", event, utc(2026, 2, 28, 12, 0))
    assert run.rows_affected == {"retention.AuditTrail": 1}


def test_an_audit_event_about_someone_under_a_legal_hold_stays_until_the_hold_ends():
    hold = f.LegalHoldFactory(held_until=datetime.date(2026, 6, 30))
    event = _audit_event(utc(2020, 1, 1, 12, 0), subject=hold.subject)
    apply_at(ams(2026, 6, 30, 12, 0), "audit-5y")
    assert _exists(event)
    apply_at(ams(2026, 7, 1, 0, 0), "audit-5y")
    assert not _exists(event)


def test_the_audit_trail_of_a_person_still_held_goes_too_and_leaves_the_person():
    subject = f.DataSubjectFactory()
    f.SubjectRoleFactory(subject=subject)
    old = _audit_event(utc(2019, 5, 1), subject=subject)
    recent = _audit_event(utc(2025, 5, 1), subject=subject)
    apply_at(utc(2026, 1, 1), "audit-5y")
    assert not _exists(old)
    assert _exists(recent)
    assert m.DataSubject.objects.filter(pk=subject.pk).exists()


# -- requests-5y ----------------------------------------------------------------------


def _closed_request(closed_at, *, reference="LS-2021-0001", status=Status.COMPLETED, subject=None):
    request = DsarRequest.objects.create(
        reference=reference,
        request_type="erasure",
        status=status,
        name="Sanne de Vries",
        email="sanne@example.nl",
        created_at=closed_at - datetime.timedelta(days=10),
        closed_at=closed_at if status != Status.IN_PROGRESS else None,
    )
    if subject is not None:
        request.subjects.add(subject)
    return request


def _with_trail(request) -> dict[str, object]:
    directory = f"pkg-{request.pk}"
    (private_root() / directory).mkdir(parents=True, exist_ok=True)
    (private_root() / directory / "report.html").write_text("x")
    return {
        "event": RequestEvent.objects.create(request=request, action="completed"),
        "task": RecipientTask.objects.create(
            request=request, recipient=Recipient.objects.get(key="gallup"), instruction="x"
        ),
        "record": ErasureRecord.objects.create(request=request, lines=[]),
        "package": AnswerPackage.objects.create(
            request=request,
            token_hash=f"h{request.pk}",
            directory=directory,
            files=["report.html"],
            expires_at=request.closed_at,
        ),
        "directory": private_root() / directory,
    }


def test_a_closed_request_goes_with_its_whole_trail_a_daily_run_before_five_years():
    request = _closed_request(utc(2021, 6, 1, 10, 0))
    trail = _with_trail(request)
    # 1 June 2021 12:00 in Amsterdam (summer) + 5 years = 1 June 2026 10:00 UTC.
    run = _kept_then_gone("requests-5y", request, utc(2026, 5, 31, 10, 0))
    for name in ("event", "task", "record", "package"):
        assert not _exists(trail[name]), name
    assert not trail["directory"].exists(), "the answer files are gone too"
    assert run.rows_affected == {"requests_dsar.ClosedRequest": 1}


def test_an_open_request_is_never_deleted():
    request = _closed_request(utc(2015, 1, 1), status=Status.IN_PROGRESS)
    apply_at(utc(2040, 1, 1), "requests-5y")
    assert _exists(request)


def test_a_request_of_someone_under_a_legal_hold_stays_until_the_hold_ends():
    hold = f.LegalHoldFactory(held_until=datetime.date(2030, 1, 1))
    request = _closed_request(utc(2019, 1, 1), subject=hold.subject)
    apply_at(utc(2029, 6, 1), "requests-5y")
    assert _exists(request)
    apply_at(ams(2030, 1, 2), "requests-5y")
    assert not _exists(request)


def test_a_task_outside_a_request_goes_five_years_after_it_was_resolved_an_open_one_stays():
    resolved = RecipientTask.objects.create(
        recipient=Recipient.objects.get(key="meetin"),
        instruction="x",
        state=RecipientTask.State.DONE,
        resolved_at=utc(2021, 6, 1, 10, 0),
    )
    still_open = RecipientTask.objects.create(
        recipient=Recipient.objects.get(key="e2grow"), instruction="x", created_at=utc(2015, 1, 1)
    )
    _kept_then_gone("requests-5y", resolved, utc(2026, 5, 31, 10, 0))
    assert _exists(still_open)


# -- tools-after-end ------------------------------------------------------------------


def _trainee_with_accounts(ended_on):
    participation = f.TrajectoryParticipantFactory(
        trajectory=f.TrajectoryFactory(started_on=datetime.date(2025, 2, 1), ended_on=ended_on)
    )
    subject = participation.participant
    return (
        subject,
        f.CliftonStrengthsAccountFactory(subject=subject, external_id="GALLUP-77"),
        f.E2GrowAccountFactory(subject=subject, external_id="e2g-77"),
    )


def test_tool_accounts_go_a_daily_run_before_three_months_after_the_last_trajectory():
    subject, clifton, e2grow = _trainee_with_accounts(datetime.date(2026, 1, 31))
    # 31 January + 3 months = 30 April (the last day); gone when that day ends, so the
    # daily run of 30 April 00:00 (Amsterdam) deletes them.
    apply_at(ams(2026, 4, 30) - S, "tools-after-end")
    assert _exists(clifton) and _exists(e2grow)
    assert not RecipientTask.objects.exists()
    run = apply_at(ams(2026, 4, 30), "tools-after-end")
    assert not _exists(clifton) and not _exists(e2grow)
    assert run.rows_affected["subjects.CliftonStrengthsAccount"] == 1
    assert run.rows_affected["subjects.E2GrowAccount"] == 1


def test_deleting_a_tool_account_makes_the_art19_task_for_the_recipient_holding_it():
    subject, clifton, e2grow = _trainee_with_accounts(datetime.date(2026, 1, 31))
    apply_at(ams(2026, 4, 30), "tools-after-end")
    tasks = {t.recipient.key: t for t in RecipientTask.objects.select_related("recipient")}
    assert set(tasks) == {"gallup", "e2grow"}
    for key, external_id in (("gallup", "GALLUP-77"), ("e2grow", "e2g-77")):
        task = tasks[key]
        assert task.request is None and task.consent is None
        assert task.state == RecipientTask.State.OPEN
        assert task.subject_reference == str(subject.pk)
        assert external_id in task.instruction
        assert "account" in task.instruction  # in Dutch: "account", the staff's language
    assert "CliftonStrengths" in tasks["gallup"].instruction


def test_a_running_trajectory_keeps_the_accounts():
    subject, clifton, _ = _trainee_with_accounts(datetime.date(2026, 1, 31))
    f.TrajectoryParticipantFactory(
        participant=subject, trajectory=f.TrajectoryFactory(ended_on=None)
    )
    apply_at(ams(2027, 1, 1), "tools-after-end")
    assert _exists(clifton)
    assert not RecipientTask.objects.exists()


def test_the_latest_trajectory_counts():
    subject, clifton, _ = _trainee_with_accounts(datetime.date(2026, 1, 31))
    f.TrajectoryParticipantFactory(
        participant=subject,
        trajectory=f.TrajectoryFactory(ended_on=datetime.date(2026, 3, 31)),
    )
    # 31 March + 3 months = 30 June.
    _kept_then_gone("tools-after-end", clifton, ams(2026, 6, 30))


def test_a_new_consent_keeps_the_accounts_until_its_date():
    subject, clifton, e2grow = _trainee_with_accounts(datetime.date(2026, 1, 31))
    for purpose in ("clifton-keep", "e2grow-keep"):
        consent = f.ConsentFactory(subject=subject, purpose=purpose)
        consent.keep_until = datetime.date(2026, 12, 31)
        consent.save(update_fields=["keep_until"])
    apply_at(ams(2026, 12, 31, 12, 0), "tools-after-end")
    assert _exists(clifton) and _exists(e2grow)
    apply_at(ams(2027, 1, 1, 0, 0), "tools-after-end")
    assert not _exists(clifton) and not _exists(e2grow)


def test_the_keep_consents_have_their_wording_in_both_languages():
    for purpose in ("clifton-keep", "e2grow-keep"):
        text = ConsentText.objects.current(purpose)
        assert "traject" in text.text_nl and "trajectory" in text.text_en


def test_without_a_trajectory_the_end_of_the_business_relationship_counts():
    account = f.CliftonStrengthsAccountFactory()
    role = f.SubjectRoleFactory(subject=account.subject, ended_on=None)
    assert role.category.key == "client"
    apply_at(ams(2030, 1, 1), "tools-after-end")
    assert _exists(account), "an open relationship keeps it"
    role.ended_on = datetime.date(2026, 5, 31)
    role.save()
    # 31 May + 3 months = 31 August.
    _kept_then_gone("tools-after-end", account, ams(2026, 8, 31))


def test_with_neither_the_account_goes_three_months_after_it_was_made():
    account = f.CliftonStrengthsAccountFactory(created_at=ams(2026, 1, 10, 9, 0))
    # The creation day, 10 January, + 3 months = 10 April.
    _kept_then_gone("tools-after-end", account, ams(2026, 4, 10))


def test_a_person_held_only_for_the_accounts_goes_with_them_and_the_task_stays():
    subject, _, _ = _trainee_with_accounts(datetime.date(2026, 1, 31))
    apply_at(ams(2026, 4, 30), "tools-after-end")
    assert not m.DataSubject.objects.filter(pk=subject.pk).exists()
    assert RecipientTask.objects.count() == 2


def test_a_failed_batch_makes_no_task_and_deletes_nothing(monkeypatch):
    _, clifton, _ = _trainee_with_accounts(datetime.date(2026, 1, 31))

    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr("retention.services._erase_batch", broken)
    with pytest.raises(RuntimeError):
        apply_at(ams(2026, 4, 30), "tools-after-end")
    assert _exists(clifton)
    assert not RecipientTask.objects.exists()
    monkeypatch.undo()
    apply_at(ams(2026, 4, 30), "tools-after-end")
    assert not _exists(clifton)
    assert RecipientTask.objects.count() == 2


# -- trajectory-review ----------------------------------------------------------------


def test_a_trajectory_without_an_end_is_due_for_review_twelve_months_after_its_start():
    f.TrajectoryFactory(started_on=datetime.date(2025, 3, 15), ended_on=None)
    f.TrajectoryFactory(started_on=datetime.date(2025, 3, 15), ended_on=datetime.date(2026, 1, 1))
    run = apply_at(ams(2026, 3, 15) - S, "trajectory-review")
    assert run.due_for_review == 0
    assert not mail.outbox
    run = apply_at(ams(2026, 3, 15), "trajectory-review")
    assert run.due_for_review == 1
    assert run.total_rows == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "Trajectories to review (1)" in message.subject
    assert " / " in message.subject, "Dutch first, then English"
    assert "/staff/retention/trajectories/" in message.body


def test_a_trajectory_kept_open_comes_back_on_its_next_review_date():
    f.TrajectoryFactory(
        started_on=datetime.date(2024, 1, 1),
        ended_on=None,
        next_review_on=datetime.date(2026, 5, 1),
        keep_reason="Loopt door in 2026",
    )
    assert apply_at(ams(2026, 5, 1) - S, "trajectory-review").due_for_review == 0
    assert apply_at(ams(2026, 5, 1), "trajectory-review").due_for_review == 1


def test_the_end_set_in_the_review_starts_the_coaching_rules(officer):
    from retention.trajectory_review import trajectory_end_set

    trajectory = f.TrajectoryFactory(started_on=datetime.date(2025, 1, 1), ended_on=None)
    note = f.CoachingNoteFactory(trajectory=trajectory)
    f.SubjectRoleFactory(subject=note.participant)
    apply_at(timezone.now(), "coaching-end")
    assert _exists(note), "no end: the note stays"
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    trajectory_end_set(actor=officer, trajectory=trajectory, ended_on=yesterday)
    trajectory.refresh_from_db()
    assert trajectory.ended_on is not None
    apply_at(timezone.now(), "coaching-end")
    assert not _exists(note)


def test_the_task_of_a_deleted_account_is_on_the_staff_task_list(staff_client):
    from django.urls import reverse

    _trainee_with_accounts(datetime.date(2026, 1, 31))
    apply_at(ams(2026, 4, 30), "tools-after-end")
    page = staff_client.get(reverse("requests_dsar:staff_withdrawal_tasks")).content.decode()
    assert "Gallup (CliftonStrengths)" in page and "GALLUP-77" in page
    assert "E2Grow" in page and "e2g-77" in page
