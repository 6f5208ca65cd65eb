from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from processing.models import Controller, ProcessingActivity


def controller_get() -> Controller | None:
    return Controller.objects.first()


def activity_list() -> QuerySet[ProcessingActivity]:
    """The full register with everything Art. 30(1) needs, in a fixed number of queries."""
    return ProcessingActivity.objects.prefetch_related(
        "legal_bases",
        "subject_categories",
        "data_categories",
        Prefetch("recipients"),
    )
