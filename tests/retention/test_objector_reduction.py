"""Everyone kept only for their objection to direct marketing is reduced to what the
suppression list needs (the e-mail address), not only those one of whose rows a rule
happened to delete: the daily run of rule unsubscribe-6w looks at every objector not yet
reduced, in batches, audited per person, and a second run changes nothing."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from subjects import models as m
from tests import factories as f
from tests.retention.conftest import ams, apply_at, utc

pytestmark = pytest.mark.django_db

LATER = utc(2026, 12, 1, 12)
REDUCE = "retention.suppression-reduce"


def _objector(**fields) -> m.DataSubject:
    """A person who objected to direct marketing and holds no row any rule deletes (the
    objection came while they held nothing else, or before the reduction existed)."""
    from subjects.services import marketing_objection_record

    values = dict(
        first_name="Noor",
        last_name="Bakker",
        phone="0612345678",
        street_address="Kerkstraat 1",
        postcode="1234AB",
        city="Utrecht",
    )
    values.update(fields)
    person = f.DataSubjectFactory(**values)
    with time_machine.travel(utc(2026, 1, 1), tick=False):
        marketing_objection_record(actor=None, subject=person)
    person.refresh_from_db()
    return person


def _is_reduced(person: m.DataSubject) -> bool:
    person.refresh_from_db()
    assert person.email and person.marketing_objection_at == utc(2026, 1, 1)
    return (person.first_name, person.phone, person.city) == ("", "", "")


def test_an_objector_with_no_row_a_rule_deletes_is_reduced_by_the_daily_run():
    person = _objector()
    run = apply_at(LATER, "unsubscribe-6w")
    assert _is_reduced(person)
    assert run.rows_affected == {"subjects.DataSubject": 1}
    event = m.AuditEvent.objects.get(subject=person, action=REDUCE)
    assert event.actor is None
    assert "0612345678" not in str(event.__dict__)


def test_a_second_run_reduces_nobody_again():
    person = _objector()
    apply_at(LATER, "unsubscribe-6w")
    again = apply_at(LATER + datetime.timedelta(days=1), "unsubscribe-6w")
    assert _is_reduced(person)
    assert again.rows_affected == {}
    assert m.AuditEvent.objects.filter(action=REDUCE).count() == 1


def test_an_objector_with_another_purpose_keeps_their_whole_record():
    person = _objector()
    f.InvoiceFactory(subject=person)
    apply_at(LATER, "unsubscribe-6w")
    assert not _is_reduced(person)
    assert not m.AuditEvent.objects.filter(action=REDUCE).exists()


def test_an_objector_is_reduced_the_day_after_their_last_role_ends_not_before():
    person = _objector()
    f.SubjectRoleFactory(subject=person, ended_on=datetime.date(2026, 11, 30))
    apply_at(ams(2026, 11, 30, 23, 59, 59), "unsubscribe-6w")
    assert not _is_reduced(person)
    apply_at(ams(2026, 12, 1, 0, 0, 0), "unsubscribe-6w")
    assert _is_reduced(person)


def test_every_objector_is_reached_in_batches_past_those_kept_for_another_purpose():
    first, kept, last = _objector(), _objector(), _objector()
    f.InvoiceFactory(subject=kept)
    run = apply_at(LATER, "unsubscribe-6w", batch_size=1)
    assert _is_reduced(first) and _is_reduced(last)
    assert not _is_reduced(kept)
    assert run.rows_affected == {"subjects.DataSubject": 2}


def test_other_rules_leave_objectors_to_the_newsletter_rule():
    person = _objector()
    apply_at(LATER, "fiscal-7y")
    assert not _is_reduced(person)


def test_a_person_who_never_objected_is_not_touched_by_the_pass():
    person = f.DataSubjectFactory(first_name="Piet", phone="0611111111")
    f.SubjectRoleFactory(subject=person)
    apply_at(LATER, "unsubscribe-6w")
    person.refresh_from_db()
    assert (person.first_name, person.phone) == ("Piet", "0611111111")
