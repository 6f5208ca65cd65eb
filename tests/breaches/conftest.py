"""Fixtures of the breach register: links in e-mails point at the test server."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "http://testserver"
