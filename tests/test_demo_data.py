"""`manage.py load_demo`: realistic data for every category, every model, every rule."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core import serializers
from django.core.management import call_command
from django.utils import timezone

from processing.models import SubjectCategory
from requests_dsar.models import DsarRequest, RequestEvent, Status
from retention.models import RetentionRule
from subjects.demo import PEOPLE
from subjects.models import DataSubject
from subjects.registry import registry

pytestmark = pytest.mark.django_db


def _snapshot() -> dict[str, str]:
    models = [e.model for e in registry if e.model._meta.label != "subjects.AuditEvent"]
    return {
        model._meta.label: serializers.serialize("json", model._default_manager.order_by("pk"))
        for model in [*models, DsarRequest, RequestEvent]
    }


def test_loading_the_demo_twice_gives_the_same_data():
    call_command("load_demo", stdout=io.StringIO())
    first = _snapshot()
    call_command("load_demo", stdout=io.StringIO())
    assert _snapshot() == first


def test_the_demo_has_a_person_of_every_category_and_rows_in_every_registered_model():
    call_command("load_demo", stdout=io.StringIO())
    for category in SubjectCategory.objects.exclude(key="website-visitor"):
        assert DataSubject.objects.filter(roles__category=category).exists(), category.key
    for entry in registry:
        if entry.model._meta.label == "subjects.AuditEvent":
            continue
        assert entry.model._default_manager.exists(), entry.label


def _clock_value(row, path: str):
    value = row
    for part in path.split("__"):
        value = getattr(value, part)
        if value is None:
            return None
    return value


def _as_datetime(value) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        return value
    return timezone.make_aware(datetime.datetime.combine(value, datetime.time.min))


@pytest.mark.parametrize(
    "rule_key",
    ["ip-4w", "unsubscribe-6w", "fiscal-7y", "coaching-end", "monitor-end", "nobco-5y",
     "tools-on-demand", "brochure-3m", "contact-review", "breach-5y"],
)  # fmt: skip
def test_the_demo_holds_records_past_and_within_each_retention_limit(rule_key):
    call_command("load_demo", stdout=io.StringIO())
    rule = RetentionRule.objects.get(key=rule_key)
    now = timezone.now()
    expired, kept = 0, 0
    for entry in registry.for_rule(rule_key):
        for row in entry.model._default_manager.all():
            clock = _clock_value(row, entry.clock)
            if clock is None:
                kept += 1
            elif _as_datetime(rule.expiry(clock)) <= now:
                expired += 1
            else:
                kept += 1
    assert expired >= 1, f"nothing for {rule_key} to act on"
    assert kept >= 1, f"{rule_key} would leave nothing to keep"


def test_the_demo_command_prints_a_summary(capsys):
    call_command("load_demo")
    assert "Demo data loaded." in capsys.readouterr().out
    assert DataSubject.objects.count() == len(PEOPLE)


def test_the_demo_fills_the_staff_queue_with_requests_in_every_stage(officer_client):
    call_command("load_demo", stdout=io.StringIO())
    today = timezone.localdate()
    requests = {r.reference: r for r in DsarRequest.objects.prefetch_related("subjects")}
    assert {r.status for r in requests.values()} == {
        Status.NEW,
        Status.IN_PROGRESS,
        Status.EXTENDED,
        Status.COMPLETED,
    }
    for request in requests.values():
        assert [s.email for s in request.subjects.all()] == [request.email]
        assert request.events.filter(action="verified").exists()
    extended = next(r for r in requests.values() if r.status == Status.EXTENDED)
    assert extended.extension_reason and extended.due_on > today
    # Extended within the first four weeks, as Art. 12(3) requires.
    assert timezone.localdate(extended.extended_at) < extended.original_due_on
    open_requests = [r for r in requests.values() if r.is_open]
    assert any(0 <= (r.due_on - today).days <= 7 for r in open_requests)
    assert all(r.due_on >= today for r in open_requests)  # nothing overdue on a fresh start
    queue = officer_client.get("/staff/requests/").content.decode()
    assert all(r.reference in queue for r in open_requests)


def test_loading_the_demo_again_after_using_it_changes_nothing_a_person_did():
    """A newcomer withdraws consents and asks for links, then runs ``make run`` again:
    the demo loads, and what they did stays done (nothing consented is recreated)."""
    from processing.consent_page import consent_page_link_send
    from processing.models import Consent, ConsentMethod, ConsentPageLink
    from subjects.consents import consent_withdraw
    from subjects.models import BrochureRequest, CoachingNote, StudyTripReferral

    call_command("load_demo", stdout=io.StringIO())
    for purpose in ("coaching-health", "brochure-call", "meetin"):
        consent_withdraw(
            consents=list(Consent.objects.filter(purpose=purpose, withdrawn_at=None)),
            actor=None,
            method=ConsentMethod.PREFERENCES,
        )
    consent_page_link_send(email="thomas.visser@example.nl", language="nl")
    call_command("load_demo", stdout=io.StringIO())
    assert not CoachingNote.objects.filter(mentions_health=True).exists()
    assert not StudyTripReferral.objects.exists()
    assert not BrochureRequest.objects.exclude(phone="").exists()
    assert ConsentPageLink.objects.filter(email="thomas.visser@example.nl").count() == 2
