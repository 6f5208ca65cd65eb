"""Reads for the staff pages, each in a fixed number of queries."""

from __future__ import annotations

from django.db.models import Count, F, Prefetch, Q, QuerySet

from requests_dsar.models import OPEN_STATUSES, DsarRequest, RecipientTask, RequestEvent, Status
from subjects.models import DataSubject


def dsar_queue(*, request_type: str = "", status: str = "") -> QuerySet[DsarRequest]:
    """The staff queue: verified requests, earliest due first, with the number of open
    recipient tasks; by default only open requests. One query, whatever the size."""
    qs = DsarRequest.objects.select_related("open_request").annotate(
        open_tasks=Count(
            "recipient_tasks", filter=Q(recipient_tasks__state=RecipientTask.State.OPEN)
        )
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
