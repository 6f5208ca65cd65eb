"""Reminders of the 72-hour deadline to the privacy officers (the beat job
``processing.breach_deadline_reminders``)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from processing.breaches.clock import breach_clock
from processing.breaches.emails import breach_url, officers_email_send
from processing.breaches.models import Breach
from processing.breaches.selectors import breaches_waiting_for_notification

# Reminders to the privacy officers while the clock runs: once fewer than this many hours
# are left (0: once the deadline has passed), each once.
REMINDER_HOURS = (24, 6, 0)


def _reminder_due(left: datetime.timedelta) -> int | None:
    """The reminder whose moment has come: the smallest of ``REMINDER_HOURS`` more than
    the time left (at the deadline itself nothing has passed yet)."""
    reached = [hours for hours in REMINDER_HOURS if left < datetime.timedelta(hours=hours)]
    return min(reached) if reached else None


def breach_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Remind the privacy officers of every incident whose 72-hour clock runs, once fewer
    than 24 and than 6 hours are left, and once the deadline has passed: each once per
    incident, however often this runs. A reminder is marked as sent in the same
    transaction as the e-mail goes out, so a mail server that fails leaves it for the
    next run, and two runs at once send it once. Returns the number of incidents in the
    reminder."""
    now = now or timezone.now()
    due: list[tuple[Breach, int]] = []
    for breach in breaches_waiting_for_notification():
        stage = _reminder_due(breach.deadline - now)
        if stage is not None and (breach.reminder_hours is None or stage < breach.reminder_hours):
            due.append((breach, stage))
    if not due:
        return 0
    with transaction.atomic():
        claimed = []
        for breach, stage in due:
            updated = Breach.objects.filter(
                Q(reminder_hours__isnull=True) | Q(reminder_hours__gt=stage),
                pk=breach.pk,
                closed_at__isnull=True,
            ).update(reminder_hours=stage)
            if updated:
                claimed.append(breach)
        if not claimed:
            return 0
        with translation.override("nl"):
            items = [
                {
                    "breach": breach,
                    "deadline": timezone.localtime(breach.deadline),
                    "clock": breach_clock(breach, now=now).text,
                    "link": breach_url(breach.pk),
                }
                for breach in claimed
            ]
        if not officers_email_send(kind="reminder", context={"items": items}):
            transaction.set_rollback(True)
            return 0
    return len(claimed)
