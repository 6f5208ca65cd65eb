"""Sign-in throttling (issue 12, finding 2): the set number of wrong passwords locks that
user name from that address, the same for a user name that exists and one that does
not; nobody elsewhere is locked out; a privacy officer lifts a lock, audited; the
attempts go at most 4 weeks later (rule login-4w)."""

from __future__ import annotations

import datetime
import re

import pytest
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.test import Client
from django.urls import reverse

from subjects.models import AuditEvent
from tests import factories as f
from tests.conftest import verified_device
from tests.retention.conftest import apply_at, utc
from tests.staff_login.helpers import PASSWORD, code_of, password_step, token_step

pytestmark = pytest.mark.django_db

HERE = {"REMOTE_ADDR": "198.51.100.7"}
ELSEWHERE = {"REMOTE_ADDR": "203.0.113.66"}
LIMIT = settings.AXES_FAILURE_LIMIT


def _wrong(client: Client, username: str, address=HERE):
    return password_step(client, username, "not the password", **address)


def _answer(response) -> tuple[int, str]:
    """What the visitor sees, without the per-request CSRF token and the typed name."""
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    body = re.sub(r'value="(officer|nobody-here)"', "", body)
    return response.status_code, body


def test_the_set_number_of_wrong_passwords_locks_the_user_name_from_that_address(officer):
    client = Client()
    for _ in range(LIMIT - 1):
        assert _wrong(client, "officer").status_code == 200
    locked = _wrong(client, "officer")
    assert locked.status_code == 429
    body = locked.content.decode()
    assert "locked" in body.lower() or "geblokkeerd" in body.lower()
    # The right password is refused now too, and nobody is signed in.
    again = password_step(Client(), "officer", PASSWORD, **HERE)
    assert again.status_code == 429
    assert AccessAttempt.objects.get().failures_since_start >= LIMIT


def test_the_answers_are_the_same_for_a_known_and_an_unknown_user_name(officer):
    known, unknown = Client(), Client()
    for _ in range(LIMIT + 1):
        assert _answer(_wrong(known, "officer")) == _answer(_wrong(unknown, "nobody-here"))
    assert _answer(password_step(Client(), "officer", PASSWORD, **HERE)) == _answer(
        password_step(Client(), "nobody-here", PASSWORD, **HERE)
    )


def test_the_lockout_page_says_so_in_dutch_and_in_english(officer):
    for _ in range(LIMIT):
        _wrong(Client(), "officer")
    english = Client().post(
        "/en/account/login/",
        {
            "staff_login_view-current_step": "auth",
            "auth-username": "officer",
            "auth-password": "not the password",
        },
        **HERE,
    )
    assert english.status_code == 429
    assert "Signing in is locked for now" in english.content.decode()
    assert "60 minutes" in english.content.decode()


def test_a_lock_from_another_address_does_not_lock_the_officer_out(officer):
    for _ in range(LIMIT + 3):
        _wrong(Client(), "officer", ELSEWHERE)
    assert password_step(Client(), "officer", PASSWORD, **ELSEWHERE).status_code == 429
    device = verified_device(officer)
    client = Client()
    assert password_step(client, "officer", PASSWORD, **HERE).status_code == 200
    response = token_step(client, code_of(device), **HERE)
    assert response.status_code == 302
    assert client.get(reverse("staff_dashboard")).status_code == 200
    assert AccessLog.objects.filter(username="officer", ip_address=HERE["REMOTE_ADDR"]).exists()


def test_a_privacy_officer_lifts_a_lock_and_the_audit_trail_says_who(officer, staff):
    colleague = f.UserFactory(username="colleague", is_staff=True)
    for _ in range(LIMIT):
        _wrong(Client(), "colleague")
    assert password_step(Client(), "colleague", PASSWORD, **HERE).status_code == 429
    lock = AccessAttempt.objects.get(username="colleague")
    changelist = reverse("admin:axes_accessattempt_changelist")

    staff_client = Client()
    staff_client.force_login(staff)
    assert staff_client.get(changelist).status_code == 403
    staff_client.post(changelist, {"action": "lift_locks", "_selected_action": [lock.pk]})
    assert AccessAttempt.objects.filter(pk=lock.pk).exists()

    officer_client = Client()
    officer_client.force_login(officer)
    assert officer_client.get(changelist).status_code == 200
    response = officer_client.post(
        changelist, {"action": "lift_locks", "_selected_action": [lock.pk]}
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(pk=lock.pk).exists()
    event = AuditEvent.objects.get(action="login.unlock")
    assert (event.actor, event.params["username"]) == (officer, "colleague")
    assert HERE["REMOTE_ADDR"] not in f"{event.target} {event.note}"
    # Signing in works again at once.
    assert password_step(Client(), "colleague", PASSWORD, **HERE).status_code == 302
    assert colleague.pk


def test_an_outsider_sees_no_locks(outsider_client):
    response = outsider_client.get(reverse("admin:axes_accessattempt_changelist"))
    assert response.status_code == 302


def test_the_password_and_the_csrf_token_are_not_kept_with_the_attempts(officer):
    Client().post(
        "/account/login/",
        {
            "staff_login_view-current_step": "auth",
            "auth-username": "officer",
            "auth-password": "not the password",
            "csrfmiddlewaretoken": "a-working-csrf-token",
        },
        **HERE,
    )
    post_data = AccessAttempt.objects.get().post_data
    assert "auth-password=" in post_data and "csrfmiddlewaretoken=" in post_data
    assert "not the password" not in post_data and "a-working-csrf-token" not in post_data


def test_sign_in_attempts_go_one_hourly_run_before_four_weeks_have_passed(officer):
    _wrong(Client(), "officer")
    attempt = AccessAttempt.objects.get()
    AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=utc(2026, 3, 20, 10, 0))
    log = AccessLog.objects.create(
        username="officer", ip_address="198.51.100.7", user_agent="", http_accept=""
    )
    AccessLog.objects.filter(pk=log.pk).update(attempt_time=utc(2026, 3, 20, 10, 0))
    # 4 weeks = 672 hours, across the change to summer time; the rule runs every hour.
    boundary = utc(2026, 4, 17, 9, 0)
    apply_at(boundary - datetime.timedelta(seconds=1), "login-4w")
    assert AccessAttempt.objects.exists() and AccessLog.objects.exists()
    run = apply_at(boundary, "login-4w")
    assert not AccessAttempt.objects.exists() and not AccessLog.objects.exists()
    assert run.rows_affected == {"axes.AccessAttempt": 1, "axes.AccessLog": 1}
    assert run.outcome == "success"
