"""At most N connections to Mailchimp at once, across every worker process: the slots
live in Redis (CI; a test here fails rather than skips without it), so threads that
share nothing in memory still wait for each other; a slot of a holder that died is free
again after its lease."""

from __future__ import annotations

import threading
import time

import pytest

from processing.connectors import slots
from processing.connectors.slots import NoFreeSlot, connection_slot
from tests.retention.test_worker import _require_redis

pytestmark = pytest.mark.broker

REDIS = "redis://127.0.0.1:6379/12"


@pytest.fixture
def redis_slots(settings):
    _require_redis(REDIS)
    settings.CELERY_BROKER_URL = REDIS
    client = slots._redis()
    client.delete("leafspring:connection-slots:test")
    yield client
    client.delete("leafspring:connection-slots:test")


def _busy(limit: int, workers: int) -> int:
    """Run ``workers`` threads that each hold a slot for a moment; the most at once."""
    inside = 0
    most = 0
    lock = threading.Lock()

    def work() -> None:
        nonlocal inside, most
        with connection_slot("test", limit):
            with lock:
                inside += 1
                most = max(most, inside)
            time.sleep(0.15)
            with lock:
                inside -= 1

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return most


def test_no_more_than_the_limit_hold_a_slot_at_once(redis_slots):
    assert _busy(limit=3, workers=8) == 3
    assert redis_slots.zcard("leafspring:connection-slots:test") == 0


def test_a_slot_of_a_holder_that_died_is_free_after_its_lease(redis_slots):
    stale = time.time() - slots.LEASE - 1
    redis_slots.zadd("leafspring:connection-slots:test", {"dead": stale})
    with connection_slot("test", 1, wait=1):
        pass


def test_waiting_too_long_for_a_slot_gives_up_so_the_call_is_retried_later(redis_slots):
    redis_slots.zadd("leafspring:connection-slots:test", {"busy": time.time()})
    with pytest.raises(NoFreeSlot), connection_slot("test", 1, wait=0.2):
        pass


def test_without_redis_one_process_holds_the_slots_itself(settings):
    settings.CELERY_BROKER_URL = "filesystem://"
    assert slots._redis() is None
    with (
        connection_slot("local-test", 1),
        pytest.raises(NoFreeSlot),
        connection_slot("local-test", 1, wait=0.1),
    ):
        pass
