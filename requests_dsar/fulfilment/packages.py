"""Answer files under ``settings.PRIVATE_STORAGE_ROOT`` (never static or media), served
only through a tokenised link that expires after 7 days; expired files are deleted."""

from __future__ import annotations

import secrets
import shutil
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from requests_dsar.models import AnswerPackage, DsarRequest
from requests_dsar.tokens import token_hash, token_new

PACKAGE_DAYS = 7


def private_root() -> Path:
    return Path(settings.PRIVATE_STORAGE_ROOT)


def package_path(package: AnswerPackage, filename: str) -> Path | None:
    """The file of a package, or None when the name is not one of its files (so no
    path in a URL can reach anything else)."""
    if filename not in package.files:
        return None
    path = private_root() / package.directory / filename
    return path if path.is_file() else None


@transaction.atomic
def answer_package_create(
    *, request: DsarRequest, files: dict[str, bytes]
) -> tuple[AnswerPackage, str]:
    """Write the files and return the package with its raw download token."""
    directory = secrets.token_hex(16)
    target = private_root() / directory
    target.mkdir(parents=True, exist_ok=False)
    target.chmod(0o700)
    for name, content in files.items():
        (target / name).write_bytes(content)
    token, hashed = token_new()
    package = AnswerPackage.objects.create(
        request=request,
        token_hash=hashed,
        directory=directory,
        files=sorted(files),
        expires_at=timezone.now() + timedelta(days=PACKAGE_DAYS),
    )
    return package, token


def answer_package_link_issue(*, package: AnswerPackage) -> str:
    """A fresh download token for the answer e-mail (the old one stops working)."""
    token, hashed = token_new()
    AnswerPackage.objects.filter(pk=package.pk).update(token_hash=hashed)
    package.token_hash = hashed
    return token


def answer_package_by_token(*, token: str) -> AnswerPackage | None:
    return (
        AnswerPackage.objects.filter(token_hash=token_hash(token)).select_related("request").first()
    )


def answer_packages_delete_expired(*, now: object = None) -> int:
    """Delete the files of every package past its 7 days; the row stays as proof that an
    answer was delivered. Safe to run again after a failure."""
    now = now or timezone.now()
    count = 0
    for package in AnswerPackage.objects.filter(expires_at__lte=now, deleted_at__isnull=True):
        shutil.rmtree(private_root() / package.directory, ignore_errors=True)
        package.deleted_at = timezone.now()
        package.save(update_fields=["deleted_at"])
        count += 1
    return count
