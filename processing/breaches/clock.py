"""The 72-hour clock of Art. 33(1): where an incident stands, and how long is left.

The clock runs from the moment Leafspring became aware (``Breach.aware_at``) until the
initial notification to the Autoriteit Persoonsgegevens; it stops when the privacy
officers assess that the breach is unlikely to result in a risk to people (no
notification required, the reason documented, Art. 33(5)). Notifying exactly at the
deadline is in time; a moment later is late and needs reasons."""

from __future__ import annotations

import dataclasses
import datetime
import math

from django.utils.translation import gettext as _

from processing.breaches.models import Breach, Risk

NOTIFIED = "notified"
NOT_REQUIRED = "not-required"
RUNNING = "running"
OVERDUE = "overdue"


def duration_text(delta: datetime.timedelta) -> str:
    """A length of time in hours and minutes, rounded up to the minute: "0 h 01 min" is
    still left when a few seconds are."""
    minutes = math.ceil(abs(delta).total_seconds() / 60)
    return _("%(hours)d h %(minutes)02d min") % {"hours": minutes // 60, "minutes": minutes % 60}


@dataclasses.dataclass(frozen=True)
class Clock:
    state: str
    deadline: datetime.datetime
    # Time left until the deadline (negative when it has passed).
    left: datetime.timedelta
    notified_at: datetime.datetime | None = None

    @property
    def is_running(self) -> bool:
        """Still waiting for the notification (within the 72 hours or after them)."""
        return self.state in (RUNNING, OVERDUE)

    @property
    def notified_late(self) -> bool:
        return self.notified_at is not None and self.notified_at > self.deadline

    @property
    def text(self) -> str:
        if self.state == NOTIFIED:
            return _("notified to the authority")
        if self.state == NOT_REQUIRED:
            return _("no notification required (no risk)")
        if self.state == OVERDUE:
            return _("%(duration)s past the deadline") % {"duration": duration_text(self.left)}
        return _("%(duration)s left") % {"duration": duration_text(self.left)}


def breach_clock(
    breach: Breach,
    *,
    now: datetime.datetime,
    notified_at: datetime.datetime | None = None,
) -> Clock:
    """The state of ``breach``'s clock at ``now``; ``notified_at`` is the moment of its
    initial notification, if any (the list pages annotate it, so no query is made here)."""
    deadline = breach.deadline
    left = deadline - now
    if notified_at is not None:
        return Clock(NOTIFIED, deadline, left, notified_at)
    if breach.risk == Risk.NONE:
        return Clock(NOT_REQUIRED, deadline, left)
    return Clock(OVERDUE if left < datetime.timedelta(0) else RUNNING, deadline, left)
