"""The staff dashboard and the container health check."""

from __future__ import annotations

import datetime

from django.db import connection
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from leafspring.access import staff_permission_required
from leafspring.staff_accounts import staff_accounts
from processing.breaches.selectors import breach_dashboard
from processing.mailchimp_reconcile import mailchimp_dashboard
from processing.selectors import recipients_needing_attention, statement_dashboard
from requests_dsar.models import OPEN_STATUSES, DsarRequest
from retention.models import RetentionRule, RetentionRun
from retention.selectors import contact_messages_due_for_review
from retention.trajectory_review import TRAJECTORY_REVIEW_RULE, open_trajectories_due_count
from subjects.models import DataSubject
from subjects.permissions import can_oversee_staff
from subjects.selectors import intake_summary

DUE_SOON_DAYS = 7


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """For the container health check: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _latest(field: str) -> Subquery:
    runs = RetentionRun.objects.filter(rule=OuterRef("pk")).order_by("-started_at", "-pk")
    return Subquery(runs.values(field)[:1])


@require_safe
@staff_permission_required("subjects.view_datasubject")
def dashboard(request: HttpRequest) -> HttpResponse:
    """What a privacy officer checks every morning, in a fixed number of queries: open
    requests and their deadlines, what each retention rule did last, what waits for
    review, what came in (brochure follow-ups due, new contact messages, Art. 19 tasks
    of withdrawn consents), which recipients need attention, what the last Mailchimp
    reconcile found, (to privacy officers) the open breaches with the time left to
    notify the Autoriteit Persoonsgegevens, and whether the privacy statement is published
    as the register says it and everyone whose data came from someone else has been told
    (Art. 14).. Privacy officers also see the staff accounts with their
    last sign-in, to switch off those of people who left."""
    today = timezone.localdate()
    requests_summary = DsarRequest.objects.filter(status__in=OPEN_STATUSES).aggregate(
        open=Count("pk"),
        overdue=Count("pk", filter=Q(due_on__lt=today)),
        due_soon=Count(
            "pk",
            filter=Q(due_on__gte=today, due_on__lte=today + datetime.timedelta(DUE_SOON_DAYS)),
        ),
    )
    subjects_summary = DataSubject.objects.aggregate(
        total=Count("pk"), restricted=Count("pk", filter=Q(restricted_at__isnull=False))
    )
    rules = list(
        RetentionRule.objects.filter(is_active=True)
        .annotate(
            last_started_at=_latest("started_at"),
            last_outcome=_latest("outcome"),
            last_total=_latest("total_rows"),
            last_error=_latest("error"),
        )
        .order_by("key")
    )
    for rule in rules:
        rule.last_outcome_label = (
            RetentionRun.Outcome(rule.last_outcome).label if rule.last_outcome else ""
        )
    review_rule = next((r for r in rules if r.key == "contact-review"), None)
    to_review = (
        contact_messages_due_for_review(review_rule, today=today).count() if review_rule else 0
    )
    trajectory_rule = next((r for r in rules if r.key == TRAJECTORY_REVIEW_RULE), None)
    trajectories_to_review = (
        open_trajectories_due_count(trajectory_rule, today=today) if trajectory_rule else 0
    )
    return render(
        request,
        "staff/dashboard.html",
        {
            "requests_summary": requests_summary,
            "subjects_summary": subjects_summary,
            "rules": rules,
            "to_review": to_review,
            "trajectories_to_review": trajectories_to_review,
            "recipients": recipients_needing_attention(today=today),
            "intake": intake_summary(user=request.user),
            "mailchimp": mailchimp_dashboard(),
            "breaches": breach_dashboard(user=request.user),
            "today": today,
            **statement_dashboard(),
            "staff_accounts": list(staff_accounts()) if can_oversee_staff(request.user) else None,
        },
    )
