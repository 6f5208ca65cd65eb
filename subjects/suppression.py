"""The suppression list: addresses never to be mailed again (Art. 21(3)), kept only as a
keyed hash so that it can outlive erasure and retention without keeping the address.

The keys come from ``SUPPRESSION_HASH_KEYS`` ("version:key" pairs, the first hashes new
entries): a new key is added in front, and entries under older keys are still
recognised, so rotating a key loses nothing.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet

from subjects.models import SuppressedAddress


def suppression_keys() -> list[tuple[str, bytes]]:
    """(version, key) pairs, the one for new entries first."""
    pairs = []
    for item in settings.SUPPRESSION_HASH_KEYS:
        version, sep, key = item.partition(":")
        if not sep or not version.strip() or not key:
            raise ImproperlyConfigured(
                "SUPPRESSION_HASH_KEYS: each entry must be 'version:key', e.g. 'v1:...'."
            )
        pairs.append((version.strip(), key.encode()))
    if not pairs:
        raise ImproperlyConfigured("SUPPRESSION_HASH_KEYS is not set.")
    return pairs


def _normalised(email: str) -> bytes:
    return email.strip().lower().encode("utf-8", "replace")


def suppression_digest(email: str, key: bytes) -> str:
    return hmac.new(key, _normalised(email), hashlib.sha256).hexdigest()


def suppression_entries(email: str) -> QuerySet[SuppressedAddress]:
    """The suppression entries of an address, under any of the configured keys."""
    query = Q(pk__in=[])
    for version, key in suppression_keys():
        query |= Q(key_version=version, digest=suppression_digest(email, key))
    return SuppressedAddress.objects.filter(query)


# Addresses looked up per query: well below any database's limit on query parameters,
# with one parameter per address per key.
LOOKUP_BATCH = 500


def suppressed_among(emails: list[str]) -> set[str]:
    """Which of these addresses are on the suppression list, one query per
    ``LOOKUP_BATCH`` addresses."""
    keys = suppression_keys()
    found: set[str] = set()
    for start in range(0, len(emails), LOOKUP_BATCH):
        by_digest = {
            (version, suppression_digest(email, key)): email
            for email in emails[start : start + LOOKUP_BATCH]
            for version, key in keys
        }
        query = Q(pk__in=[])
        for version, _key in keys:
            query |= Q(key_version=version, digest__in=[d for v, d in by_digest if v == version])
        pairs = SuppressedAddress.objects.filter(query).values_list("key_version", "digest")
        found |= {by_digest[pair] for pair in pairs}
    return found


def address_is_suppressed(email: str) -> bool:
    return bool(email.strip()) and suppression_entries(email).exists()


def address_suppress(*, email: str, reason: str) -> SuppressedAddress | None:
    """Put an address on the suppression list (once; an entry under an older key
    counts). Returns the entry, or None for an empty address."""
    if not email.strip():
        return None
    existing = suppression_entries(email).first()
    if existing is not None:
        return existing
    version, key = suppression_keys()[0]
    try:
        with transaction.atomic():
            return SuppressedAddress.objects.create(
                key_version=version, digest=suppression_digest(email, key), reason=reason
            )
    except IntegrityError:  # the same address suppressed at the same moment elsewhere
        return suppression_entries(email).first()


def address_unsuppress_by_owner(*, email: str) -> int:
    """Lift the suppression of an address: only when its owner confirmed a new sign-up
    through the double opt-in e-mail sent to that very address. Returns entries removed."""
    deleted, _ = suppression_entries(email).delete()
    return deleted
