"""Staff pages of retention: an overview of what every rule did last (and the open
business relationships of people we hold nothing else for, which only staff can end),
the review queue of rule contact-review (contact messages whose review date has come,
each kept with a reason and the next review date, or deleted), that of rule
trajectory-review (trajectories without an end date, each given its end or kept open
with a reason and the next review date), and the review queue of restricted rows (rows
past their limit that an Art. 18 restriction keeps for the person, until it is
lifted)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from leafspring.access import staff_permission_required
from retention.forms import ReviewKeepForm, TrajectoryEndForm, TrajectoryKeepForm
from retention.models import RetentionRule
from retention.restricted import art18_restrictions_without_a_ground, restricted_rows_held
from retention.selectors import (
    RELATIONSHIP_RULE,
    contact_messages_due_count,
    contact_messages_due_for_review,
    contact_messages_review_date_passed,
    open_relationships_shown,
    open_relationships_without_records,
    retention_rules_with_last_run,
)
from retention.services import contact_message_delete, contact_message_keep
from retention.trajectory_review import (
    TRAJECTORY_REVIEW_RULE,
    open_trajectories_due_count,
    open_trajectories_due_for_review,
    trajectory_end_set,
    trajectory_keep,
    trajectory_review_rule,
)
from subjects.models import SubjectRole
from subjects.services import subject_role_end

REVIEW_RULE = "contact-review"
PAGE_SIZE = 50
# Open relationships without records listed on the overview at a time (oldest first).
RELATIONSHIPS_SHOWN = 50


def _rule() -> RetentionRule:
    return get_object_or_404(RetentionRule, key=REVIEW_RULE)


@require_safe
@staff_permission_required("retention.view_retentionrun")
def overview(request: HttpRequest) -> HttpResponse:
    """Every rule with its last run: what the jobs deleted last night, and what failed."""
    rules = {rule.key: rule for rule in retention_rules_with_last_run()}
    relationships = open_relationships_shown(rules[RELATIONSHIP_RULE].last_run)
    return render(
        request,
        "retention/overview.html",
        {
            "rules": list(rules.values()),
            "due": contact_messages_due_count(rules[REVIEW_RULE]),
            "trajectories_due": open_trajectories_due_count(rules[TRAJECTORY_REVIEW_RULE]),
            "relationships": list(relationships[:RELATIONSHIPS_SHOWN]),
            "relationships_total": relationships.count(),
            "can_end_roles": request.user.has_perm("subjects.change_subjectrole"),
        },
    )


@staff_permission_required("subjects.change_subjectrole")
@require_POST
def relationship_end(request: HttpRequest, pk: int) -> HttpResponse:
    """End an open business relationship of someone we hold nothing else for (only the
    ones the overview lists); the daily run of rule fiscal-7y removes the person after
    today if nothing else keeps them by then."""
    subject_ids = set(SubjectRole.objects.filter(pk=pk).values_list("subject_id", flat=True))
    role = open_relationships_without_records(subject_ids).filter(pk=pk).first()
    if role is None:
        messages.error(
            request, _("This relationship is no longer open, or we hold more about the person now.")
        )
        return redirect("retention:overview")
    subject_role_end(actor=request.user, role=role, ended_on=timezone.localdate())
    messages.success(
        request,
        _(
            "The relationship with %(name)s has ended today. If we hold nothing else about "
            "them, the daily retention run removes them after today."
        )
        % {"name": role.subject.full_name},
    )
    return redirect("retention:overview")


@require_safe
@staff_permission_required("retention.view_retentionrun")
def restricted_queue(request: HttpRequest) -> HttpResponse:
    """Rows a retention rule would have deleted or anonymised, kept because an Art. 18
    restriction keeps them for the person (18(1)(b), (c)), with the rule and the ground;
    and the restrictions whose ground is not recorded yet, for staff to record it on the
    request. Nothing to decide here: the rule acts at its first run after the lift."""
    return render(
        request,
        "retention/restricted_queue.html",
        {"queue": restricted_rows_held(), "without_ground": art18_restrictions_without_a_ground()},
    )


@require_safe
@staff_permission_required("subjects.view_contactmessage")
def review_queue(request: HttpRequest) -> HttpResponse:
    rule = _rule()
    page = Paginator(contact_messages_due_for_review(rule), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "retention/review_queue.html",
        {"rule": rule, "page": page, "form": ReviewKeepForm()},
    )


@staff_permission_required("subjects.change_contactmessage")
@require_POST
def review_keep(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(contact_messages_due_for_review(_rule()), pk=pk)
    form = ReviewKeepForm(request.POST)
    if form.is_valid():
        try:
            contact_message_keep(
                actor=request.user,
                message=message,
                reason=form.cleaned_data["reason"],
                next_review_on=form.cleaned_data["next_review_on"],
            )
        except ValidationError as exc:
            for error in exc.messages:
                messages.error(request, error)
        else:
            messages.success(request, _("Kept; it comes back for review on the date given."))
            return redirect("retention:review_queue")
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("retention:review_queue")


@staff_permission_required("subjects.delete_contactmessage")
@require_POST
def review_delete(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(contact_messages_review_date_passed(_rule()), pk=pk)
    try:
        contact_message_delete(actor=request.user, message=message)
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(request, _("The contact message is deleted."))
    return redirect("retention:review_queue")


def _form_errors(request: HttpRequest, form: Any) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@staff_permission_required("subjects.view_trajectory")
def trajectory_review(request: HttpRequest) -> HttpResponse:
    """Trajectories without an end date whose review date has come (rule
    trajectory-review), oldest first, with what their end would delete."""
    rule = trajectory_review_rule()
    page = Paginator(open_trajectories_due_for_review(rule), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "retention/trajectory_review.html",
        {
            "rule": rule,
            "page": page,
            "today": timezone.localdate(),
            "can_change": request.user.has_perm("subjects.change_trajectory"),
        },
    )


def _due_trajectory(pk: int) -> Any:
    return get_object_or_404(open_trajectories_due_for_review(), pk=pk)


@staff_permission_required("subjects.change_trajectory")
@require_POST
def trajectory_review_end(request: HttpRequest, pk: int) -> HttpResponse:
    trajectory = _due_trajectory(pk)
    form = TrajectoryEndForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("retention:trajectory_review")
    try:
        trajectory_end_set(
            actor=request.user, trajectory=trajectory, ended_on=form.cleaned_data["ended_on"]
        )
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(
            request,
            _(
                "The end of %(title)s is set. After that day the daily retention runs delete "
                "its coaching notes, trainee profiles and Coaching Monitor data."
            )
            % {"title": trajectory.title},
        )
    return redirect("retention:trajectory_review")


@staff_permission_required("subjects.change_trajectory")
@require_POST
def trajectory_review_keep(request: HttpRequest, pk: int) -> HttpResponse:
    trajectory = _due_trajectory(pk)
    form = TrajectoryKeepForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("retention:trajectory_review")
    try:
        trajectory_keep(
            actor=request.user,
            trajectory=trajectory,
            reason=form.cleaned_data["reason"],
            next_review_on=form.cleaned_data["next_review_on"],
        )
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(request, _("Kept open; it comes back for review on the date given."))
    return redirect("retention:trajectory_review")
