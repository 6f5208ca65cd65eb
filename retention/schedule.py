"""THE beat schedule: every periodic task of the application, in one place.

One entry per retention rule, every ``run_every_hours`` of the rule as the register in
``processing.register_data`` defines it (the same data the migration loads into
``RetentionRule``). Intervals are exact elapsed hours (not a wall-clock crontab), so a
change of summer time never stretches the gap between two runs beyond the margin a run
looks ahead (``retention.services.retention_margin``).

The rights-request app contributes its own periodic tasks in
``requests_dsar.schedule.DSAR_BEAT_SCHEDULE``; they are merged in here.
"""

from __future__ import annotations

import datetime
from typing import Any

from processing.register_data import RETENTION_RULES

APPLY_RULE_TASK = "retention.apply_rule"


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
        }
        for spec in RETENTION_RULES
    }


def beat_schedule() -> dict[str, dict[str, Any]]:
    """The one beat schedule of the Celery app (``leafspring.celery``)."""
    schedule = retention_beat_schedule()
    schedule.update(_dsar_beat_schedule())
    return schedule


def _dsar_beat_schedule() -> dict[str, dict[str, Any]]:
    try:
        from requests_dsar.schedule import DSAR_BEAT_SCHEDULE
    except ImportError:  # the rights-request app has no periodic tasks (yet)
        return {}
    return dict(DSAR_BEAT_SCHEDULE)
