"""Private storage for the recipients' agreement documents.

The files live under ``settings.PRIVATE_STORAGE_ROOT`` (never MEDIA_ROOT, which a web
server may serve to anyone) and have no URL: staff download them only through
``processing.recipient_views.recipient_agreement_document``, which checks permissions.
"""

from __future__ import annotations

import os
import secrets
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible

AGREEMENTS_DIR = "agreements"


@deconstructible(path="processing.storage.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    """File storage under ``PRIVATE_STORAGE_ROOT``/``AGREEMENTS_DIR``, read from the
    settings on every use (so a changed setting, as in tests, is followed), and without
    any URL."""

    @property
    def base_location(self) -> str:  # type: ignore[override]
        return str(os.path.join(settings.PRIVATE_STORAGE_ROOT, AGREEMENTS_DIR))

    @property
    def location(self) -> str:  # type: ignore[override]
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no URL; serve them through a checked view.")


def agreement_storage() -> PrivateStorage:
    return PrivateStorage(directory_permissions_mode=0o700, file_permissions_mode=0o600)


def agreement_upload_to(instance: Any, filename: str) -> str:
    """A random file name under the recipient's key: what the uploader called the file
    is not used, so it cannot reach outside the folder or overwrite another file."""
    return f"{instance.key}/{secrets.token_hex(8)}.pdf"
