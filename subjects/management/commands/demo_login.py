"""``manage.py demo_login``: the demo privacy officer's login, printed for a newcomer.

The password is derived from the ``SECRET_KEY`` (a keyed hash of the username), so it is
stored nowhere in plain form and the same login works on every ``make run``. A password
changed by hand is left alone unless ``--reset`` asks for a new one.
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

from subjects.permissions import staff_groups_ensure


def demo_password(username: str) -> str:
    """The demo login's password: stable for one ``SECRET_KEY`` and username, unguessable
    without the key."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"demo-login:{username}".encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest)[:16].decode()


class Command(BaseCommand):
    help = (
        "Create the demo privacy officer account (once) and print its login; the same "
        "login works on every run. --reset sets the printed password again after it was "
        "changed by hand. Refuses to run when DEBUG is off unless --force is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="privacy")
        parser.add_argument("--reset", action="store_true", help="Set the printed password again.")
        parser.add_argument("--force", action="store_true", help="Also when DEBUG is off.")

    def handle(self, *args: Any, username: str, reset: bool, force: bool, **options: Any) -> None:
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
        site = settings.SITE_URL.rstrip("/")
        shown = (
            "(the password was changed since; run `manage.py demo_login --reset` to set "
            f"{password} again)"
            if changed_by_hand
            else password
        )
        self.stdout.write(
            self.style.SUCCESS(f"Staff login (privacy officer): {username} / {shown}")
            + f"\nDashboard: {site}{reverse('staff_dashboard')}"
            + f"\nAdmin: {site}{reverse('admin:index')}"
            + f"\nPublic site: {site}/"
        )
