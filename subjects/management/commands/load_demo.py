from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils import translation

from subjects.demo import demo_data_load
from subjects.registry import registry


class Command(BaseCommand):
    help = (
        "Load realistic Dutch demo data subjects of every category, with data in every "
        "registered model and records old enough for each retention rule, a few rights "
        "requests in the staff queue, each recipient's agreement (with a PDF), transfer "
        "evidence and compliance check, a few breaches in the breach register, and the "
        "privacy statement published as version 1 when none exists. Safe to run again: "
        "only missing records are created. Says what the retention jobs will delete at "
        "their first run."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        # The rights requests and the breaches refer to the demo people, so they follow.
        from processing.breaches.demo import demo_breaches_load
        from processing.demo import demo_recipients_load
        from processing.statement import statement_current, statement_version_publish
        from requests_dsar.demo import demo_requests_load
        from retention.selectors import due_at_next_run

        demo_data_load()
        requests = demo_requests_load()
        checks = demo_recipients_load()
        breaches = demo_breaches_load()
        if statement_current() is None:
            statement_version_publish(actor=None)
        # Counted once everything is loaded (the breaches name demo people).
        counts = {entry.label: entry.model._default_manager.count() for entry in registry}
        # Console output for the operator: one language, English, like every command.
        with translation.override("en"):
            for label, count in sorted(counts.items(), key=lambda item: _name(item[0])):
                self.stdout.write(f"  {_name(label)}: {count}")
            self.stdout.write(f"  rights requests (demo): {requests}")
            self.stdout.write(f"  recipients' compliance checks (demo): {checks}")
            self.stdout.write(f"  breaches (demo): {breaches}")
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
            due = due_at_next_run()
            if not due:
                return
            self.stdout.write(
                "Some demo records are past their retention limit on purpose, to show the "
                "rules at work. The retention jobs that start with the worker will, at their "
                "first run:"
            )
            for rule, entries in due:
                action = rule.get_action_display()
                what = "; ".join(f"{_name(entry.label)}: {count}" for entry, count in entries)
                self.stdout.write(f"  {rule.tr('name')} ({action}): {what}")
            self.stdout.write(
                "A demo person left with nothing else that keeps them (no other data, role, "
                "request, hold or restriction) is deleted with their last record. The staff "
                "dashboard shows each rule's last run and what it removed."
            )


def _name(label: str) -> str:
    """A model's name as people read it ("invoices"), from its "app.Model" label."""
    return str(apps.get_model(label)._meta.verbose_name_plural)
