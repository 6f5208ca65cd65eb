"""What the staff side keeps about access itself: who read whose personal data (the read
log, rule reads-1y) and the sign-in attempts (django-axes' tables, rule login-4w)."""

from __future__ import annotations

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db import models
from django.utils.translation import gettext_lazy as _

from subjects.models.people import AuditEvent
from subjects.registry import personal_data

READ_PREFIX = "read."


class ReadEventManager(models.Manager["ReadEvent"]):
    def get_queryset(self) -> models.QuerySet[ReadEvent]:
        return super().get_queryset().filter(action__startswith=READ_PREFIX)


@personal_data(
    activity="privacy-administration",
    categories=["audit-trail"],
    # The person's link is the audit trail's (``AuditEvent``'s entry finds and erases it):
    # this entry is only the read events' own retention.
    subject_paths=[],
    kept_through=["subject"],
    fields=["subject"],
    retention_rule="reads-1y",
    clock="at",
)
class ReadEvent(AuditEvent):
    """An audit event that records a read: a staff member opened a person's page, built
    an access or portability package, or was shown special-category data. Who, whose,
    when; kept 1 year (rule reads-1y), seen by privacy officers only. A proxy, so the
    one audit table has a second registry entry with its own rule."""

    objects = ReadEventManager()

    class Meta:
        proxy = True
        verbose_name = _("read of personal data")
        verbose_name_plural = _("read log")


# Sign-in attempts hold the IP address and browser of whoever tried, and the user name
# typed: technical data of website security, deleted at most 4 weeks after the attempt.
for _model in (AccessAttempt, AccessLog, AccessFailureLog):
    personal_data(
        activity="website-security",
        categories=["technical-data"],
        subject_paths=[],
        fields=["ip_address", "user_agent", "username"],
        retention_rule="login-4w",
        clock="attempt_time",
    )(_model)
