"""Art. 18 beats retention only where the restriction keeps the data for the person
(18(1)(b), (c)): such a row survives its rule at the exact boundary, waits in the review
queue with the rule that would have acted, and goes at the first run after the
restriction is lifted (the person told first, Art. 18(3)). A temporary restriction
(18(1)(a), (d)) does not keep anything past its limit; a legal-hold restriction is
unchanged; an older restriction without a recorded ground is kept until staff record it."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command

from requests_dsar.fulfilment.restriction import (
    restriction_apply,
    restriction_ground_set,
    restriction_lift,
)
from requests_dsar.models import DsarRequest
from retention.restricted import art18_restrictions_without_a_ground, restricted_rows_held
from subjects import models as m
from tests import factories as f
from tests.retention.conftest import apply_at, utc

pytestmark = pytest.mark.django_db

S = datetime.timedelta(seconds=1)
UNSUBSCRIBED = utc(2026, 10, 1, 12, 0)
# Six weeks after the unsubscribe, minus the daily run's interval: the run that starts
# here is the last before the limit passes (tests/retention/test_boundaries.py).
BOUNDARY = utc(2026, 11, 11, 12, 0)


def _exists(obj) -> bool:
    return type(obj)._default_manager.filter(pk=obj.pk).exists()


def _subscription():
    """Newsletter data of a client (who stays when the data go), unsubscribed."""
    subscription = f.NewsletterSubscriptionFactory(unsubscribed_at=UNSUBSCRIBED)
    f.SubjectRoleFactory(subject=subscription.subject)
    return subscription


def _restricted(subject, ground: str, reference: str = "V-R18") -> DsarRequest:
    """The person's Art. 18 request, restricted by staff on ``ground``."""
    dsar = DsarRequest.objects.create(
        reference=reference,
        request_type="restriction",
        name="Sanne",
        email=subject.email,
        status="in-progress",
    )
    dsar.subjects.add(subject)
    with time_machine.travel(utc(2026, 10, 15, 9, 0), tick=False):
        restriction_apply(actor=None, request=dsar, ground=ground, reason="Rechtszaak")
    return dsar


def _held(now) -> dict[tuple[str, str], list[int]]:
    return {
        (held.rule.key, held.entry.label): [row.pk for row in held.rows]
        for held in restricted_rows_held(now=now)
    }


@pytest.mark.parametrize("ground", ["b", "c"])
def test_a_row_kept_for_the_person_survives_its_rule_waits_and_goes_after_the_lift(ground):
    subscription = _subscription()
    dsar = _restricted(subscription.subject, ground)
    subscription.refresh_from_db()
    assert subscription.restriction_ground.startswith(f"Art. 18(1)({ground}) AVG (V-R18)")

    assert apply_at(BOUNDARY - S, "unsubscribe-6w").due_for_review == 0
    run = apply_at(BOUNDARY, "unsubscribe-6w")
    assert _exists(subscription), "the restriction keeps it for the person"
    assert run.rows_affected == {} and run.total_rows == 0
    assert run.due_for_review == 1
    # In the review queue, with the rule that would have deleted it.
    assert _held(BOUNDARY) == {
        ("unsubscribe-6w", "subjects.NewsletterSubscription"): [subscription.pk]
    }
    assert apply_at(BOUNDARY + datetime.timedelta(days=30), "unsubscribe-6w").due_for_review == 1
    assert _exists(subscription)

    lifted_at = BOUNDARY + datetime.timedelta(days=31)
    with time_machine.travel(lifted_at, tick=False):
        with pytest.raises(ValidationError):  # not without telling the person (Art. 18(3))
            restriction_lift(actor=None, request=dsar, informed_on=None, informed_how="")
        assert _held(lifted_at)
        restriction_lift(
            actor=None,
            request=dsar,
            informed_on=lifted_at.date(),
            informed_how="per e-mail, met de gegevens die daarna verwijderd worden",
        )
        assert _held(lifted_at) == {}
    run = apply_at(lifted_at + datetime.timedelta(hours=1), "unsubscribe-6w")
    assert not _exists(subscription), "gone at the first run after the lift"
    assert run.rows_affected == {"subjects.NewsletterSubscription": 1}
    assert run.due_for_review == 0


@pytest.mark.parametrize("ground", ["a", "d"])
def test_a_temporary_restriction_keeps_nothing_past_the_limit(ground):
    subscription = _subscription()
    _restricted(subscription.subject, ground)
    apply_at(BOUNDARY - S, "unsubscribe-6w")
    assert _exists(subscription)
    run = apply_at(BOUNDARY, "unsubscribe-6w")
    assert not _exists(subscription), "the rule acts as usual"
    assert run.due_for_review == 0
    # The person stays restricted (the check is still running), only the data went.
    subject = m.DataSubject.objects.get(pk=subscription.subject_id)
    assert subject.restriction_ground.startswith(f"Art. 18(1)({ground})")


