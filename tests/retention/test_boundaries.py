"""Every rule at its exact boundary: one second before (limit - the job's interval) the
row is kept, at it the row is gone. Expected moments are worked out by hand here, in
Amsterdam time where the rule counts in days of the calendar."""

from __future__ import annotations

import datetime

import pytest

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


def test_ip_addresses_go_one_hourly_run_before_four_weeks_have_passed():
    visit = f.WebsiteVisitFactory(visited_at=utc(2026, 3, 20, 10, 0))
    # 4 weeks = 672 hours elapsed, across the change to summer time; runs every hour.
    run = _kept_then_gone("ip-4w", visit, utc(2026, 4, 17, 9, 0))
    assert run.rows_affected == {"subjects.WebsiteVisit": 1}
    assert run.outcome == "success"


def test_newsletter_data_goes_a_daily_run_before_six_weeks_after_unsubscribing():
    subscription = f.NewsletterSubscriptionFactory(unsubscribed_at=utc(2026, 10, 1, 12, 0))
    f.SubjectRoleFactory(subject=subscription.subject)  # a client: the person stays
    _kept_then_gone("unsubscribe-6w", subscription, utc(2026, 11, 11, 12, 0))


def test_an_active_subscription_is_never_deleted():
    subscription = f.NewsletterSubscriptionFactory(unsubscribed_at=None)
    apply_at(utc(2040, 1, 1), "unsubscribe-6w")
    assert _exists(subscription)


def test_brochure_requests_go_a_daily_run_before_three_calendar_months():
    request = f.BrochureRequestFactory(requested_at=ams(2026, 1, 15, 10, 0))
    # 15 April 10:00 in Amsterdam is 08:00 UTC (summer time); minus the daily interval.
    _kept_then_gone("brochure-3m", request, utc(2026, 4, 14, 8, 0))


def test_brochure_requests_at_the_end_of_a_long_month_end_on_the_last_day_of_a_short_one():
    request = f.BrochureRequestFactory(requested_at=ams(2025, 11, 30, 15, 0))
    # 30 November + 3 months = 28 February 15:00 (Amsterdam, winter time: 14:00 UTC).
    _kept_then_gone("brochure-3m", request, utc(2026, 2, 27, 14, 0))


def test_bookkeeping_is_kept_seven_years_after_the_end_of_the_book_year():
    invoice = f.InvoiceFactory(issued_on=datetime.date(2019, 3, 15))
    f.SubjectRoleFactory(subject=invoice.subject)
    # Book year 2019 ends 31 Dec 2019; kept through 31 Dec 2026; gone when that day ends
    # (1 Jan 2027 00:00 Amsterdam), so the daily run of 31 Dec 2026 deletes it.
    _kept_then_gone("fiscal-7y", invoice, ams(2026, 12, 31, 0, 0))


def test_supplier_invoice_details_follow_the_book_year_of_the_last_invoice():
    details = f.SupplierDetailsFactory(last_invoice_on=datetime.date(2019, 12, 31))
    f.SubjectRoleFactory(subject=details.contact)
    _kept_then_gone("fiscal-7y", details, ams(2026, 12, 31, 0, 0))


def test_business_email_belongs_to_the_book_year_of_amsterdam_not_utc():
    old = f.CorrespondenceFactory(sent_at=ams(2019, 12, 31, 23, 30))
    # 00:30 on 1 January in Amsterdam is still 2019 in UTC, but book year 2020.
    new = f.CorrespondenceFactory(sent_at=ams(2020, 1, 1, 0, 30))
    for mail in (old, new):
        f.SubjectRoleFactory(subject=mail.subject)
    _kept_then_gone("fiscal-7y", old, ams(2026, 12, 31, 0, 0))
    assert _exists(new)
    _kept_then_gone("fiscal-7y", new, ams(2027, 12, 31, 0, 0))


def test_coaching_notes_and_profiles_go_when_the_last_day_of_the_trajectory_is_over():
    trajectory = f.TrajectoryFactory(ended_on=datetime.date(2026, 6, 10))
    note = f.CoachingNoteFactory(trajectory=trajectory)
    profile = f.TraineeProfileFactory(participation__trajectory=trajectory)
    # The trajectory runs through 10 June; its end is 11 June 00:00 in Amsterdam, so the
    # daily run from 10 June 00:00 deletes.
    apply_at(ams(2026, 6, 10) - S, "coaching-end")
    assert _exists(note) and _exists(profile)
    run = apply_at(ams(2026, 6, 10), "coaching-end")
    assert not _exists(note) and not _exists(profile)
    assert run.rows_affected["subjects.CoachingNote"] == 1
    assert run.rows_affected["subjects.TraineeProfile"] == 1


def test_a_running_trajectory_keeps_its_notes():
    note = f.CoachingNoteFactory(trajectory__ended_on=None)
    apply_at(utc(2040, 1, 1), "coaching-end")
    assert _exists(note)


def test_coaching_monitor_data_without_research_consent_goes_at_the_end_of_the_trajectory():
    participation = f.CoachingMonitorParticipationFactory(
        trajectory__ended_on=datetime.date(2026, 6, 10),
        research_consent=False,
        answers={"q1": 4, "q2": "Mijn burn-out na de scheiding"},
    )
    person = participation.subject
    # The trajectory runs through 10 June; the daily run from 10 June 00:00 deletes.
    run = _kept_then_gone("monitor-end", participation, ams(2026, 6, 10))
    assert run.rows_affected == {
        "subjects.CoachingMonitorParticipation": 1,
        "subjects.DataSubject": 1,
    }
    assert not _exists(person), "nothing else keeps the participant"


