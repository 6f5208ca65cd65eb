from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from subjects.permissions import staff_groups_ensure


class Command(BaseCommand):
    help = (
        "Create (or reset) the demo privacy officer account and print its login. Refuses "
        "to run when DEBUG is off unless --force is given."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--username", default="privacy")
        parser.add_argument("--force", action="store_true", help="Also when DEBUG is off.")

    def handle(self, *args: Any, username: str, force: bool, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError("demo_login is for development; use --force in production.")
        if not username.strip() or len(username) > 150:
            raise CommandError("Give a username of 1 to 150 characters.")
        officer, _ = staff_groups_ensure()
        password = secrets.token_urlsafe(12)
        user, _ = get_user_model().objects.get_or_create(username=username)
        user.is_staff = True
        user.email = user.email or "privacy@leafspring.nl"
        user.set_password(password)
        user.save()
        user.groups.add(officer)
        self.stdout.write(
            self.style.SUCCESS(
                f"Staff login (privacy officer): {username} / {password}\n"
                f"Admin: {settings.SITE_URL}/admin/"
            )
        )
