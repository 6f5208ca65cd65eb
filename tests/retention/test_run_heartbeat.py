"""A retention run killed outright (SIGKILL) does not say "running" for hours: its
sign of life stops, and the check every five minutes marks it failed ("interrupted")
10 minutes after the last one (issue 12, finding 7). The rule's next run finishes the
work, as before."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from retention.models import RetentionRule, RetentionRun
from retention.schedule import beat_schedule
from retention.services import HEARTBEAT_STALE, INTERRUPTED, retention_rule_apply
from retention.tasks import interrupted_runs_close_task

pytestmark = pytest.mark.django_db
T0 = datetime.datetime(2026, 11, 27, 9, 0, tzinfo=datetime.UTC)


def _killed_run(*, heartbeat_at):
    return RetentionRun.objects.create(
        rule=RetentionRule.objects.get(key="ip-4w"), started_at=T0, heartbeat_at=heartbeat_at
    )


def test_a_run_without_a_sign_of_life_is_marked_interrupted_at_the_exact_boundary():
    run = _killed_run(heartbeat_at=T0)
    with time_machine.travel(T0 + HEARTBEAT_STALE - datetime.timedelta(seconds=1), tick=False):
        assert interrupted_runs_close_task() == 0
    run.refresh_from_db()
    assert run.outcome == RetentionRun.Outcome.RUNNING
    with time_machine.travel(T0 + HEARTBEAT_STALE, tick=False):
        assert interrupted_runs_close_task() == 1
    run.refresh_from_db()
    assert run.outcome == RetentionRun.Outcome.FAILED and run.error == INTERRUPTED
    assert run.finished_at == T0 + HEARTBEAT_STALE


def test_a_run_that_shows_signs_of_life_is_left_alone():
    run = _killed_run(heartbeat_at=T0 + datetime.timedelta(minutes=30))
    with time_machine.travel(T0 + datetime.timedelta(minutes=35), tick=False):
        assert interrupted_runs_close_task() == 0
    run.refresh_from_db()
    assert run.outcome == RetentionRun.Outcome.RUNNING


def test_a_run_writes_its_sign_of_life_and_the_next_run_of_the_rule_closes_a_dead_one():
    dead = _killed_run(heartbeat_at=None)
    with time_machine.travel(T0 + datetime.timedelta(minutes=11), tick=False):
        run = retention_rule_apply(rule_key="ip-4w")
    dead.refresh_from_db()
    assert dead.outcome == RetentionRun.Outcome.FAILED
    assert run.outcome == RetentionRun.Outcome.SUCCESS
    run.refresh_from_db()
    assert run.heartbeat_at is not None and run.heartbeat_at >= run.started_at


def test_the_check_runs_every_five_minutes():
    entry = beat_schedule()["retention:close-interrupted-runs"]
    assert entry["task"] == "retention.close_interrupted_runs"
    assert entry["schedule"] == datetime.timedelta(minutes=5)