def test_with_research_consent_only_the_answers_on_a_scale_stay_anonymised():
    participation = f.CoachingMonitorParticipationFactory(
        trajectory__ended_on=datetime.date(2026, 6, 10),
        research_consent=True,
        demographics_consent_at=utc(2026, 1, 5),
        answers={"q1": 4, "q2": 5, "q3": "Mijn burn-out na de scheiding", "q4": ["x"]},
    )
    apply_at(ams(2026, 6, 10) - S, "monitor-end")
    participation.refresh_from_db()
    assert participation.subject_id is not None and participation.anonymised_at is None
    run = apply_at(ams(2026, 6, 10), "monitor-end")
    participation.refresh_from_db()
    assert participation.subject_id is None and participation.trajectory_id is None
    assert participation.invited_at is None and participation.demographics_consent_at is None
    assert participation.initials == participation.gender == participation.marital_status == ""
    assert participation.highest_education == "" and participation.age is None
    assert participation.answers == {"q1": 4, "q2": 5}, "free text is not anonymous"
    assert participation.anonymised_at == ams(2026, 6, 10)
    assert run.rows_affected["subjects.CoachingMonitorParticipation"] == 1


def test_with_research_consent_but_only_free_text_nothing_is_left_to_keep():
    participation = f.CoachingMonitorParticipationFactory(
        trajectory__ended_on=datetime.date(2026, 6, 10),
        research_consent=True,
        answers={"toelichting": "Ik heb last van paniekaanvallen"},
    )
    _kept_then_gone("monitor-end", participation, ams(2026, 6, 10))


def test_anonymised_monitor_answers_go_a_daily_run_before_five_years_after_anonymising():
    participation = f.CoachingMonitorParticipationFactory(
        trajectory__ended_on=datetime.date(2026, 6, 10), research_consent=True
    )
    apply_at(ams(2026, 6, 10, 3, 15), "monitor-end")
    participation.refresh_from_db()
    assert participation.anonymised_at == ams(2026, 6, 10, 3, 15)
    # 5 calendar years after the anonymisation, less the daily interval of the rule.
    run = _kept_then_gone("nobco-5y", participation, ams(2031, 6, 9, 3, 15))
    assert run.rows_affected == {"retention.AnonymisedMonitorAnswers": 1}


def test_the_five_years_do_not_touch_monitor_data_that_is_not_anonymised():
    running = f.CoachingMonitorParticipationFactory(
        trajectory__ended_on=None, research_consent=True, invited_at=utc(2020, 1, 1)
    )
    run = apply_at(utc(2040, 1, 1), "nobco-5y")
    assert _exists(running) and run.total_rows == 0


def test_anonymising_twice_does_nothing_the_second_time():
    f.CoachingMonitorParticipationFactory(
        trajectory__ended_on=datetime.date(2026, 6, 10), research_consent=True
    )
    first = apply_at(ams(2026, 6, 11), "monitor-end")
    run = apply_at(ams(2026, 6, 12), "monitor-end")
    assert first.rows_affected["subjects.CoachingMonitorParticipation"] == 1
    assert run.total_rows == 0


def test_anonymised_evaluations_go_a_daily_run_before_five_years():
    evaluation = f.ClientEvaluationFactory(evaluated_on=datetime.date(2021, 3, 1))
    # Kept through 1 March 2026, gone when that day ends.
    _kept_then_gone("nobco-5y", evaluation, ams(2026, 3, 1))


def test_an_evaluation_of_29_february_is_kept_through_28_february():
    evaluation = f.ClientEvaluationFactory(evaluated_on=datetime.date(2020, 2, 29))
    _kept_then_gone("nobco-5y", evaluation, ams(2025, 2, 28))


def test_tool_accounts_go_within_the_hour_of_the_request():
    requested = utc(2026, 5, 4, 13, 20)
    clifton = f.CliftonStrengthsAccountFactory(deletion_requested_at=requested)
    e2grow = f.E2GrowAccountFactory(deletion_requested_at=requested)
    for account in (clifton, e2grow):
        f.SubjectRoleFactory(subject=account.subject)
    apply_at(requested - datetime.timedelta(hours=1) - S, "tools-on-demand")
    assert _exists(clifton) and _exists(e2grow)
    apply_at(requested - datetime.timedelta(hours=1), "tools-on-demand")
    assert not _exists(clifton) and not _exists(e2grow)


def test_contact_messages_become_due_for_review_after_the_cadence():
    message = f.ContactMessageFactory(received_at=ams(2026, 1, 1, 10, 0))
    # Every 90 days: due on 1 April (Amsterdam).
    run = apply_at(ams(2026, 4, 1) - S, "contact-review")
    assert run.due_for_review == 0
    run = apply_at(ams(2026, 4, 1), "contact-review")
    assert run.due_for_review == 1
    assert run.total_rows == 0
    assert m.ContactMessage.objects.filter(pk=message.pk).exists(), "review deletes nothing"


def test_a_kept_contact_message_comes_back_on_its_next_review_date():
    f.ContactMessageFactory(
        received_at=ams(2025, 1, 1), next_review_on=datetime.date(2026, 5, 1), keep_reason="x"
    )
    assert apply_at(ams(2026, 5, 1) - S, "contact-review").due_for_review == 0
    assert apply_at(ams(2026, 5, 1), "contact-review").due_for_review == 1
