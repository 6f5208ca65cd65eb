"""Fixtures of the breach register: links in e-mails point at the test server, and
each test runs in English (the source language, so assertions do not depend on the
Dutch catalogue); ``reverse`` then gives the /en/ pages. A test about Dutch says so."""

from __future__ import annotations

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "http://testserver"


@pytest.fixture(autouse=True)
def english(default_language):
    translation.activate("en")
    yield
    translation.activate("nl")
