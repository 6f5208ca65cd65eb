from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from processing.models import Controller, ProcessingActivity, Recipient, RecipientCheck

# An agreement whose review is this close shows on the dashboard, so there is time to
# read it before the date.
AGREEMENT_REVIEW_NOTICE_DAYS = 30


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


def _last_check(field: str) -> Subquery:
    checks = RecipientCheck.objects.filter(recipient=OuterRef("pk")).order_by("-checked_on", "-pk")
    return Subquery(checks.values(field)[:1])


def recipient_list() -> QuerySet[Recipient]:
    """Every recipient with its last compliance check (``last_checked_on``,
    ``last_checked_by``, ``last_outcome``, ``next_check_on``), in one query."""
    return Recipient.objects.annotate(
        last_checked_on=_last_check("checked_on"),
        last_checked_by=_last_check("checked_by_name"),
        last_outcome=_last_check("outcome"),
        next_check_on=_last_check("next_check_on"),
    ).order_by("name")


@dataclass(frozen=True)
class Attention:
    """Why a recipient needs the privacy officer: ``code`` for tests and styling,
    ``text`` for people."""

    code: str
    text: str


def _date(value: datetime.date) -> str:
    return date_format(value, "j F Y")


def recipient_attention(recipient: Recipient, *, today: datetime.date) -> list[Attention]:
    """What is missing or due for one recipient of ``recipient_list``: no agreement or
    no document of it, the agreement's review overdue or due within
    ``AGREEMENT_REVIEW_NOTICE_DAYS`` days, no compliance check or the next one overdue
    (a check due today is not yet overdue), and missing evidence for a transfer
    outside the EEA."""
    items: list[Attention] = []
    if not recipient.processing_agreement_date:
        items.append(Attention("agreement-missing", _("no agreement recorded")))
    elif not recipient.processing_agreement_document:
        items.append(Attention("document-missing", _("agreement document not uploaded")))
    review_on = recipient.next_review_on
    if recipient.processing_agreement_date and review_on is None:
        items.append(Attention("review-unplanned", _("no review of the agreement planned")))
    elif review_on is not None and review_on < today:
        items.append(
            Attention(
                "review-overdue",
                _("review of the agreement overdue since %(date)s") % {"date": _date(review_on)},
            )
        )
    elif review_on is not None and review_on <= today + datetime.timedelta(
        days=AGREEMENT_REVIEW_NOTICE_DAYS
    ):
        items.append(
            Attention(
                "review-due",
                _("review of the agreement due on %(date)s") % {"date": _date(review_on)},
            )
        )
    next_check_on = getattr(recipient, "next_check_on", None)
    if getattr(recipient, "last_checked_on", None) is None:
        items.append(Attention("check-missing", _("no compliance check recorded")))
    elif next_check_on is not None and next_check_on < today:
        items.append(
            Attention(
                "check-overdue",
                _("compliance check overdue since %(date)s") % {"date": _date(next_check_on)},
            )
        )
    missing = recipient.transfer_evidence_missing()
    if missing:
        items.append(
            Attention(
                "transfer-evidence-missing",
                _("transfer outside the EEA lacks: %(missing)s") % {"missing": ", ".join(missing)},
            )
        )
    return items


def recipients_needing_attention(*, today: datetime.date) -> list[Recipient]:
    """The recipients with something missing or due (``recipient_attention``), each with
    its reasons in ``attention``; one query however many recipients and checks."""
    needing = []
    for recipient in recipient_list():
        recipient.attention = recipient_attention(recipient, today=today)
        if recipient.attention:
            needing.append(recipient)
    return needing


# The privacy statement and the Art. 14 notices (issue 10), for the dashboard.


def statement_dashboard() -> dict[str, object]:
    """The published version, whether the register would change it ("not yet
    published"), and who has not had their Art. 14 notice: a fixed number of queries."""
    from processing.art14 import art14_summary
    from processing.statement import statement_status

    status = statement_status(cached=True)
    return {
        "statement": {"current": status.current, "unpublished": status.unpublished},
        "art14": art14_summary(),
    }


def consents_given_and_withdrawn(*, since: datetime.datetime) -> dict[str, int]:
    """How many consents were given and how many withdrawn since ``since``: one query,
    counts only."""
    from django.db.models import Count, Q

    from processing.models import Consent

    return Consent.objects.aggregate(
        given=Count("pk", filter=Q(given_at__gte=since)),
        withdrawn=Count("pk", filter=Q(withdrawn_at__gte=since)),
    )
