"""``manage.py retention``: apply the retention rules now, or show what they would do."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from retention.models import RetentionRule, RetentionRun
from retention.selectors import contact_messages_due_for_review, expired_summary
from retention.services import retention_margin, retention_rule_apply
from retention.tool_accounts import (
    ACCOUNT_RECIPIENTS,
    TOOLS_AFTER_END_RULE,
    tool_accounts_past_use,
)
from retention.trajectory_review import TRAJECTORY_REVIEW_RULE, open_trajectories_due_for_review
from subjects.registry import registry


def _when(value: Any) -> str:
    """A clock value as operators read it: Amsterdam time, to the minute."""
    if value is None:
        return "-"
    if isinstance(value, datetime.datetime):
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M %Z}"
    return value.isoformat()


class Command(BaseCommand):
    help = (
        "Apply the retention rules of the privacy statement now: every row whose retention "
        "limit passes before the rule's next scheduled run is deleted or anonymised, unless "
        "a legal hold or explicit consent keeps it; data subjects left without any data "
        "are deleted too. Each rule run is logged as a retention run. --dry-run only lists, "
        "per rule, how many rows would go and the oldest one, and writes nothing (no run "
        "is logged)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rule", metavar="KEY", help="Only this rule (for example ip-4w).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would be done; change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        rules = RetentionRule.objects.filter(is_active=True)
        if options["rule"]:
            if not RetentionRule.objects.filter(key=options["rule"]).exists():
                known = ", ".join(RetentionRule.objects.values_list("key", flat=True))
                raise CommandError(f"Unknown retention rule {options['rule']!r}. Known: {known}")
            rules = RetentionRule.objects.filter(key=options["rule"])
        failed = []
        for rule in rules:
            if options["dry_run"]:
                self._show(rule)
                continue
            try:
                self._apply(rule)
            except Exception as exc:  # logged as a failed run; go on with the other rules
                failed.append(rule.key)
                self.stderr.write(f"{rule.key}: failed: {exc}")
        if options["dry_run"]:
            self.stdout.write(
                "Data subjects left without any data are deleted with their last row "
                "(not counted in a dry run)."
            )
        if failed:
            raise CommandError(f"Failed: {', '.join(failed)} (see the retention runs)")

    def _show(self, rule: RetentionRule) -> None:
        horizon = timezone.now() + retention_margin(rule)
        self.stdout.write(
            f"{rule.key} ({rule.action}): rows whose limit passes before "
            f"{timezone.localtime(horizon):%Y-%m-%d %H:%M %Z}"
        )
        if rule.key == TRAJECTORY_REVIEW_RULE:
            due = open_trajectories_due_for_review(rule)
            oldest = due.values_list("started_on", flat=True).first()
            self.stdout.write(
                f"  trajectories due for review: {due.count()} (oldest start {_when(oldest)})"
            )
            return
        if rule.action == RetentionRule.Action.REVIEW:
            due = contact_messages_due_for_review(rule)
            oldest = due.values_list("received_at", flat=True).first()
            self.stdout.write(f"  due for review: {due.count()} (oldest {_when(oldest)})")
            return
        if rule.key == TOOLS_AFTER_END_RULE:
            for model in ACCOUNT_RECIPIENTS:
                entry = registry.get(model)
                batches = tool_accounts_past_use(rule, entry, horizon=horizon, size=5000)
                count = sum(len(pks) for pks in batches)
                self.stdout.write(
                    f"  {entry.label}: would delete {count}, each with an Art. 19 task"
                )
        if rule.action == RetentionRule.Action.NEVER_STORED:
            self.stdout.write("  nothing stored; the run checks that no registry entry holds it")
            return
        for entry in registry.for_rule(rule.key):
            count, oldest = expired_summary(rule, entry, horizon=horizon)
            verb = "anonymise" if rule.action == RetentionRule.Action.ANONYMISE else "delete"
            self.stdout.write(f"  {entry.label}: would {verb} {count} (oldest {_when(oldest)})")
            held, _oldest = expired_summary(rule, entry, horizon=horizon, held=True)
            if held:
                self.stdout.write(
                    f"  {entry.label}: {held} kept for the person by an Art. 18 restriction "
                    "(review queue)"
                )

    def _apply(self, rule: RetentionRule) -> None:
        run = retention_rule_apply(rule_key=rule.key, trigger=RetentionRun.Trigger.COMMAND)
        if run is None:
            self.stdout.write(f"{rule.key}: not active")
            return
        extra = f", due for review {run.due_for_review}" if run.due_for_review is not None else ""
        self.stdout.write(
            self.style.SUCCESS(f"{rule.key}: {run.outcome}, {run.total_rows} rows")
            + f" {run.rows_affected}{extra}"
        )
