"""The staff dashboard and the container health check."""

from __future__ import annotations

import datetime
import hashlib

from django.core.cache import cache
from django.db import connection
from django.db.models import OuterRef, Subquery
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from leafspring.access import staff_permission_required
from leafspring.charts import last_months, last_weeks, monthly_chart, weekly_chart
from leafspring.staff_accounts import staff_accounts
from processing.breaches.selectors import breach_dashboard
from processing.mailchimp_reconcile import mailchimp_dashboard
from processing.selectors import (
    consents_given_and_withdrawn,
    recipients_needing_attention,
    statement_dashboard,
)
from requests_dsar.selectors import request_counts, requests_by_right_and_status
from retention.dashboard import REMOVING_ACTIONS, removals_per_rule_per_week
from retention.models import RetentionRule, RetentionRun
from retention.selectors import contact_messages_due_count
from retention.trajectory_review import TRAJECTORY_REVIEW_RULE, open_trajectories_due_count
from subjects.permissions import can_oversee_staff
from subjects.selectors import data_subject_counts, intake_summary

DUE_SOON_DAYS = 7
CONSENT_DAYS = 30
CHARTS_CACHE_SECONDS = 24 * 60 * 60


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
    notify the Autoriteit Persoonsgegevens, whether the privacy statement is published as
    the register says it and everyone whose data came from someone else has been told
    (Art. 14), open requests by right and status, consents given and withdrawn in the last
    30 days, and charts of the last year (requests per month, rows deleted or anonymised
    per rule per week) drawn as SVG on the server. Privacy officers also see the staff
    accounts with their last sign-in, to switch off those of people who left."""
    today = timezone.localdate()

    def midnight(day: datetime.date) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))

    counts = request_counts(
        today=today, due_soon_days=DUE_SOON_DAYS, since=midnight(last_months(today)[0])
    )
    requests_by_right = requests_by_right_and_status(
        today=today, due_soon_days=DUE_SOON_DAYS, grouped=counts["grouped"]
    )
    requests_summary = requests_by_right["summary"]
    subjects_summary = data_subject_counts()
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
    to_review = contact_messages_due_count(review_rule, today=today) if review_rule else 0
    trajectory_rule = next((r for r in rules if r.key == TRAJECTORY_REVIEW_RULE), None)
    trajectories_to_review = (
        open_trajectories_due_count(trajectory_rule, today=today) if trajectory_rule else 0
    )
    removing = [rule for rule in rules if rule.action in REMOVING_ACTIONS]
    per_rule = removals_per_rule_per_week(since=midnight(last_weeks(today)[0]))
    # Drawing 52 weeks for every rule is what costs: the drawing is kept under a digest
    # of exactly what it shows (language, weeks, each rule's name and numbers), so a
    # run, a new week or another language draws afresh.
    shown = [(r.pk, r.tr_name, sorted(per_rule.get(r.pk, {}).items())) for r in removing]
    charts_key = (
        "dashboard:removal-charts:"
        + hashlib.sha256(repr([get_language(), today, shown]).encode()).hexdigest()
    )
    removal_charts = cache.get(charts_key)
    if removal_charts is None:
        removal_charts = render_to_string(
            "staff/_removal_charts.html",
            {
                "removal_charts": [
                    weekly_chart(rule.tr_name, per_rule.get(rule.pk, {}), today)
                    for rule in removing
                ]
            },
        )
        cache.set(charts_key, removal_charts, CHARTS_CACHE_SECONDS)
    return render(
        request,
        "staff/dashboard.html",
        {
            "requests_by_right": requests_by_right,
            "consents": consents_given_and_withdrawn(
                since=timezone.now() - datetime.timedelta(days=CONSENT_DAYS)
            ),
            "consent_days": CONSENT_DAYS,
            "requests_chart": monthly_chart(
                _("Requests received per month"),
                counts["per_month"],
                today,
            ),
            "removal_charts": removal_charts,
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
