"""A real Celery worker: a rule queued through the broker deletes the rows and logs the
run. Redis when ``CELERY_BROKER_URL`` points at it (CI), otherwise the filesystem
transport that ``make run`` uses. In CI this test fails, never skips, without Redis."""

from __future__ import annotations

import datetime
import os
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.utils import timezone

from leafspring.celery import app
from retention.models import RetentionRun
from retention.tasks import retention_rule_apply_task
from subjects import models as m
from tests import factories as f

pytestmark = [
    pytest.mark.broker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("database_restored_afterwards"),
]


def _require_redis(url: str) -> None:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.exceptions.RedisError as exc:
        message = f"Redis at {url} is not reachable: {exc}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def _reset_connections() -> None:
    """Drop pooled broker connections so the next one uses the current options."""
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    # Kombu keeps producer pools per connection, holding on to the pool closed above.
    from kombu import pools

    pools.reset()
    app.amqp._producer_pool = None


@pytest.fixture
def broker(tmp_path):
    """The configured broker; the filesystem one in a private folder, so a developer's
    own `make run` worker does not pick up the test's task."""
    url = settings.CELERY_BROKER_URL
    if os.environ.get("CI") and not url.startswith("redis://"):
        pytest.fail(f"CI must run the worker test against Redis, not {url}")
    saved = dict(app.conf.broker_transport_options or {})
    if url.startswith("redis://"):
        _require_redis(url)
    elif url.startswith("filesystem://"):
        queue = tmp_path / "queue"
        queue.mkdir()
        app.conf.broker_transport_options = {
            "data_folder_in": str(queue),
            "data_folder_out": str(queue),
            "control_folder": str(tmp_path / "control"),
            "store_processed": False,
        }
    _reset_connections()
    yield url
    app.conf.broker_transport_options = saved
    _reset_connections()


def _wait_for_run(rule_key: str, timeout: float = 30.0) -> RetentionRun:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = RetentionRun.objects.filter(rule__key=rule_key).exclude(outcome="running").first()
        if run is not None:
            return run
        time.sleep(0.2)
    pytest.fail(f"no finished run of {rule_key} after {timeout}s")


def test_a_rule_queued_through_the_broker_deletes_the_rows_and_logs_the_run(broker):
    old = timezone.now() - datetime.timedelta(weeks=5)
    for _ in range(3):
        f.WebsiteVisitFactory(visited_at=old)
    fresh = f.WebsiteVisitFactory(visited_at=timezone.now())

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        retention_rule_apply_task.apply_async(args=("ip-4w",))
        run = _wait_for_run("ip-4w")

    assert run.outcome == "success", run.error
    assert run.rows_affected == {"subjects.WebsiteVisit": 3}
    assert run.trigger == "schedule"
    assert list(m.WebsiteVisit.objects.values_list("pk", flat=True)) == [fresh.pk]
