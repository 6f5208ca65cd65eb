"""Closed requests are not kept whole for ever. Once a request has
been closed for ``DSAR_PROOF_MONTHS`` months and none of its data subjects is held any
more (all erased, or never known), it keeps only what proves how it was handled
(Art. 5(2)): reference, right, dates, status, outcome codes and the trail of actions.
The name, e-mail address, everything the person wrote, the answer and every reason
written about them (every trail note, the reasons of recipient tasks) are removed, and
its status link stops working. What the trail says happened stays: its codes and
parameters hold no personal data (``subjects.trail``)."""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from requests_dsar.models import CLOSED_STATUSES, DsarRequest, RecipientTask, RequestEvent
from requests_dsar.services.events import request_event_record

BATCH = 500


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
                RequestEvent.objects.filter(request=request).update(note="")
                RecipientTask.objects.filter(request=request).update(reason="")
                request_event_record(request=request, actor=None, action="minimised")
            done += 1
