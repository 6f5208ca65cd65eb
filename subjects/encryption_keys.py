"""The keys of the encrypted fields: checked at start, and rotated without downtime.

``FIELD_ENCRYPTION_KEY`` holds one or more Fernet keys, comma separated: the first
encrypts, all of them decrypt. Rotation, step by step (README, "Encryption keys"):
put a new key in front, restart, run ``manage.py rotate_encryption_key`` (every value is
re-encrypted under the new key, in batches, resumable), then remove the old key.

Two system checks guard a wrong configuration, which would otherwise show only as a
server error on every page with an encrypted value:
- ``subjects.E010`` (security, outside DEBUG): a key is not a Fernet key (32 random
  bytes, URL-safe base64, as ``Fernet.generate_key()`` makes them). A weak pass phrase
  like "abc" is refused instead of being stretched silently.
- ``subjects.E011`` (database, so ``check --database default`` and ``migrate`` run it,
  and a migrate on an empty database still runs): a stored value, the oldest and the
  newest of each encrypted column, cannot be read with the configured keys.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Iterator
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.conf import settings
from django.core.checks import Error, Tags, register
from django.db import DatabaseError, models, transaction
from django.db.models.functions import Cast

from subjects.fields import PREFIX, EncryptedTextField, cipher

# How many stored values at each end of a column the start-up check tries.
CHECK_SAMPLE = 5
BATCH_SIZE = 500


def is_fernet_key(key: str) -> bool:
    try:
        return len(base64.urlsafe_b64decode(key.encode())) == 32
    except (binascii.Error, ValueError):
        return False


def encrypted_columns() -> Iterator[tuple[type[models.Model], str]]:
    """Every (model, field name) stored encrypted, in every installed app."""
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedTextField):
                yield model, field.name


def _raw(model: type[models.Model], name: str) -> models.QuerySet[Any]:
    """The column as stored (the token, not the decrypted text), non-empty values only."""
    return (
        model._default_manager.exclude(**{name: ""})
        .exclude(**{f"{name}__isnull": True})
        .annotate(_raw=Cast(name, models.TextField()))
    )


def _readable(token: str) -> bool:
    if not token.startswith(PREFIX):
        return False
    try:
        cipher().decrypt(token[len(PREFIX) :].encode())
    except InvalidToken:
        return False
    return True


@register(Tags.security)
def keys_are_fernet_keys(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    if settings.DEBUG:
        return []
    weak = [i + 1 for i, key in enumerate(settings.FIELD_ENCRYPTION_KEYS) if not is_fernet_key(key)]
    return [
        Error(
            f"FIELD_ENCRYPTION_KEY: key number {i} is not a Fernet key.",
            hint='Make one with: python -c "from cryptography.fernet import Fernet; '
            'print(Fernet.generate_key().decode())"',
            id="subjects.E010",
        )
        for i in weak
    ]


@register(Tags.database)
def stored_values_are_readable(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    if not kwargs.get("databases"):
        return []
    errors = []
    for model, name in encrypted_columns():
        try:
            rows = _raw(model, name)
            sample = list(rows.order_by("pk").values_list("_raw", flat=True)[:CHECK_SAMPLE])
            sample += list(rows.order_by("-pk").values_list("_raw", flat=True)[:CHECK_SAMPLE])
        except DatabaseError:
            continue  # not migrated yet: nothing stored to check
        if not all(_readable(token) for token in sample):
            errors.append(
                Error(
                    f"{model._meta.label}.{name} holds values that cannot be read with the "
                    "configured FIELD_ENCRYPTION_KEY.",
                    hint="Put back the key these values were written with (a key that is "
                    "still in use may only be removed after rotate_encryption_key).",
                    id="subjects.E011",
                )
            )
    return errors


def _under_first_key(token: str) -> bool:
    first = Fernet(_first_key())
    try:
        first.decrypt(token[len(PREFIX) :].encode())
    except InvalidToken:
        return False
    return True


def _first_key() -> bytes:
    from subjects.fields import _fernet_key

    return _fernet_key(settings.FIELD_ENCRYPTION_KEYS[0])


def values_rotate(
    *, batch_size: int = BATCH_SIZE, progress: Callable[[str, int, int], None] | None = None
) -> dict[str, int]:
    """Re-encrypt every stored value that is not under the first key, in batches of
    ``batch_size`` rows, one transaction each (a stop loses at most one batch's work,
    and running again goes on where it stopped: values already under the first key are
    left alone). Returns how many values were re-encrypted per column."""
    done: dict[str, int] = {}
    for model, name in encrypted_columns():
        label = f"{model._meta.label}.{name}"
        done[label] = 0
        last_pk: Any = None
        while True:
            rows = _raw(model, name).order_by("pk")
            if last_pk is not None:
                rows = rows.filter(pk__gt=last_pk)
            batch = list(rows.values_list("pk", "_raw")[:batch_size])
            if not batch:
                break
            last_pk = batch[-1][0]
            stale = [pk for pk, token in batch if not _under_first_key(token)]
            if stale:
                with transaction.atomic():
                    objects = list(
                        model._default_manager.select_for_update().filter(pk__in=stale).only(name)
                    )
                    # Read with every key, written under the first one.
                    model._default_manager.bulk_update(objects, [name])
                done[label] += len(stale)
            if progress:
                progress(label, len(batch), len(stale))
    return done
