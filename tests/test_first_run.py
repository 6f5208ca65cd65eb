"""The first run a newcomer sees: `make run` on any port, a login that keeps working, and
a demo that says what the retention jobs will remove from it at once."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from retention.models import RetentionRule
from retention.services import retention_rule_apply
from subjects.management.commands.demo_login import demo_password

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


def _login(**options) -> str:
    out = io.StringIO()
    call_command("demo_login", stdout=out, **options)
    return out.getvalue()


def _printed_password(output: str) -> str:
    return re.search(r"privacy / (\S+)", output).group(1)


def test_the_demo_login_keeps_working_across_runs(settings):
    settings.DEBUG = True
    first = _printed_password(_login())
    second = _printed_password(_login())
    assert first == second
    user = get_user_model().objects.get(username="privacy")
    assert user.check_password(first) and user.is_staff


def test_a_password_changed_by_hand_is_kept_unless_reset_is_asked(settings):
    settings.DEBUG = True
    _login()
    user = get_user_model().objects.get(username="privacy")
    user.set_password("my own password 123")
    user.save()
    output = _login()
    assert "--reset" in output
    user.refresh_from_db()
    assert user.check_password("my own password 123")
    _login(reset=True)
    user.refresh_from_db()
    assert user.check_password(demo_password("privacy"))


def test_the_password_is_not_stored_and_depends_on_the_secret_key(settings):
    settings.DEBUG = True
    settings.SECRET_KEY = "one key"
    first = demo_password("privacy")
    settings.SECRET_KEY = "another key"
    assert demo_password("privacy") != first
    _login()
    assert first not in get_user_model().objects.get(username="privacy").password


def test_the_printed_links_follow_the_site_url(settings):
    settings.DEBUG = True
    settings.SITE_URL = "http://127.0.0.1:8101"
    output = _login()
    assert "http://127.0.0.1:8101/admin/" in output
    assert "http://127.0.0.1:8101/staff/" in output
    assert ":8000" not in output


def test_demo_login_refuses_production_and_a_bad_username(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        _login()
    settings.DEBUG = True
    with pytest.raises(CommandError, match="1 to 150"):
        _login(username="   ")


def test_make_run_points_e_mail_links_at_the_port_it_serves():
    dry = subprocess.run(
        ["make", "-n", "run", "PORT=8101"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert "127.0.0.1:8101" in dry.stdout
    makefile = (ROOT / "Makefile").read_text()
    assert "run: export SITE_URL ?= http://127.0.0.1:$(PORT)" in makefile


def test_the_demo_says_what_the_first_retention_run_removes(settings):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    printed = out.getvalue()
    assert "app." not in printed and "subjects." not in printed  # names, not model labels
    assert "website visits: 8" in printed
    announced = set(re.findall(r"^  (.+?) \((?:delete|anonymise)\): ", printed, re.M))
    acted = set()
    for rule in RetentionRule.objects.filter(is_active=True).exclude(
        action__in=[RetentionRule.Action.REVIEW, RetentionRule.Action.NEVER_STORED]
    ):
        run = retention_rule_apply(rule_key=rule.key)
        if run.total_rows:
            with translation.override("en"):
                acted.add(rule.tr("name"))
    # Every rule that removes something at the first run was announced, and only those.
    assert acted and announced == acted
