"""``manage.py demo_login``: the demo privacy officer's login, printed for a newcomer.

The password is derived from the ``SECRET_KEY`` (a keyed hash of the username), so it is
stored nowhere in plain form and the same login works on every ``make run``. A password
changed by hand is left alone unless ``--reset`` asks for a new one.

Staff sign in with a second factor, so the demo account has an authenticator app (a TOTP
device) whose key is derived from the ``SECRET_KEY`` the same way: the printed
``otpauth://`` URI adds it to any authenticator app once, and ``--code`` prints the
current 6-digit code for whoever has none at hand. A device set up again by hand is kept
unless ``--reset``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from subjects.permissions import staff_groups_ensure


def demo_password(username: str) -> str:
    """The demo login's password: stable for one ``SECRET_KEY`` and username, unguessable
    without the key."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"demo-login:{username}".encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest)[:16].decode()


def demo_totp_key(username: str) -> str:
    """The demo login's TOTP key (hex, 20 bytes): stable for one ``SECRET_KEY`` and
    username, unguessable without the key."""
    return hmac.new(
        settings.SECRET_KEY.encode(), f"demo-login-totp:{username}".encode(), hashlib.sha256
    ).hexdigest()[:40]


def demo_totp_device(user: Any, *, reset: bool) -> tuple[TOTPDevice, bool]:
    """The demo account's authenticator app (the library's default device), made with the
    derived key when missing or on ``reset``; returns it and whether it was set up again
    by hand since (then its key is not the printed one)."""
    key = demo_totp_key(user.get_username())
    device = TOTPDevice.objects.filter(user=user, name="default").first()
    if device is None:
        device = TOTPDevice(user=user, name="default")
    elif device.key != key and not reset:
        return device, True
    device.key = key
    device.confirmed = True
    device.save()
    return device, False


def current_code(device: TOTPDevice) -> str:
    return str(totp(device.bin_key, device.step, device.t0, device.digits, device.drift)).zfill(
        device.digits
    )


class Command(BaseCommand):
    help = (
        "Create the demo privacy officer account (once) and print its login; the same "
        "login works on every run, with its second factor (an authenticator app whose key "
        "is printed as an otpauth:// URI; --code prints the current 6-digit code). --reset "
        "sets the printed password and key again after they were changed by hand. Refuses "
        "to run when DEBUG is off unless --force is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="privacy")
        parser.add_argument(
            "--reset", action="store_true", help="Set the printed password and key again."
        )
        parser.add_argument(
            "--code", action="store_true", help="Print only the current 6-digit code."
        )
        parser.add_argument("--force", action="store_true", help="Also when DEBUG is off.")

    def handle(
        self, *args: Any, username: str, reset: bool, force: bool, code: bool, **options: Any
    ) -> None:
        if not settings.DEBUG and not force:
            raise CommandError("demo_login is for development; use --force in production.")
        username = username.strip()
        if not username or len(username) > 150:
            raise CommandError("Give a username of 1 to 150 characters.")
        officer, _ = staff_groups_ensure()
        password = demo_password(username)
        user, created = get_user_model().objects.get_or_create(username=username)
        changed_by_hand = (
            not created and user.has_usable_password() and not user.check_password(password)
        )
        if created or reset or not user.has_usable_password():
            user.set_password(password)
            changed_by_hand = False
        user.is_staff = True
        user.is_active = True
        user.email = user.email or "privacy@leafspring.nl"
        user.save()
        user.groups.add(officer)
        device, device_changed_by_hand = demo_totp_device(user, reset=reset)
        if code:
            self.stdout.write(current_code(device))
            return
        site = settings.SITE_URL.rstrip("/")
        shown = (
            "(the password was changed since; run `manage.py demo_login --reset` to set "
            f"{password} again)"
            if changed_by_hand
            else password
        )
        self.stdout.write(
            self.style.SUCCESS(f"Staff login (privacy officer): {username} / {shown}")
            + "\nSecond factor: "
            + (
                "(the authenticator app was set up again since; run `manage.py demo_login "
                "--reset` to use the demo key again)"
                if device_changed_by_hand
                else f"add {device.config_url} to an authenticator app, or type the 6-digit "
                "code from `manage.py demo_login --code`"
            )
            + f"\nLogin: {site}{reverse('two_factor:login')}"
            + f"\nDashboard: {site}{reverse('staff_dashboard')}"
            + f"\nAdmin: {site}{reverse('admin:index')}"
            + f"\nPublic site: {site}/"
        )
