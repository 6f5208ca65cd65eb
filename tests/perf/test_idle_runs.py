"""An idle run of a rule (nothing due, nothing changed since its last successful run)
costs the same queries, of the same size, for few people as for many: the daily passes
(ended business relationships, trainees and mentors of ended trajectories, objectors to
direct marketing) judge only the people something changed for since that run, found by
one indexed query, never a list of everyone judged before and still kept. A first run
(no run before) judges everyone with one query that leaves out whoever a record keeps."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from processing.models import SubjectCategory
from retention.models import RetentionRun
from retention.services import retention_rule_apply
from subjects import models as m
from tests import factories as f
from tests.retention.conftest import utc

pytestmark = pytest.mark.django_db


def _kept_people(count: int) -> None:
    """People each rule's daily pass looks at, all kept by a recent invoice."""
    client = SubjectCategory.objects.get(key="client")
    trainee = SubjectCategory.objects.get(key="trainee")
    for _ in range(count):
        person = f.DataSubjectFactory(marketing_objection_at=utc(2025, 1, 1))
        f.InvoiceFactory(subject=person, issued_on=datetime.date(2026, 1, 5))
        f.SubjectRoleFactory(
            subject=person,
            category=client,
            started_on=datetime.date(2024, 1, 1),
            ended_on=datetime.date(2025, 1, 1),
        )
        f.SubjectRoleFactory(subject=person, category=trainee, started_on=datetime.date(2024, 1, 1))
        trajectory = f.TrajectoryFactory(
            started_on=datetime.date(2024, 1, 1), ended_on=datetime.date(2026, 2, 1)
        )
        f.TrajectoryParticipantFactory(trajectory=trajectory, participant=person)


def _run(rule_key: str, moment) -> tuple[int, int]:
    """Queries of one run at ``moment``, and their length together."""
    with time_machine.travel(moment, tick=False), CaptureQueriesContext(connection) as context:
        run = retention_rule_apply(rule_key=rule_key)
    assert run is not None and run.total_rows == 0
    return len(context), sum(len(q["sql"]) for q in context.captured_queries)


def _idle_run(rule_key: str, day: int) -> tuple[int, int]:
    """The rule's second run on ``day`` March 2026: the first judged whoever was new."""
    _run(rule_key, utc(2026, 3, day, 2))
    return _run(rule_key, utc(2026, 3, day, 3))


@pytest.mark.parametrize("rule_key", ["fiscal-7y", "coaching-end", "unsubscribe-6w"])
def test_an_idle_run_costs_the_same_for_5_and_for_60_kept_people(rule_key):
    _kept_people(5)
    few = _idle_run(rule_key, 2)
    _kept_people(55)
    many = _idle_run(rule_key, 3)
    assert many[0] == few[0]
    # No list of people in any query: the text grows by a few digits (ids) at most.
    assert many[1] <= few[1] + 60
    assert m.DataSubject.objects.count() >= 60


@pytest.mark.parametrize("rule_key", ["fiscal-7y", "coaching-end", "unsubscribe-6w"])
def test_a_first_run_costs_the_same_for_5_and_for_60_kept_people(rule_key):
    """Without a run before, everyone is judged, still in one query without a list."""
    _kept_people(5)
    few = _run(rule_key, utc(2026, 3, 2, 3))
    RetentionRun.objects.all().delete()  # the second is a first run too
    _kept_people(55)
    many = _run(rule_key, utc(2026, 3, 2, 3))
    assert many[0] == few[0]
    assert many[1] <= few[1] + 60
