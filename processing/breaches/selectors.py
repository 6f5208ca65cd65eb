"""Reads of the breach register, each in a fixed number of queries."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import BooleanField, Count, ExpressionWrapper, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from processing.breaches.clock import breach_clock
from processing.breaches.models import (
    Breach,
    BreachNotification,
    BreachSubject,
    NoticeException,
    Risk,
)
from subjects.permissions import is_privacy_officer


def _initial_notification(field: str) -> Subquery:
    initial = BreachNotification.objects.filter(
        breach=OuterRef("pk"), phase=BreachNotification.Phase.INITIAL
    )
    return Subquery(initial.values(field)[:1])


def _links_count(**filters: Any) -> Subquery:
    links = (
        BreachSubject.objects.filter(breach=OuterRef("pk"), **filters)
        .order_by()
        .values("breach")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Subquery(links[:1])


def breach_list() -> QuerySet[Breach]:
    """Every incident, open ones first, newest first, with the moment and reference of
    its initial notification and the number of people linked and told: one query."""
    return (
        Breach.objects.select_related("processor")
        .annotate(
            notified_at=_initial_notification("sent_at"),
            authority_reference=_initial_notification("reference"),
            linked=_links_count(),
            told=_links_count(notified_at__isnull=False),
            told_email=_links_count(notified_how=BreachSubject.How.EMAIL),
            told_other=_links_count(notified_how=BreachSubject.How.OTHER),
            unlinked_by_erasure=_links_count(subject__isnull=True),
            is_closed=ExpressionWrapper(Q(closed_at__isnull=False), output_field=BooleanField()),
        )
        .order_by("is_closed", "-aware_at", "-pk")
    )


def breach_export_list() -> QuerySet[Breach]:
    """``breach_list`` with every relation the export reads: a fixed number of queries."""
    return breach_list().prefetch_related(
        "subject_categories", "data_categories", "activities", "recipients", "notifications"
    )


def breach_detail(*, pk: int) -> Breach:
    """One incident with everything its page, its export and its checks read."""
    return (
        breach_export_list()
        .select_related("reported_by", "closed_by")
        .prefetch_related("notifications__recorded_by")
        .get(pk=pk)
    )


def breach_links(breach: Breach) -> QuerySet[BreachSubject]:
    return breach.subject_links.select_related("subject").order_by("pk")


def breaches_with_clock(
    breaches: list[Breach], *, now: datetime.datetime | None = None
) -> list[tuple[Breach, Any]]:
    """Each incident with its clock (``breach_list`` annotates what the clock needs)."""
    now = now or timezone.now()
    return [(b, breach_clock(b, now=now, notified_at=b.notified_at)) for b in breaches]


def breach_dashboard(*, user: Any, now: datetime.datetime | None = None) -> dict[str, Any]:
    """What the dashboard shows of breaches: to a privacy officer the open incidents with
    the time left on their clock (one query); to other staff only the way to report one."""
    if not is_privacy_officer(user):
        return {"can_manage": False, "open": []}
    # Only what the dashboard shows and the clock needs (not the counts of the list).
    open_breaches = list(
        Breach.objects.filter(closed_at__isnull=True)
        .only("aware_at", "risk")
        .annotate(notified_at=_initial_notification("sent_at"))
        .order_by("-aware_at", "-pk")
    )
    return {"can_manage": True, "open": breaches_with_clock(open_breaches, now=now)}


def breaches_waiting_for_notification() -> QuerySet[Breach]:
    """Open incidents whose clock runs: no initial notification yet, and not assessed as
    unlikely to result in a risk."""
    return (
        Breach.objects.filter(closed_at__isnull=True)
        .exclude(risk="none")
        .exclude(notifications__phase=BreachNotification.Phase.INITIAL)
        .order_by("aware_at", "pk")
    )


def privacy_officer_emails() -> list[str]:
    """The addresses of the privacy officers (active staff holding
    ``processing.manage_breaches``, and active superusers); the staff mailbox when none
    has an address, so an alert never goes nowhere."""
    try:
        permission = Permission.objects.get(
            content_type__app_label="processing", codename="manage_breaches"
        )
    except Permission.DoesNotExist:
        permission = None
    holders = Q(is_superuser=True)
    if permission is not None:
        holders |= Q(is_staff=True) & (
            Q(user_permissions=permission) | Q(groups__permissions=permission)
        )
    emails = (
        get_user_model()
        .objects.filter(holders, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    return sorted({e.strip().lower() for e in emails}) or [settings.STAFF_NOTIFICATION_EMAIL]


def notices_pending_for(subject_ids: list[int]) -> list[Breach]:
    """The open breaches whose people may still have to be told (Art. 34) and that link
    one of ``subject_ids`` not told yet: the risk is high or not assessed yet, and no
    exception of Art. 34(3) is recorded. One query. Erasing such a person first would
    take the address the notice needs (Art. 17(3)(b): the duty to tell comes first)."""
    return list(
        Breach.objects.filter(
            closed_at__isnull=True,
            risk__in=[Risk.HIGH, Risk.NOT_ASSESSED],
            notice_exception=NoticeException.NONE,
            subject_links__subject_id__in=subject_ids,
            subject_links__notified_at__isnull=True,
        )
        .distinct()
        .order_by("pk")
    )
