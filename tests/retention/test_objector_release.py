"""An objection to direct marketing outlives the person as a keyed hash on the
suppression list, so no one is kept for it any more (Art. 21(3)): the daily run of rule
unsubscribe-6w deletes every objector held for nothing else, in batches; afterwards only
the hash remains, and the address cannot be subscribed again but by its owner."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from subjects import models as m
from subjects.suppression import address_is_suppressed
from tests import factories as f
from tests.retention.conftest import ams, apply_at, utc

pytestmark = pytest.mark.django_db

LATER = utc(2026, 12, 1, 12)


def _objector(email: str = "noor@example.nl", **fields) -> m.DataSubject:
    """A person who objected to direct marketing and holds no row any rule deletes."""
    from subjects.services import marketing_objection_record

    values = dict(first_name="Noor", last_name="Bakker", phone="0612345678", city="Utrecht")
    values.update(fields)
    person = f.DataSubjectFactory(email=email, **values)
    with time_machine.travel(utc(2026, 1, 1), tick=False):
        marketing_objection_record(actor=None, subject=person)
    return person


def _held(person: m.DataSubject) -> bool:
    return m.DataSubject.objects.filter(pk=person.pk).exists()


def _nothing_but_the_hash(email: str) -> None:
    assert address_is_suppressed(email)
    assert not m.DataSubject.objects.filter(email=email).exists()
    for entry in m.SuppressedAddress.objects.all():
        assert email not in str(entry.__dict__)


def test_an_objector_with_nothing_else_is_deleted_and_only_the_keyed_hash_remains():
    person = _objector()
    run = apply_at(LATER, "unsubscribe-6w")
    assert not _held(person)
    assert run.rows_affected == {"subjects.DataSubject": 1}
    _nothing_but_the_hash("noor@example.nl")


def test_after_the_deletion_nobody_can_subscribe_the_address_again_but_its_owner():
    _objector()
    apply_at(LATER, "unsubscribe-6w")
    newcomer = f.DataSubjectFactory(email="noor@example.nl")
    with pytest.raises(ValidationError):
        f.NewsletterSubscriptionFactory(subject=newcomer)
    assert not m.NewsletterSubscription.objects.exists()


def test_a_second_run_finds_nobody():
    _objector()
    apply_at(LATER, "unsubscribe-6w")
    again = apply_at(LATER + datetime.timedelta(days=1), "unsubscribe-6w")
    assert again.rows_affected == {}


def test_an_objector_with_another_purpose_keeps_their_whole_record():
    person = _objector()
    f.InvoiceFactory(subject=person)
    apply_at(LATER, "unsubscribe-6w")
    person.refresh_from_db()
    assert (person.first_name, person.phone, person.city) == ("Noor", "0612345678", "Utrecht")


def test_a_restricted_objector_is_kept_unchanged():
    """Art. 18: keep storing, unchanged, while the restriction lasts."""
    person = _objector(restricted_at=utc(2025, 6, 1), restriction_ground="Art. 18 AVG (V-3)")
    apply_at(LATER, "unsubscribe-6w")
    person.refresh_from_db()
    assert person.phone == "0612345678"


def test_an_objector_goes_the_day_after_their_last_role_ends_not_before():
    person = _objector()
    f.SubjectRoleFactory(subject=person, ended_on=datetime.date(2026, 11, 30))
    apply_at(ams(2026, 11, 30, 23, 59, 59), "unsubscribe-6w")
    assert _held(person)
    apply_at(ams(2026, 12, 1, 0, 0, 0), "unsubscribe-6w")
    assert not _held(person)


def test_every_objector_is_reached_in_batches_past_those_kept_for_another_purpose():
    first = _objector("a@example.nl")
    kept = _objector("b@example.nl")
    last = _objector("c@example.nl")
    f.InvoiceFactory(subject=kept)
    run = apply_at(LATER, "unsubscribe-6w", batch_size=1)
    assert not _held(first) and not _held(last) and _held(kept)
    assert run.rows_affected == {"subjects.DataSubject": 2}


def test_other_rules_leave_objectors_to_the_newsletter_rule():
    person = _objector()
    apply_at(LATER, "fiscal-7y")
    assert _held(person)


def test_an_objector_from_before_the_suppression_list_gets_a_hash_before_going():
    """People kept whole for their objection by earlier versions have no entry yet."""
    person = f.DataSubjectFactory(email="oud@example.nl", marketing_objection_at=utc(2025, 1, 1))
    assert not address_is_suppressed("oud@example.nl")
    apply_at(LATER, "unsubscribe-6w")
    assert not _held(person)
    _nothing_but_the_hash("oud@example.nl")
