from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from subjects.demo import demo_data_load


class Command(BaseCommand):
    help = (
        "Load realistic Dutch demo data subjects of every category, with data in every "
        "registered model and records old enough for each retention rule, and a few "
        "rights requests in the staff queue, and the privacy statement published as version "
        "1 when no version exists. Safe to run again: only missing records are created."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        # The rights requests refer to the demo people, so they come second.
        from processing.statement import statement_current, statement_version_publish
        from requests_dsar.demo import demo_requests_load

        counts = demo_data_load()
        counts["requests_dsar.DsarRequest (demo)"] = demo_requests_load()
        if statement_current() is None:
            statement_version_publish(actor=None)
        for label, count in counts.items():
            self.stdout.write(f"{label}: {count}")
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
