"""A run that fails part-way is logged as failed and is safe to repeat: committed batches
stay done, the next run finishes the rest, nothing else is touched."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError

from retention import services
from retention.models import RetentionRun
from retention.tasks import retention_rule_apply_task
from subjects import models as m
from tests import factories as f
from tests.retention.conftest import apply_at, utc

pytestmark = pytest.mark.django_db

NOW = utc(2026, 6, 1, 12, 0)


def _visits():
    expired = [f.WebsiteVisitFactory(visited_at=utc(2026, 4, 1, 0, i)) for i in range(5)]
    fresh = [f.WebsiteVisitFactory(visited_at=utc(2026, 5, 30, 0, i)) for i in range(3)]
    return expired, fresh


def _crash_on_second_call(real):
    calls = []

    def fake(*args, **kwargs):
        calls.append(args)
        if len(calls) == 2:
            raise OperationalError("connection lost")
        return real(*args, **kwargs)

    return fake


def _assert_two_honest_runs(first_rows: dict, second_rows: dict) -> None:
    failed, succeeded = RetentionRun.objects.order_by("started_at", "pk")
    assert failed.outcome == "failed"
    assert "connection lost" in failed.error
    assert failed.rows_affected == first_rows
    assert failed.finished_at is not None
    assert succeeded.outcome == "success"
    assert succeeded.rows_affected == second_rows
    assert succeeded.error == ""


def test_a_crash_in_the_second_batch_then_a_second_run_finishes_the_work_honestly():
    expired, fresh = _visits()
    with (
        mock.patch.object(services, "_delete_rows", _crash_on_second_call(services._delete_rows)),
        pytest.raises(OperationalError),
    ):
        apply_at(NOW, "ip-4w", batch_size=2)
    assert m.WebsiteVisit.objects.count() == 6, "the first batch is committed, no more"

    apply_at(NOW, "ip-4w", batch_size=2)
    assert set(m.WebsiteVisit.objects.values_list("pk", flat=True)) == {v.pk for v in fresh}
    _assert_two_honest_runs({"subjects.WebsiteVisit": 2}, {"subjects.WebsiteVisit": 3})


def test_a_crash_in_a_batch_of_rows_that_name_a_person_is_just_as_safe():
    people = [f.SubjectRoleFactory().subject for _ in range(6)]
    expired = [
        f.BrochureRequestFactory(subject=p, requested_at=utc(2026, 1, 1)) for p in people[:5]
    ]
    fresh = f.BrochureRequestFactory(subject=people[5], requested_at=utc(2026, 5, 1))
    with (
        mock.patch.object(services, "_erase_batch", _crash_on_second_call(services._erase_batch)),
        pytest.raises(OperationalError),
    ):
        apply_at(NOW, "brochure-3m", batch_size=2)
    assert m.BrochureRequest.objects.count() == 4

    apply_at(NOW, "brochure-3m", batch_size=2)
    assert list(m.BrochureRequest.objects.all()) == [fresh]
    assert m.DataSubject.objects.count() == 6, "clients stay"
    _assert_two_honest_runs({"subjects.BrochureRequest": 2}, {"subjects.BrochureRequest": 3})
    assert len(expired) == 5


def test_a_batch_that_fails_rolls_back_with_the_people_it_would_have_removed():
    subscriptions = [
        f.NewsletterSubscriptionFactory(unsubscribed_at=utc(2026, 1, 1)) for _ in range(3)
    ]
    with (
        mock.patch.object(
            services, "data_subjects_without_purpose_delete", side_effect=RuntimeError("boom")
        ),
        pytest.raises(RuntimeError),
    ):
        apply_at(NOW, "unsubscribe-6w")
    assert m.NewsletterSubscription.objects.count() == 3, "the erase rolled back too"
    run = RetentionRun.objects.get()
    assert run.outcome == "failed" and run.total_rows == 0 and run.rows_affected == {}
    apply_at(NOW, "unsubscribe-6w")
    assert not m.NewsletterSubscription.objects.exists()
    assert not m.DataSubject.objects.filter(pk__in=[s.subject_id for s in subscriptions]).exists()


def test_a_run_cut_off_without_finishing_is_marked_failed_by_the_next_one():
    stale = RetentionRun.objects.create(
        rule_id=services.RetentionRule.objects.get(key="ip-4w").pk,
        started_at=utc(2026, 5, 31, 12, 0),
    )
    apply_at(NOW, "ip-4w")
    stale.refresh_from_db()
    assert stale.outcome == "failed"
    assert "Interrupted" in stale.error


def test_the_task_retries_a_failed_run_with_backoff():
    assert retention_rule_apply_task.max_retries == 5
    assert retention_rule_apply_task.retry_backoff
    with mock.patch(
        "retention.tasks.retention_rule_apply", side_effect=OperationalError("x")
    ) as apply:
        # Run eagerly, the retries happen at once: the first try and five retries.
        result = retention_rule_apply_task.apply(args=("ip-4w",))
    assert apply.call_count == 6
    assert result.state == "FAILURE"


def test_the_task_does_not_retry_a_rule_violation():
    with mock.patch(
        "retention.tasks.retention_rule_apply",
        side_effect=services.RetentionRuleViolation("held"),
    ) as apply:
        result = retention_rule_apply_task.apply(args=("video-none",))
    assert apply.call_count == 1
    assert result.state == "FAILURE"
