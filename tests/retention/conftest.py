from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from retention.services import retention_rule_apply

AMS = ZoneInfo("Europe/Amsterdam")
UTC = datetime.UTC


def ams(*args: int) -> datetime.datetime:
    """A wall-clock time in Amsterdam."""
    return datetime.datetime(*args, tzinfo=AMS)


def utc(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=UTC)


def apply_at(moment: datetime.datetime, rule_key: str, **kwargs):
    """Run a rule with the clock standing at ``moment``."""
    with time_machine.travel(moment, tick=False):
        return retention_rule_apply(rule_key=rule_key, **kwargs)


@pytest.fixture
def second():
    return datetime.timedelta(seconds=1)
