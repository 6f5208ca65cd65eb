"""`make run` keeps a newcomer able to sign in: demo_login gives the demo account a second
factor whose key is derived from the SECRET_KEY (the same on every run), prints it as an
otpauth:// URI, and `--code` prints the current code."""

from __future__ import annotations

import base64
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from subjects.management.commands.demo_login import demo_password, demo_totp_key
from tests.staff_login.helpers import password_step, token_step

pytestmark = pytest.mark.django_db


def _run(**options) -> str:
    out = io.StringIO()
    call_command("demo_login", stdout=out, **options)
    return out.getvalue()


def _secret(output: str) -> str:
    return re.search(r"otpauth://totp/\S*secret=([A-Z2-7]+)", output).group(1)


def test_the_second_factor_is_the_same_on_every_run(settings):
    settings.DEBUG = True
    first, second = _run(), _run()
    assert _secret(first) == _secret(second)
    device = TOTPDevice.objects.get(user__username="privacy")
    assert device.confirmed and device.name == "default"
    assert base64.b32decode(_secret(first)).hex() == device.key == demo_totp_key("privacy")
    assert "demo_login --code" in first


def test_the_key_depends_on_the_secret_key(settings):
    settings.SECRET_KEY = "one key"
    first = demo_totp_key("privacy")
    settings.SECRET_KEY = "another key"
    assert demo_totp_key("privacy") != first


def test_the_printed_code_signs_the_newcomer_in(settings):
    settings.DEBUG = True
    _run()
    code = _run(code=True).strip()
    assert re.fullmatch(r"\d{6}", code)
    client = Client()
    assert password_step(client, "privacy", demo_password("privacy")).status_code == 200
    assert token_step(client, code).status_code == 302
    assert client.get(reverse("staff_dashboard")).status_code == 200


def test_an_app_set_up_again_by_hand_is_kept_unless_reset(settings):
    settings.DEBUG = True
    _run()
    TOTPDevice.objects.filter(user__username="privacy").update(key="ab" * 20)
    output = _run()
    assert "--reset" in output and "otpauth://" not in output
    assert TOTPDevice.objects.get().key == "ab" * 20
    _run(reset=True)
    assert TOTPDevice.objects.get().key == demo_totp_key("privacy")
    assert get_user_model().objects.get(username="privacy").is_staff
