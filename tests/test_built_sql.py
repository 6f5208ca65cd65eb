"""``leafspring.built_sql``: the SQL is built once per key, and each call's values go
where the markers were, adapted for the database."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from leafspring.built_sql import built_sql
from subjects.models import ContactMessage
from tests import factories as f

pytestmark = pytest.mark.django_db


def _run(sql: str, params: list) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def test_each_call_gets_its_own_day_and_moment_in_sql_built_once():
    built = []

    def due(*, day, moment):
        built.append(day)
        return (
            ContactMessage.objects.filter(next_review_on__lte=day, received_at__lt=moment)
            .order_by("pk")
            .values("pk")
        )

    now = timezone.now()
    early = f.ContactMessageFactory(next_review_on=datetime.date(2030, 1, 10), received_at=now)
    late = f.ContactMessageFactory(next_review_on=datetime.date(2030, 1, 20), received_at=now)
    later = now + datetime.timedelta(seconds=1)
    assert _run(*built_sql("t", due, {"day": datetime.date(2030, 1, 9), "moment": later})) == []
    assert _run(*built_sql("t", due, {"day": datetime.date(2030, 1, 10), "moment": later})) == [
        early.pk
    ]
    assert _run(*built_sql("t", due, {"day": datetime.date(2030, 1, 20), "moment": later})) == [
        early.pk,
        late.pk,
    ]
    assert _run(*built_sql("t", due, {"day": datetime.date(2030, 1, 20), "moment": now})) == []
    assert len(built) == 2  # built twice, with two sets of markers, then never again


def test_a_value_the_query_does_not_use_is_refused():
    def ignores(*, day):
        return ContactMessage.objects.values("pk")

    with pytest.raises(ValueError, match="does not use day"):
        built_sql("unused", ignores, {"day": datetime.date(2030, 1, 1)})


def test_a_value_turned_into_another_is_refused():
    """A day made into a moment would stay 1901 in the kept SQL: refused when built."""

    def turned(*, day):
        start = datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.UTC)
        return ContactMessage.objects.filter(next_review_on=day, received_at__gte=start)

    with pytest.raises(ValueError, match="something else than a lookup"):
        built_sql("turned", turned, {"day": datetime.date(2030, 1, 1)})
