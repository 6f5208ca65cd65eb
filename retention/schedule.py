"""THE beat schedule: every periodic task of the application, in one place.

One entry per retention rule, every ``run_every_hours`` of the rule as the register in
``processing.register_data`` defines it (the same data the migration loads into
``RetentionRule``). Intervals are exact elapsed hours (not a wall-clock crontab), so a
change of summer time never stretches the gap between two runs beyond the margin a run
looks ahead (``retention.services.retention_margin``).

The rights-request app and the register app contribute their own periodic tasks in
``requests_dsar.schedule.DSAR_BEAT_SCHEDULE`` and
``processing.schedule.PROCESSING_BEAT_SCHEDULE``, the subjects app in
``subjects.schedule.SUBJECTS_BEAT_SCHEDULE``; they are merged in here.
"""

from __future__ import annotations

import datetime
from typing import Any

from processing.register_data import RETENTION_RULES
from processing.schedule import PROCESSING_BEAT_SCHEDULE
from requests_dsar.schedule import DSAR_BEAT_SCHEDULE
from subjects.schedule import SUBJECTS_BEAT_SCHEDULE

APPLY_RULE_TASK = "retention.apply_rule"
NEVER = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


def interval_hours(rule_key: str) -> int | None:
    """How often the schedule runs a rule, in hours (None: not scheduled)."""
    for spec in RETENTION_RULES:
        if spec["key"] == rule_key:
            return int(spec["every"])
    return None


def retention_beat_schedule() -> dict[str, dict[str, Any]]:
    return {
        f"retention:{spec['key']}": {
            "task": APPLY_RULE_TASK,
            "schedule": datetime.timedelta(hours=int(spec["every"])),
            "args": (spec["key"],),
            # A run queued but not started before the next one is due is superseded.
            "options": {"expires": int(spec["every"]) * 3600},
            # Never run before: due as soon as beat first sees the entry, so a fresh
            # deployment enforces the rule now rather than one interval later. After
            # that, beat's schedule file remembers the last run (this value is ignored).
            "last_run_at": NEVER,
        }
        for spec in RETENTION_RULES
    }


def beat_schedule() -> dict[str, dict[str, Any]]:
    """The one beat schedule of the Celery app (``leafspring.celery``): the retention
    rules, the periodic jobs of rights requests, those of the register app (the consent
    page's links) and those of the subjects app (unconfirmed newsletter sign-ups)."""
    schedule = retention_beat_schedule()
    # A run whose worker was killed shows as failed ("interrupted") within 15 minutes.
    schedule["retention:close-interrupted-runs"] = {
        "task": "retention.close_interrupted_runs",
        "schedule": datetime.timedelta(minutes=5),
        "options": {"expires": 4 * 60},
    }
    for app_schedule in (DSAR_BEAT_SCHEDULE, PROCESSING_BEAT_SCHEDULE, SUBJECTS_BEAT_SCHEDULE):
        overlap = schedule.keys() & app_schedule.keys()
        if overlap:
            raise ValueError(f"Beat entries defined twice: {sorted(overlap)}")
        schedule.update(app_schedule)
    return schedule