def test_a_legal_hold_restriction_is_unchanged():
    invoice = f.InvoiceFactory(
        issued_on=datetime.date(2019, 3, 15),
        restricted_at=utc(2024, 1, 1),
        restriction_ground="Art. 17(3)(b) AVG: fiscal (Art. 52 AWR) until 2026-12-31",
    )
    f.SubjectRoleFactory(subject=invoice.subject)
    boundary = utc(2026, 12, 30, 23, 0)  # 31 December 2026, 00:00 in Amsterdam
    apply_at(boundary - S, "fiscal-7y")
    assert _exists(invoice)
    run = apply_at(boundary, "fiscal-7y")
    assert not _exists(invoice)
    assert run.due_for_review == 0 and _held(boundary) == {}


def test_the_restriction_of_the_person_keeps_a_row_that_is_not_restricted_itself():
    """A row added after the restriction is the person's data too."""
    subscription = _subscription()
    _restricted(subscription.subject, "c")
    m.NewsletterSubscription.objects.filter(pk=subscription.pk).update(
        restricted_at=None, restriction_ground=""
    )
    run = apply_at(BOUNDARY, "unsubscribe-6w")
    assert _exists(subscription)
    assert run.due_for_review == 1
    [held] = restricted_rows_held(now=BOUNDARY)
    assert held.rows[0].ground == "c"
    assert held.rows[0].subject_name == subscription.subject.full_name


def test_an_anonymising_rule_leaves_a_row_kept_for_the_person_and_anonymises_a_temporary_one():
    ended = datetime.date(2026, 6, 10)
    kept = f.CoachingMonitorParticipationFactory(trajectory__ended_on=ended)
    checked = f.CoachingMonitorParticipationFactory(trajectory__ended_on=ended)
    _restricted(kept.subject, "c", reference="V-KEPT")
    _restricted(checked.subject, "a", reference="V-CHECK")
    run = apply_at(utc(2026, 12, 1), "monitor-end")
    kept.refresh_from_db()
    assert kept.initials == "S." and kept.subject_id is not None
    assert not m.CoachingMonitorParticipation.objects.filter(
        pk=checked.pk, subject__isnull=False
    ).exists()
    assert run.due_for_review == 1
    assert _held(utc(2026, 12, 1)) == {
        ("monitor-end", "subjects.CoachingMonitorParticipation"): [kept.pk]
    }


@pytest.mark.parametrize("ground", ["Art. 18 AVG (V-OLD) klopt niet", ""])
def test_an_older_restriction_without_a_ground_is_kept_until_staff_record_it(ground):
    subscription = _subscription()
    dsar = DsarRequest.objects.create(
        reference="V-OLD", request_type="restriction", name="x", email="x@example.nl"
    )
    dsar.subjects.add(subscription.subject)
    for model, pk in (
        (m.NewsletterSubscription, subscription.pk),
        (m.DataSubject, dsar.subjects.get().pk),
    ):
        model.objects.filter(pk=pk).update(restricted_at=utc(2025, 1, 1), restriction_ground=ground)
    run = apply_at(BOUNDARY, "unsubscribe-6w")
    assert _exists(subscription) and run.due_for_review == 1
    [item] = art18_restrictions_without_a_ground()
    assert item["rows"] == 2
    if not ground:
        assert item["request"] is None
        return
    assert item["request"] == dsar
    restriction_ground_set(actor=None, request=dsar, ground="a")
    subscription.refresh_from_db()
    assert subscription.restriction_ground == "Art. 18(1)(a) AVG (V-OLD) klopt niet"
    assert art18_restrictions_without_a_ground() == []
    apply_at(BOUNDARY + datetime.timedelta(hours=1), "unsubscribe-6w")
    assert not _exists(subscription), "recorded as temporary: the limit applies again"


def test_the_dry_run_says_what_a_restriction_keeps():
    subscription = _subscription()
    _restricted(subscription.subject, "c")
    out = StringIO()
    with time_machine.travel(BOUNDARY, tick=False):
        call_command("retention", "--dry-run", "--rule", "unsubscribe-6w", stdout=out)
    output = out.getvalue()
    assert "subjects.NewsletterSubscription: would delete 0" in output
    assert (
        "subjects.NewsletterSubscription: 1 kept for the person by an Art. 18 restriction" in output
    )
    assert _exists(subscription)
