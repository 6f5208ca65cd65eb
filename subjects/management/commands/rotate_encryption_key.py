"""``manage.py rotate_encryption_key``: re-encrypt every encrypted value under the first
key of ``FIELD_ENCRYPTION_KEY``, so an older key can be removed (README, "Encryption
keys")."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from subjects.encryption_keys import BATCH_SIZE, is_fernet_key, values_rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted value (allergies, coaching notes) under the first key "
        "of FIELD_ENCRYPTION_KEY, in batches, one transaction each. Safe to stop and run "
        "again: values already under the first key are skipped. Afterwards the other keys "
        "can be removed from FIELD_ENCRYPTION_KEY."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size", type=int, default=BATCH_SIZE, help="Rows per transaction."
        )

    def handle(self, *args: Any, batch_size: int, **options: Any) -> None:
        if batch_size < 1 or batch_size > 10_000:
            raise CommandError("--batch-size must be between 1 and 10000.")
        keys = settings.FIELD_ENCRYPTION_KEYS
        if not keys:
            raise CommandError("FIELD_ENCRYPTION_KEY is not set.")
        if not settings.DEBUG and not is_fernet_key(keys[0]):
            raise CommandError("The first key of FIELD_ENCRYPTION_KEY is not a Fernet key.")
        seen: dict[str, int] = {}

        def progress(label: str, rows: int, rotated: int) -> None:
            seen[label] = seen.get(label, 0) + rows
            self.stdout.write(f"{label}: {seen[label]} rows checked, {rotated} re-encrypted now")

        done = values_rotate(batch_size=batch_size, progress=progress)
        for label, count in done.items():
            self.stdout.write(f"{label}: {count} values re-encrypted under the first key")
        self.stdout.write(
            self.style.SUCCESS(
                "Every value is under the first key: the other keys can now be removed."
                if len(keys) > 1
                else "Every value is under the only key."
            )
        )
