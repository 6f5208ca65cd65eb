"""Test settings: the real settings with fast hashing, in-memory mail and cache.

The database stays whatever ``DATABASE_URL`` says (SQLite by default, PostgreSQL in CI).
"""

from __future__ import annotations

import os

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
# A fixed, valid Fernet key for tests only.
os.environ.setdefault("FIELD_ENCRYPTION_KEY", "dGVzdC1rZXktZm9yLXRoZS10ZXN0LXN1aXRlLW9ubHk=")
os.environ.setdefault("SUPPRESSION_HASH_KEYS", "test1:test-suppression-key-for-the-suite")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

from leafspring.settings import *  # noqa: E402,F403
from leafspring.settings import VAR_DIR  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
PRIVATE_STORAGE_ROOT = VAR_DIR / "test-private"
# Static files are served by the test client's finders; WhiteNoise would warn about the
# missing collectstatic folder.
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]  # noqa: F405
