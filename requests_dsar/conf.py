"""Settings of rights requests read from the environment here, so this app needs no
change to ``leafspring/settings.py``. A value in Django's settings (for instance set by
a test) wins over the environment."""

from __future__ import annotations

import environ
from django.conf import settings

_env = environ.Env()

DEFAULTS = {
    # A status link stops working this many days after the request was closed.
    "DSAR_STATUS_LINK_DAYS_AFTER_CLOSING": 90,
    # A closed request of someone no longer held is reduced to its outline after this
    # many months (the proof of how it was handled, Art. 5(2)).
    "DSAR_PROOF_MONTHS": 12,
}


def setting(name: str) -> int:
    if hasattr(settings, name):
        return int(getattr(settings, name))
    return _env.int(name, default=DEFAULTS[name])
