from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from subjects.demo import demo_data_load


class Command(BaseCommand):
    help = (
        "Load realistic Dutch demo data subjects of every category, with data in every "
        "registered model and records old enough for each retention rule, a few rights "
        "requests in the staff queue, and each recipient's agreement (with a PDF), "
        "transfer evidence and compliance check. Safe to run again: only missing records "
        "are created."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        # The rights requests refer to the demo people, so they come second.
        from processing.demo import demo_recipients_load
        from requests_dsar.demo import demo_requests_load

        counts = demo_data_load()
        counts["requests_dsar.DsarRequest (demo)"] = demo_requests_load()
        counts["processing.RecipientCheck (demo)"] = demo_recipients_load()
        for label, count in counts.items():
            self.stdout.write(f"{label}: {count}")
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
