"""Consent page links are deleted by the hourly job once their 24-hour link and their
1-hour session have both ended: the address they hold is needed for nothing else."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from celery.schedules import crontab

from leafspring.celery import app
from processing.consent_page import consent_page_link_use, consent_page_links_delete_expired
from processing.models import ConsentPageLink
from processing.tasks import delete_expired_consent_page_links
from retention.schedule import beat_schedule
from tests.retention.conftest import utc

pytestmark = pytest.mark.django_db

SENT_AT = utc(2026, 5, 4, 9, 0)
S = datetime.timedelta(seconds=1)
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(hours=24)


def _sent(visitor, at=SENT_AT) -> str:
    person = visitor()
    with time_machine.travel(at, tick=False):
        person.ask()
    return person.token()


def _delete_at(moment) -> int:
    with time_machine.travel(moment, tick=False):
        return consent_page_links_delete_expired()


def test_an_unused_link_is_deleted_when_its_24_hours_have_passed(visitor):
    _sent(visitor)
    assert _delete_at(SENT_AT + DAY - S) == 0
    assert _delete_at(SENT_AT + DAY) == 1
    assert not ConsentPageLink.objects.exists()


def test_a_used_link_is_kept_while_it_can_still_say_it_was_used(visitor):
    token = _sent(visitor)
    with time_machine.travel(SENT_AT + HOUR, tick=False):
        assert consent_page_link_use(token=token).outcome == "ready"
    assert _delete_at(SENT_AT + 2 * HOUR) == 0  # the session has ended, the link not
    assert _delete_at(SENT_AT + DAY - S) == 0
    assert _delete_at(SENT_AT + DAY) == 1


def test_a_session_still_open_after_the_24_hours_keeps_its_link_until_it_ends(visitor):
    token = _sent(visitor)
    used_at = SENT_AT + DAY - 30 * 60 * S
    with time_machine.travel(used_at, tick=False):
        consent_page_link_use(token=token)
    assert _delete_at(SENT_AT + DAY) == 0
    assert _delete_at(used_at + HOUR - S) == 0
    assert _delete_at(used_at + HOUR) == 1


def test_the_task_deletes_and_runs_every_hour(visitor):
    _sent(visitor)
    _sent(visitor, at=SENT_AT + 2 * DAY)
    with time_machine.travel(SENT_AT + 2 * DAY, tick=False):
        assert delete_expired_consent_page_links() == 1
    assert ConsentPageLink.objects.count() == 1
    entry = beat_schedule()["consent-page-delete-expired-links"]
    assert entry["task"] == "processing.delete_expired_consent_page_links"
    assert entry["schedule"] == crontab(minute=50)
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks
    assert app.conf.beat_schedule["consent-page-delete-expired-links"] == entry
