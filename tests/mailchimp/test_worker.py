"""A Mailchimp call queued through the broker is carried out by a real Celery worker
(Redis in CI, where this test fails rather than skips without it): the member is
unsubscribed there and the Art. 19 task marked done."""

from __future__ import annotations

import time

import pytest
from celery.contrib.testing.worker import start_worker

from leafspring.celery import app
from requests_dsar.models import RecipientTask
from subjects.tasks import mailchimp_call
from tests.retention.test_worker import broker  # noqa: F401 - the broker fixture

pytestmark = [
    pytest.mark.broker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("database_restored_afterwards"),
]


def test_a_queued_call_is_made_by_the_worker_and_marks_its_task_done(broker, mailchimp):  # noqa: F811
    from processing.models import Recipient

    mailchimp.add("noor@example.nl")
    task = RecipientTask.objects.create(
        recipient=Recipient.objects.get(key="mailchimp"), instruction="Afmelden"
    )
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        mailchimp_call.apply_async(args=("unsubscribe", "noor@example.nl", "", [task.pk]))
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            task.refresh_from_db()
            if task.state != RecipientTask.State.OPEN:
                break
            time.sleep(0.2)
    assert task.state == RecipientTask.State.DONE, task.reason
    assert mailchimp.status_of("noor@example.nl") == "unsubscribed"
