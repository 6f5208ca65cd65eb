"""``manage.py retention``: run now, one rule, or a dry run that changes nothing."""

from __future__ import annotations

from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from retention.models import RetentionRule, RetentionRun
from subjects import models as m
from tests import factories as f
from tests.retention.conftest import utc

pytestmark = pytest.mark.django_db

NOW = utc(2026, 6, 1, 12, 0)


def _run(*args) -> str:
    out = StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("retention", *args, stdout=out)
    return out.getvalue()


def test_the_dry_run_lists_counts_and_the_oldest_record_and_changes_nothing():
    f.WebsiteVisitFactory(visited_at=utc(2026, 4, 1, 8, 0))
    f.WebsiteVisitFactory(visited_at=utc(2026, 4, 2, 8, 0))
    f.WebsiteVisitFactory(visited_at=utc(2026, 5, 31, 8, 0))
    output = _run("--dry-run")
    assert "subjects.WebsiteVisit: would delete 2 (oldest 2026-04-01 10:00" in output
    assert "brochure-3m" in output and "video-none" in output
    assert m.WebsiteVisit.objects.count() == 3
    assert not RetentionRun.objects.exists(), "a dry run logs no run"


def test_the_dry_run_of_one_rule_shows_only_that_rule():
    output = _run("--dry-run", "--rule", "nobco-5y")
    assert output.startswith("nobco-5y")
    assert "ip-4w" not in output


def test_one_rule_runs_now_and_is_logged_as_run_by_the_command():
    f.WebsiteVisitFactory(visited_at=utc(2026, 4, 1, 8, 0))
    output = _run("--rule", "ip-4w")
    assert "ip-4w: success, 1 rows" in output
    run = RetentionRun.objects.get()
    assert run.rule.key == "ip-4w"
    assert run.trigger == "command"
    assert not m.WebsiteVisit.objects.exists()


def test_without_options_every_active_rule_runs():
    _run()
    assert RetentionRun.objects.count() == RetentionRule.objects.filter(is_active=True).count()
    assert RetentionRun.objects.count() == 18
    assert set(RetentionRun.objects.values_list("outcome", flat=True)) == {"success"}


def test_an_unknown_rule_is_a_clear_error_and_writes_nothing():
    f.WebsiteVisitFactory(visited_at=utc(2026, 4, 1, 8, 0))
    with pytest.raises(CommandError, match="Unknown retention rule 'ip-4weeks'"):
        _run("--rule", "ip-4weeks")
    assert not RetentionRun.objects.exists()
    assert m.WebsiteVisit.objects.count() == 1
