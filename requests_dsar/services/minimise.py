"""Closed requests are not kept whole for ever. Once a request has
been closed for ``DSAR_PROOF_MONTHS`` months and none of its data subjects is held any
more (all erased, or never known), it keeps only what proves how it was handled
(Art. 5(2)): reference, right, dates, status, outcome codes and the trail of actions.
The name, e-mail address, everything the person wrote, the answer and every reason
written about them (every trail note but codes, the reasons of recipient tasks) are
removed, and its status link stops working."""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from requests_dsar.models import CLOSED_STATUSES, DsarRequest, RecipientTask, RequestEvent
from requests_dsar.services.events import request_event_record

BATCH = 500
# Trail entries whose note holds only codes, counts, references and fixed wording (never
# anything a person or a handler typed, nor an address): kept when a request is reduced.
# Every other note (a justification, a reason, an address, how someone was told) is
# removed, so a new kind of entry is blanked until it is added here.
EVENTS_WITH_CODE_NOTES = frozenset(
    {
        "submitted",
        "verified",
        "subject-linked",
        "subject-unlinked",
        "started",
        "staff-verified",
        "staff-verification-cleared",
        "duplicate",
        "completed",
        "access-package-built",
        "portability-package-built",
        "erasure-carried-out",
        "restricted",
        "restriction-ground-set",
        "marketing-objection",
        "objection-decided",
        "consent-withdrawn",
        "rectified",
        "rectification-not-needed",
        "no-data-held",
        "minimised",
    }
)


def placeholder_email(request: DsarRequest) -> str:
    """A valid address that identifies nobody: the request's own reference."""
    return f"{request.reference.lower()}@removed.invalid"


def closed_requests_minimise(*, now: datetime.datetime | None = None) -> int:
    """Remove the personal data of closed requests past ``DSAR_PROOF_MONTHS`` whose data
    subjects are gone. Returns how many requests were reduced; safe to run again."""
    now = now or timezone.now()
    cutoff = now - relativedelta(months=settings.DSAR_PROOF_MONTHS)
    due = DsarRequest.objects.filter(
        status__in=CLOSED_STATUSES,
        closed_at__lte=cutoff,
        minimised_at__isnull=True,
        subjects__isnull=True,
    ).order_by("pk")
    done = 0
    while True:
        batch = list(due[:BATCH])
        if not batch:
            return done
        for request in batch:
            with transaction.atomic():
                DsarRequest.objects.filter(pk=request.pk).update(
                    name="",
                    email=placeholder_email(request),
                    details="",
                    portability_recipient_email="",
                    answer="",
                    rejection_reason="",
                    extension_reason="",
                    objection_decision_reason="",
                    no_change_reason="",
                    staff_verification_note="",
                    minimised_at=now,
                )
                RequestEvent.objects.filter(request=request).exclude(
                    action__in=EVENTS_WITH_CODE_NOTES
                ).update(note="")
                RecipientTask.objects.filter(request=request).update(reason="")
                request_event_record(request=request, actor=None, action="minimised")
            done += 1
