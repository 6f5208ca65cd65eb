from __future__ import annotations

import pytest

from tests.mailchimp.server import API_KEY, AUDIENCE, FakeMailchimp


@pytest.fixture
def mailchimp(settings):
    """A Mailchimp on 127.0.0.1 and the connector configured to use it."""
    server = FakeMailchimp().start()
    settings.MAILCHIMP_API_KEY = API_KEY
    settings.MAILCHIMP_AUDIENCE_ID = AUDIENCE
    settings.MAILCHIMP_API_URL = server.url
    settings.MAILCHIMP_WEBHOOK_SECRET = "webhook-secret-for-tests-0123456789"
    yield server
    server.stop()
