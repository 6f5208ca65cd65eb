"""An idle run of a rule (nothing due) costs the same queries, of the same size, for few
people as for many: the people the daily passes judge (ended business relationships,
trainees and mentors of ended trajectories, objectors to direct marketing) are found by
one query that leaves out everyone a record still keeps, never carried as a list of ids
from the database to Python and back."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from processing.models import SubjectCategory
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


def _idle_run(rule_key: str) -> tuple[int, int]:
    """Queries of one run on 2 March 2026, and their length together."""
    with (
        time_machine.travel(utc(2026, 3, 2, 3), tick=False),
        CaptureQueriesContext(connection) as context,
    ):
        run = retention_rule_apply(rule_key=rule_key)
    assert run is not None and run.total_rows == 0
    return len(context), sum(len(q["sql"]) for q in context.captured_queries)


@pytest.mark.parametrize("rule_key", ["fiscal-7y", "coaching-end", "unsubscribe-6w"])
def test_an_idle_run_costs_the_same_for_5_and_for_60_kept_people(rule_key):
    _kept_people(5)
    few = _idle_run(rule_key)
    _kept_people(55)
    many = _idle_run(rule_key)
    assert many[0] == few[0]
    # No list of people in any query: the text grows by a few digits (ids) at most.
    assert many[1] <= few[1] + 60
    assert m.DataSubject.objects.count() >= 60
