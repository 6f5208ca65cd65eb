"""At most N connections to a recipient's API at once, across every worker process on
every machine (Mailchimp allows 10 per API key).

The slots live in Redis, the Celery broker, as a sorted set of holders by the time they
took a slot; a holder that died without giving its slot back loses it after ``LEASE``
seconds. Without Redis (``make run``: one worker, the filesystem broker) one process
holds all connections, and a semaphore in the process is enough.
"""

from __future__ import annotations

import contextlib
import threading
import time
import uuid
from collections.abc import Iterator

from django.conf import settings

LEASE = 120.0  # seconds: longer than any call (the client's timeout is 30 s)
WAIT = 60.0  # seconds to wait for a free slot before giving up (the caller retries)
POLL = 0.05

# Taking a slot is one atomic step in Redis, on Redis's own clock: drop the holders
# whose lease ran out, then take a slot only if fewer than the limit are held.
_TAKE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
redis.call('ZREMRANGEBYSCORE', KEYS[1], 0, now - tonumber(ARGV[2]))
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  return 1
end
return 0
"""

_local_slots: dict[str, threading.BoundedSemaphore] = {}
_local_lock = threading.Lock()


class NoFreeSlot(Exception):
    """Every slot stayed taken for ``WAIT`` seconds."""


def _redis():  # type: ignore[no-untyped-def]
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://")):
        return None
    import redis

    return redis.Redis.from_url(url, socket_connect_timeout=5)


@contextlib.contextmanager
def connection_slot(name: str, limit: int, *, wait: float = WAIT) -> Iterator[None]:
    """Hold one of ``limit`` connection slots of ``name`` while the block runs."""
    client = _redis()
    if client is None:
        with _local_lock:
            semaphore = _local_slots.setdefault(name, threading.BoundedSemaphore(limit))
        if not semaphore.acquire(timeout=wait):
            raise NoFreeSlot(name)
        try:
            yield
        finally:
            semaphore.release()
        return
    key = f"leafspring:connection-slots:{name}"
    holder = uuid.uuid4().hex
    take = client.register_script(_TAKE)
    deadline = time.monotonic() + wait
    while not take(keys=[key], args=[limit, LEASE, holder]):
        if time.monotonic() >= deadline:
            raise NoFreeSlot(name)
        time.sleep(POLL)
    try:
        yield
    finally:
        client.zrem(key, holder)
