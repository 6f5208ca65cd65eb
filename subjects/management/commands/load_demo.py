from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from subjects.demo import demo_data_load


class Command(BaseCommand):
    help = (
        "Load realistic Dutch demo data subjects of every category, with data in every "
        "registered model and records old enough for each retention rule, a few rights "
        "requests in the staff queue and a few breaches in the breach register. Safe to "
        "run again: only missing records are created."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        # The rights requests and the breaches refer to the demo people, so they follow.
        from processing.breaches.demo import demo_breaches_load
        from requests_dsar.demo import demo_requests_load

        counts = demo_data_load()
        counts["requests_dsar.DsarRequest (demo)"] = demo_requests_load()
        counts["processing.Breach (demo)"] = demo_breaches_load()
        for label, count in counts.items():
            self.stdout.write(f"{label}: {count}")
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
