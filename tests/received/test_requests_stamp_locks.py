"""Review of issue 13: the requests change stamp must not make writers of different
rights requests wait for, or deadlock with, each other (PostgreSQL: the trigger of
migration 0013 updates one shared row in every transaction that changes a request)."""

from __future__ import annotations

import threading
import time

import psycopg
import pytest
from django.db import connection

from requests_dsar.models import DsarRequest
from tests.received.test_dashboard import NOW, _requests

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("database_restored_afterwards"),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks of PostgreSQL"),
]
TABLE = DsarRequest._meta.db_table


def _connect() -> psycopg.Connection:
    s = connection.settings_dict
    return psycopg.connect(
        dbname=s["NAME"],
        user=s["USER"],
        password=s["PASSWORD"] or None,
        host=s["HOST"] or None,
        port=s["PORT"] or None,
    )


def _side_by_side(first, second) -> dict[str, str]:
    """Run ``first`` and ``second`` at once, each given a connection of its own in a
    transaction of its own: how each ended ("committed", or the error's name)."""
    outcome: dict[str, str] = {}

    def run(name, steps):
        db = _connect()
        try:
            with db.transaction():
                steps(db)
            outcome[name] = "committed"
        except psycopg.Error as error:
            outcome[name] = type(error).__name__
        finally:
            db.close()

    threads = [
        threading.Thread(target=run, args=("first", first)),
        threading.Thread(target=run, args=("second", second)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcome


def test_two_transactions_changing_different_requests_do_not_deadlock():
    """T1 changes request A, then B; T2 changes only B meanwhile. Without the stamp T1
    waits for T2 and both commit; with a stamp row locked by T1 since its first
    statement, T2 waits for T1 while T1 waits for T2: PostgreSQL aborts one."""
    import time_machine

    with time_machine.travel(NOW, tick=False):
        _requests(2)
    a, b = list(DsarRequest.objects.order_by("pk").values_list("pk", flat=True)[:2])

    def first(db):
        db.execute(f"UPDATE {TABLE} SET details = details WHERE id = %s", [a])
        time.sleep(0.5)
        db.execute(f"UPDATE {TABLE} SET details = details WHERE id = %s", [b])

    def second(db):
        time.sleep(0.2)
        db.execute(f"UPDATE {TABLE} SET details = details WHERE id = %s", [b])

    assert _side_by_side(first, second) == {"first": "committed", "second": "committed"}


def test_a_long_transaction_on_one_request_does_not_hold_up_another():
    import time_machine

    with time_machine.travel(NOW, tick=False):
        _requests(2)
    a, b = list(DsarRequest.objects.order_by("pk").values_list("pk", flat=True)[:2])
    one, two = _connect(), _connect()
    try:
        with one.transaction():
            one.execute(f"UPDATE {TABLE} SET details = details WHERE id = %s", [a])
            two.execute("SET lock_timeout = '1s'")
            started = time.monotonic()
            try:
                with two.transaction():
                    two.execute(f"UPDATE {TABLE} SET details = details WHERE id = %s", [b])
                waited = None
            except psycopg.errors.LockNotAvailable:
                waited = time.monotonic() - started
    finally:
        one.close()
        two.close()
    assert waited is None, f"a change to request {b} waited {waited:.1f} s for one to {a}"


def test_a_commit_checking_a_deferred_foreign_key_does_not_deadlock_with_another_commit():
    """Review 2: the stamp's row is locked at commit by the deferred trigger, but every
    foreign key Django makes is deferred too and is checked at the same commit, after
    the stamp when its row was queued later. T2 locks request A (as the intake's
    ``select_for_update``) and changes it; T1 changes request B, then records an event
    on A (a deferred check: KEY SHARE on A) and commits: the stamp first, then it waits
    for A. T2 commits: it waits for the stamp that T1 holds. PostgreSQL aborts one."""
    import time_machine

    with time_machine.travel(NOW, tick=False):
        _requests(2)
    a, b = list(DsarRequest.objects.order_by("pk").values_list("pk", flat=True)[:2])

    def first(db):
        time.sleep(0.3)
        db.execute(f"UPDATE {TABLE} SET details = details WHERE id = %s", [b])
        db.execute(
            "INSERT INTO requests_dsar_requestevent "
            "(at, actor_label, action, note, request_id, params) "
            "VALUES (now(), 'staff', 'review.test', '', %s, '{}')",
            [a],
        )

    def second(db):
        db.execute(f"SELECT id FROM {TABLE} WHERE id = %s FOR UPDATE", [a])
        db.execute(f"UPDATE {TABLE} SET details = details WHERE id = %s", [a])
        time.sleep(1.0)

    assert _side_by_side(first, second) == {"first": "committed", "second": "committed"}
