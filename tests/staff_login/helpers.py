"""Signing in as staff through the library's own login view (password, then a code),
and the URLs of the staff side."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from django.urls.converters import IntConverter
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from formtools.wizard.views import normalize_name

from leafspring.staff_login import StaffLoginView
from tests.url_walk import url_patterns

PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's
LOGIN_URL = "/account/login/"
STEP = f"{normalize_name(StaffLoginView.__name__)}-current_step"


def code_of(device: TOTPDevice, *, drift: int = 0) -> str:
    """The device's current code, as an authenticator app shows it."""
    return str(totp(device.bin_key, device.step, device.t0, device.digits, drift)).zfill(
        device.digits
    )


def password_step(client: Client, username: str, password: str = PASSWORD, **extra):
    return client.post(
        LOGIN_URL,
        {STEP: "auth", "auth-username": username, "auth-password": password},
        **extra,
    )


def token_step(client: Client, code: str, **extra):
    return client.post(LOGIN_URL, {STEP: "token", "token-otp_token": code}, **extra)


def recovery_step(client: Client, code: str):
    client.post(LOGIN_URL, {STEP: "token", "wizard_goto_step": "backup"})
    return client.post(LOGIN_URL, {STEP: "backup", "backup-otp_token": code})


def staff_login(client: Client, user, device: TOTPDevice):
    """Sign in with the password and the device's current code; returns the response
    of the second step."""
    assert password_step(client, user.username).status_code == 200
    return token_step(client, code_of(device))


def is_to_the_second_factor(response, client: Client | None = None) -> bool:
    """A redirect to the two-factor login or to the setup of an authenticator app (the
    admin's pages go through the admin's login, which sends there: ``client`` follows)."""
    location = response.get("Location", "")
    for _hop in range(3):
        if client is None or not location.startswith(reverse("admin:index")):
            break
        response = client.get(location)
        location = response.get("Location", "")
    return response.status_code == 302 and (
        location.startswith(reverse("two_factor:login"))
        or location.startswith(reverse("two_factor:setup"))
    )


# Sample values for the arguments of staff and admin URLs.
SAMPLES = {
    "object_id": "1",
    "pk": 1,
    "app_label": "subjects",
    "action": "start",
    "content_type_id": "1",
}


def staff_side_urls() -> list[str]:
    """Every URL of the staff side (under /staff/ and /admin/), from the URL resolver,
    with sample arguments; an unnamed pattern (the admin's catch-all) with a sample
    path."""
    urls: set[str] = set()
    for route, pattern, namespace in url_patterns():
        route = route.lstrip("^")
        if not (route.startswith("staff/") or route.startswith("admin/")):
            continue
        if pattern.name is None:
            urls.add("/admin/no-such-page/")
            continue
        name = f"{namespace}{pattern.name}"
        converters = getattr(pattern.pattern, "converters", {})
        kwargs = {
            key: 1 if isinstance(converters.get(key), IntConverter) else SAMPLES.get(key, "x")
            for key in pattern.pattern.regex.groupindex
        }
        urls.add(reverse(name, kwargs=kwargs))
    return sorted(urls)
