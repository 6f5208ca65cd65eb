"""Celery tasks of the retention jobs: thin, they take a rule key and call the service.

A failed run is already logged as failed by the service; the task retries it with
exponential backoff. A rule violation (data held that is never to be stored) is not
retried: repeating cannot fix it, staff must.
"""

from __future__ import annotations

from celery import shared_task

from retention.models import RetentionRule, RetentionRun
from retention.schedule import APPLY_RULE_TASK
from retention.services import RetentionRuleViolation, retention_rule_apply


@shared_task(
    name=APPLY_RULE_TASK,
    autoretry_for=(Exception,),
    dont_autoretry_for=(RetentionRuleViolation, RetentionRule.DoesNotExist),
    retry_backoff=60,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=5,
    acks_late=True,
)
def retention_rule_apply_task(
    rule_key: str, trigger: str = RetentionRun.Trigger.SCHEDULE
) -> int | None:
    """Apply retention rule ``rule_key``; returns the id of its ``RetentionRun``."""
    run = retention_rule_apply(rule_key=rule_key, trigger=trigger)
    return run.pk if run else None


@shared_task(name="retention.close_interrupted_runs")
def interrupted_runs_close_task() -> int:
    """Every few minutes: a run whose worker was killed is marked failed ("interrupted")
    within minutes, not only when its rule runs again."""
    from retention.services import interrupted_runs_close

    return interrupted_runs_close()
