"""A staff member signs in in a real browser (Debian's chromium): the password, then the
code of the authenticator app; a new one sets the app up first, from the QR code drawn
by this site. Nothing is loaded from another host."""

from __future__ import annotations

import base64
from urllib.parse import urlsplit

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from subjects.permissions import staff_groups_ensure
from tests import factories as f
from tests.staff_login.helpers import PASSWORD, code_of

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NEXT = "main button.btn-success[type=submit]"


def _only_this_host(page, live_server) -> None:
    own = urlsplit(live_server.url).netloc
    assert {urlsplit(url).netloc for url in page.requested_urls} == {own}


def _password(page, live_server, username: str) -> None:
    page.goto(live_server.url + "/staff/")
    assert urlsplit(page.url).path == "/account/login/"
    page.fill("input[name='auth-username']", username)
    page.fill("input[name='auth-password']", PASSWORD)
    page.click(NEXT)


def test_the_privacy_officer_signs_in_with_password_and_code(page, live_server):
    officer = f.UserFactory(username="officer", is_staff=True)
    officer.groups.add(staff_groups_ensure()[0])
    device = TOTPDevice.objects.create(user=officer, name="default", confirmed=True)
    _password(page, live_server, "officer")
    assert urlsplit(page.url).path == "/account/login/"  # the second step
    page.fill("input[name='token-otp_token']", code_of(device))
    page.click(NEXT)
    assert urlsplit(page.url).path == "/staff/"
    assert page.locator("#staff-accounts").count() == 1
    _only_this_host(page, live_server)


def test_a_new_staff_member_sets_up_the_app_from_the_qr_code_at_the_first_login(page, live_server):
    staff = f.UserFactory(username="nieuw", is_staff=True)
    staff.groups.add(staff_groups_ensure()[1])
    _password(page, live_server, "nieuw")
    assert urlsplit(page.url).path == "/account/two_factor/setup/"
    page.click(NEXT)  # the welcome step
    qr = page.locator("img[src='/account/two_factor/qrcode/']")
    qr.wait_for()
    assert page.evaluate("img => img.naturalWidth", qr.element_handle()) > 0
    secret = page.locator("a[href^='otpauth://']").inner_text().strip()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8)).hex()
    page.fill("input[name='generator-token']", code_of(TOTPDevice(key=key)))
    page.click(NEXT)
    assert urlsplit(page.url).path == "/staff/"
    assert TOTPDevice.objects.filter(user=staff, confirmed=True).exists()
    _only_this_host(page, live_server)
