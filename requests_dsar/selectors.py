"""Reads for the staff pages, each in a fixed number of queries."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from requests_dsar.models import (
    OPEN_STATUSES,
    DsarRequest,
    RecipientTask,
    RequestEvent,
    Status,
)
from requests_dsar.stamp import stamp_read, stamps_prune
from subjects.models import DataSubject


def dsar_queue(*, request_type: str = "", status: str = "") -> QuerySet[DsarRequest]:
    """The staff queue: verified requests, earliest due first, with the number of open
    recipient tasks; by default only open requests. One query, whatever the size. The
    tasks are counted in a subquery per row shown (not a join grouped over every request),
    so a page of the queue is read in due order from the open-request index and the
    paginator counts without the tasks."""
    open_tasks = (
        RecipientTask.objects.filter(request=OuterRef("pk"), state=RecipientTask.State.OPEN)
        .order_by()
        .values("request")
        .annotate(n=Count("pk"))
        .values("n")
    )
    qs = DsarRequest.objects.select_related("open_request").annotate(
        open_tasks=Coalesce(Subquery(open_tasks), 0)
    )
    if status == "all":
        qs = qs.exclude(status=Status.UNVERIFIED)
    elif status:
        qs = qs.filter(status=status)
    else:
        qs = qs.filter(status__in=OPEN_STATUSES)
    if request_type:
        qs = qs.filter(request_type=request_type)
    return qs.order_by(F("due_on").asc(nulls_last=True), "created_at")


def dsar_detail(*, pk: int) -> DsarRequest:
    return (
        DsarRequest.objects.select_related("staff_verified_by", "duplicate_of", "open_request")
        .prefetch_related(
            "subjects",
            Prefetch(
                "later_requests",
                queryset=DsarRequest.objects.filter(status__in=OPEN_STATUSES).order_by("pk"),
            ),
            Prefetch("events", queryset=RequestEvent.objects.order_by("at", "pk")),
            Prefetch("recipient_tasks", queryset=RecipientTask.objects.select_related("recipient")),
            "packages",
        )
        .get(pk=pk)
    )


def subject_candidates(*, query: str) -> QuerySet[DataSubject]:
    """Data subjects staff may link by hand: search by name or e-mail."""
    query = query.strip()[:100]
    if not query:
        return DataSubject.objects.none()
    return DataSubject.objects.filter(
        Q(email__icontains=query) | Q(last_name__icontains=query) | Q(first_name__icontains=query)
    )[:20]


def open_requests_grouped(*, today: datetime.date, due_soon_days: int) -> list[dict[str, Any]]:
    """Open requests counted by right and status, each with how many are overdue and due
    within ``due_soon_days``: one query."""
    # An identity question waiting for its answer holds the clock: not overdue.
    held = Q(identity_question_asked_at__isnull=False, identity_question_answered_at__isnull=True)
    return list(
        DsarRequest.objects.filter(status__in=OPEN_STATUSES)
        .values("request_type", "status")
        .annotate(
            n=Count("pk"),
            overdue=Count("pk", filter=Q(due_on__lt=today) & ~held),
            due_soon=Count(
                "pk",
                filter=Q(due_on__gte=today, due_on__lte=today + datetime.timedelta(due_soon_days)),
            ),
        )
        .order_by()
    )


def requests_by_right_and_status(
    *,
    today: datetime.date | None = None,
    due_soon_days: int = 7,
    grouped: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Open requests counted by right and by status: rows (right, counts per open
    status, total) for the dashboard, with labels, never codes; and ``summary``: how many
    are open, overdue, and due within ``due_soon_days``. From ``grouped`` (as
    ``open_requests_grouped`` counts them, for instance kept by ``request_counts``), or
    one query."""
    from requests_dsar.models import RequestType

    today = today or timezone.localdate()
    if grouped is None:
        grouped = open_requests_grouped(today=today, due_soon_days=due_soon_days)
    counts = {(row["request_type"], row["status"]): row["n"] for row in grouped}
    summary = {key: sum(row[key] for row in grouped) for key in ("overdue", "due_soon")}
    statuses = [Status(s) for s in OPEN_STATUSES]
    rows = []
    for right in RequestType:
        cells = [counts.get((right.value, s.value), 0) for s in statuses]
        rows.append({"label": right.label, "cells": cells, "total": sum(cells)})
    return {
        "statuses": [s.label for s in statuses],
        "rows": rows,
        "totals": [sum(r["cells"][i] for r in rows) for i in range(len(statuses))],
        "total": sum(r["total"] for r in rows),
        "summary": {"open": sum(row["n"] for row in grouped), **summary},
    }


COUNTS_CACHE_SECONDS = 24 * 60 * 60
# Rows of the requests change stamp (one per connection that changed requests, on
# PostgreSQL) beyond which those of connections gone are pruned first.
STAMPS_KEPT = 100


def request_counts(
    *, today: datetime.date, due_soon_days: int, since: datetime.datetime
) -> dict[str, Any]:
    """For the dashboard: the open requests grouped (``open_requests_grouped``) and the
    requests received per month since ``since`` (``requests_per_month``), exact, and
    counted only after a request changed (or on another day, in another time zone, or
    from another ``since``). They are kept in the cache under the requests change stamp
    (``requests_dsar.stamp``), which database triggers renew with every committed change
    to a request. Counted anew, they are kept only when the stamp read after counting is
    the one read before (no change was committed in between, so they are the counts of
    that stamp), and never in a transaction that changed requests itself (its changes
    are not under any stamp yet). One query when kept, four when counted."""
    stamp, changed_here, stamps = stamp_read(connection)
    if stamps > STAMPS_KEPT:
        stamps_prune(connection)
        stamp, changed_here, stamps = stamp_read(connection)
    key = "requests:counts:" + ":".join(
        [
            str(connection.settings_dict["NAME"]),
            str(stamp),
            today.isoformat(),
            str(due_soon_days),
            since.isoformat(),
            timezone.get_current_timezone_name(),
        ]
    )
    usable = stamp is not None and not changed_here
    if usable:
        kept = cache.get(key)
        if kept is not None:
            return kept
    counts = {
        "grouped": open_requests_grouped(today=today, due_soon_days=due_soon_days),
        "per_month": requests_per_month(since=since),
    }
    if usable and stamp_read(connection)[:2] == (stamp, False):
        cache.set(key, counts, COUNTS_CACHE_SECONDS)
    return counts


def requests_per_month(*, since: datetime.datetime) -> dict[datetime.date, int]:
    """Requests received per month since ``since`` (unconfirmed form requests left out):
    one query."""
    rows = (
        DsarRequest.objects.filter(received_at__gte=since)
        .exclude(status=Status.UNVERIFIED)
        .annotate(month=TruncMonth("received_at"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {_as_date(row["month"]): row["n"] for row in rows}


def _as_date(value: datetime.date | datetime.datetime) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value
