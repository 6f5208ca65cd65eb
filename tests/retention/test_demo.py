"""Done when: with the demo data and the clock moved forward, every rule has acted and
the run log says exactly what happened."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from retention.models import RetentionRule, RetentionRun
from retention.services import retention_rule_apply
from subjects import models as m

pytestmark = pytest.mark.django_db


def _count(label: str) -> int:
    return apps.get_model(label)._default_manager.count()


def test_with_the_demo_data_and_the_clock_moved_forward_every_rule_acts():
    call_command("load_demo", stdout=None)
    labels = [
        "subjects.WebsiteVisit",
        "subjects.NewsletterSubscription",
        "subjects.BrochureRequest",
        "subjects.Invoice",
        "subjects.Correspondence",
        "subjects.SupplierDetails",
        "subjects.CoachingNote",
        "subjects.TraineeProfile",
        "subjects.ClientEvaluation",
        "subjects.CliftonStrengthsAccount",
        "subjects.DataSubject",
    ]
    with time_machine.travel(timezone.now() + datetime.timedelta(days=10), tick=False):
        for rule in RetentionRule.objects.all():
            before = {label: _count(label) for label in labels}
            run = retention_rule_apply(rule_key=rule.key)
            assert run.outcome == "success", (rule.key, run.error)
            for label, count in run.rows_affected.items():
                if label in before and rule.action == "delete":
                    assert before[label] - _count(label) == count, (rule.key, label)

    runs = {run.rule.key: run for run in RetentionRun.objects.select_related("rule")}
    assert set(runs) == set(RetentionRule.objects.values_list("key", flat=True))
    assert runs["ip-4w"].rows_affected["subjects.WebsiteVisit"] == 4  # 37, 39, 45, 70 days
    assert runs["unsubscribe-6w"].rows_affected["subjects.NewsletterSubscription"] == 1
    assert runs["brochure-3m"].rows_affected["subjects.BrochureRequest"] == 1
    assert runs["fiscal-7y"].rows_affected == {
        "subjects.Invoice": 1,
        "subjects.Correspondence": 1,
        "subjects.SupplierDetails": 1,
    }
    assert runs["coaching-end"].rows_affected == {
        "subjects.CoachingNote": 1,
        "subjects.TraineeProfile": 1,
    }
    assert runs["monitor-end"].rows_affected["subjects.CoachingMonitorParticipation"] == 1
    assert runs["nobco-5y"].rows_affected["subjects.ClientEvaluation"] == 1
    assert runs["tools-on-demand"].rows_affected["subjects.CliftonStrengthsAccount"] == 1
    assert runs["contact-review"].due_for_review == 1
    assert runs["video-none"].total_rows == 0
    # Anouk unsubscribed 7+ weeks ago and had nothing else: she is gone; Sanne stays.
    assert not m.DataSubject.objects.filter(email="anouk.bos@example.nl").exists()
    assert m.DataSubject.objects.filter(email="sanne.devries@example.nl").exists()
