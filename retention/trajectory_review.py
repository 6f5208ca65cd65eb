"""Rule trajectory-review: a trajectory without an end date is put before staff.

Coaching notes, trainee profiles and Coaching Monitor data go at the end of their
trajectory (rules coaching-end, monitor-end); a trajectory that nobody gave an end date
would keep them for ever. So a trajectory without an end date is due for review once the
rule's period (12 months) has passed since its start, or on the review date staff set
when they last kept it open. Staff then set its end (``trajectory_end_set``: the rules
take it from there) or keep it open with a reason until the next review, at most a year
ahead (``trajectory_keep``). Both are audited. The daily run deletes nothing: it counts
what is due and reminds staff by e-mail.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from retention.models import RetentionRule
from subjects.models import Trajectory
from subjects.services import Actor, audit_event_record

TRAJECTORY_REVIEW_RULE = "trajectory-review"
# A trajectory kept open is reviewed again within a year; its end is set at most a year
# ahead (a later end would keep its data as long as no end at all).
MAX_AHEAD = datetime.timedelta(days=366)


def trajectory_review_rule() -> RetentionRule:
    return RetentionRule.objects.get(key=TRAJECTORY_REVIEW_RULE)


def _review_date_has_come(rule: RetentionRule, today: datetime.date) -> Q:
    """Kept open before: its review date is today or past. Never reviewed: it started the
    rule's period (12 months) or longer ago."""
    return Q(next_review_on__lte=today) | Q(
        next_review_on__isnull=True, started_on__lte=today - rule.limit
    )


def open_trajectories_due_for_review(
    rule: RetentionRule | None = None, *, today: datetime.date | None = None
) -> QuerySet[Trajectory]:
    """Trajectories without an end date whose review date has come, oldest first, with
    what their end would delete counted (``participant_count``, ``note_count``,
    ``monitor_count``): one query however many there are."""
    rule = rule or trajectory_review_rule()
    today = today or timezone.localdate()
    return (
        Trajectory.objects.filter(ended_on__isnull=True)
        .filter(_review_date_has_come(rule, today))
        .select_related("organisation")
        .annotate(
            participant_count=Count("participants", distinct=True),
            note_count=Count("notes", distinct=True),
            monitor_count=Count("monitor_participations", distinct=True),
        )
        .order_by("started_on", "pk")
    )


def open_trajectories_due_count(rule: RetentionRule, *, today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    return (
        Trajectory.objects.filter(ended_on__isnull=True)
        .filter(_review_date_has_come(rule, today))
        .count()
    )


def _not_open_any_more() -> ValidationError:
    return ValidationError(_("This trajectory has an end date already."))


def _locked_open(trajectory: Trajectory) -> Trajectory:
    row = Trajectory.objects.select_for_update().filter(pk=trajectory.pk).first()
    if row is None or row.ended_on is not None:
        raise _not_open_any_more()
    return row


@transaction.atomic
def trajectory_end_set(*, actor: Actor, trajectory: Trajectory, ended_on: datetime.date) -> None:
    """Staff set the end of a trajectory that had none. From the day after it, rules
    coaching-end and monitor-end delete (or, with consent for research, anonymise) its
    coaching notes, trainee profiles and Coaching Monitor data. Not before its start,
    and at most a year ahead. Audited."""
    today = timezone.localdate()
    row = _locked_open(trajectory)
    errors: dict[str, Any] = {}
    if ended_on < row.started_on:
        errors["ended_on"] = _("A trajectory cannot end before it started.")
    elif ended_on > today + MAX_AHEAD:
        errors["ended_on"] = _("Set an end within a year; keep it open with a reason instead.")
    if errors:
        raise ValidationError(errors)
    row.ended_on = ended_on
    row.next_review_on = None
    row.keep_reason = ""
    row.save(update_fields=["ended_on", "next_review_on", "keep_reason"])
    audit_event_record(
        actor=actor,
        action="retention.trajectory-end",
        target=row,
        changed_fields=["ended_on"],
        params={"ended_on": ended_on.isoformat()},
    )


@transaction.atomic
def trajectory_keep(
    *, actor: Actor, trajectory: Trajectory, reason: str, next_review_on: datetime.date
) -> None:
    """Staff keep a trajectory open without an end date: the reason is required and the
    next review at most a year ahead, so its data cannot stay for ever unnoticed.
    Audited (field names only)."""
    today = timezone.localdate()
    row = _locked_open(trajectory)
    errors: dict[str, Any] = {}
    if not reason.strip():
        errors["reason"] = _("Give the reason to keep this trajectory open.")
    if next_review_on <= today:
        errors["next_review_on"] = _("The next review must be after today.")
    elif next_review_on > today + MAX_AHEAD:
        errors["next_review_on"] = _("Review again within a year.")
    if errors:
        raise ValidationError(errors)
    row.keep_reason = reason.strip()[:300]
    row.next_review_on = next_review_on
    row.save(update_fields=["keep_reason", "next_review_on"])
    audit_event_record(
        actor=actor,
        action="retention.trajectory-keep",
        target=row,
        changed_fields=["keep_reason", "next_review_on"],
        params={"next_review_on": next_review_on.isoformat()},
    )
