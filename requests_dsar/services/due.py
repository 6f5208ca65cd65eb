"""The one rule for a request's due date (Art. 12(3), 12(6) GDPR and the statement's
promise of four weeks).

The period runs from the moment the request reached us (``received_at``): the form's
submission, or when staff say an e-mail, letter or call came in. Confirming the e-mail
link does not move it later. Only an identity question staff actually asked the person
(Art. 12(6)) holds the clock while it waits for its answer: the due date moves by the
days it was held. An extension (Art. 12(3)) adds one or two months."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.utils import timezone

from requests_dsar.models import DsarRequest


def due_on_compute(*, received_at: datetime, held_days: int = 0, extension_months: int = 0) -> date:
    """Receipt (its local date) + ``DSAR_RESPONSE_DAYS`` + the days held + the months
    of an extension."""
    base = timezone.localdate(received_at) + timedelta(days=settings.DSAR_RESPONSE_DAYS + held_days)
    return base + relativedelta(months=extension_months)


def request_due_dates(request: DsarRequest) -> tuple[date, date]:
    """``(original_due_on, due_on)`` of a request under the rule: without and with its
    extension. Days of a question still unanswered are not yet counted: they are added
    when the answer comes (``identity_question_answer``)."""
    original = due_on_compute(received_at=request.received_at, held_days=request.clock_held_days)
    return original, original + relativedelta(months=request.extension_months)


def due_dates_apply(request: DsarRequest) -> None:
    """Set both due dates of ``request`` by the rule (not saved)."""
    request.original_due_on, request.due_on = request_due_dates(request)


def held_days_between(asked_at: datetime, answered_at: datetime) -> int:
    """Calendar days between the question and its answer: a question answered the same
    day holds nothing."""
    return max(0, (timezone.localdate(answered_at) - timezone.localdate(asked_at)).days)


OPEN_STATUS_VALUES = ("new", "in-progress", "waiting-for-tasks", "extended")


def extension_months_of(original_due_on: date | None, due_on: date | None) -> int:
    """The months an extension added, read back from the two dates stored before the
    months were recorded (0, 1 or 2)."""
    if original_due_on is None or due_on is None or due_on <= original_due_on:
        return 0
    for months in (1, 2):
        if original_due_on + relativedelta(months=months) >= due_on:
            return months
    return 2


def due_dates_recompute(request_model: type, event_model: type | None = None) -> int:
    """Set every open request's due dates by the rule, from its receipt (the migration
    to one rule; ``request_model`` may be the migration's historical model).

    The date the law gives is the date: a request whose four weeks from receipt have
    already passed shows as overdue, rather than hiding it behind a later date counted
    from the e-mail confirmation. Each change is written in the request's trail with
    the old and new date. Returns how many requests changed."""
    changed = 0
    for request in request_model.objects.filter(status__in=OPEN_STATUS_VALUES):
        months = request.extension_months or extension_months_of(
            request.original_due_on, request.due_on
        )
        original = due_on_compute(
            received_at=request.received_at, held_days=request.clock_held_days
        )
        due = original + relativedelta(months=months)
        if (request.original_due_on, request.due_on, request.extension_months) == (
            original,
            due,
            months,
        ):
            continue
        old = request.due_on
        request.original_due_on, request.due_on, request.extension_months = original, due, months
        request.save(update_fields=["original_due_on", "due_on", "extension_months"])
        if event_model is not None:
            event_model.objects.create(
                request_id=request.pk,
                actor=None,
                actor_label="system",
                action="due-date-recomputed",
                params={"old_on": old.isoformat() if old else None, "new_on": due.isoformat()},
            )
        changed += 1
    return changed
