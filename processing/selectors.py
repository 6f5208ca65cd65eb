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


# The privacy statement and the Art. 14 notices (issue 10), for the dashboard.


def statement_dashboard() -> dict[str, object]:
    """The published version, whether the register would change it ("not yet
    published"), and who has not had their Art. 14 notice: a fixed number of queries."""
    from processing.art14 import art14_summary
    from processing.statement import statement_status

    status = statement_status()
    return {
        "statement": {"current": status.current, "unpublished": status.unpublished},
        "art14": art14_summary(),
    }
