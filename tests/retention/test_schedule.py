"""The beat schedule in code matches the rules: every rule runs as often as its margin
assumes, so no row outlives its limit waiting for the next run."""

from __future__ import annotations

import datetime

import pytest

from leafspring.celery import app
from retention.models import RetentionRule
from retention.schedule import APPLY_RULE_TASK, beat_schedule

pytestmark = pytest.mark.django_db


def test_every_rule_has_one_beat_entry_at_its_own_interval():
    schedule = beat_schedule()
    for rule in RetentionRule.objects.all():
        entry = schedule[f"retention:{rule.key}"]
        assert entry["task"] == APPLY_RULE_TASK
        assert entry["args"] == (rule.key,)
        assert entry["schedule"] == datetime.timedelta(hours=rule.run_every_hours), rule.key


def test_ip_addresses_and_tool_accounts_run_every_hour():
    schedule = beat_schedule()
    assert schedule["retention:ip-4w"]["schedule"] == datetime.timedelta(hours=1)
    assert schedule["retention:tools-on-demand"]["schedule"] == datetime.timedelta(hours=1)


def test_the_celery_app_uses_the_one_schedule_and_knows_the_task():
    assert app.conf.beat_schedule.keys() == beat_schedule().keys()
    app.loader.import_default_modules()
    assert APPLY_RULE_TASK in app.tasks
    for entry in app.conf.beat_schedule.values():
        assert entry["task"] in app.tasks, entry["task"]


def test_the_periodic_jobs_of_rights_requests_are_in_the_same_schedule():
    from requests_dsar.schedule import DSAR_BEAT_SCHEDULE

    schedule = beat_schedule()
    assert DSAR_BEAT_SCHEDULE
    for name, entry in DSAR_BEAT_SCHEDULE.items():
        assert schedule[name] == entry
