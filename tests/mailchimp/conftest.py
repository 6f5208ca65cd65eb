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


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    """Calls queued on commit run at once, in this process (Celery eager), so a test sees
    their effect; the real worker on the broker is tested in test_outgoing.py."""
    from leafspring.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = False  # a retry runs at once; its Retry is not an error

    class Runner:
        def __call__(self):
            return django_capture_on_commit_callbacks(execute=True)

    yield Runner()
    app.conf.task_always_eager = False
    app.conf.task_eager_propagates = False
