"""Random tokens for the links in e-mails: only their SHA-256 hash is stored, so a copy of
the database cannot be used to open anyone's request."""

from __future__ import annotations

import hashlib
import secrets

MAX_TOKEN_LENGTH = 100


def token_new() -> tuple[str, str]:
    """A fresh random token and its hash: the token goes in the e-mail, the hash in the
    database."""
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    # Anything may arrive in a URL; never let it reach the database unbounded.
    return hashlib.sha256(token[:MAX_TOKEN_LENGTH].encode("utf-8", "replace")).hexdigest()
