"""Rows the staff intake tests share: a brochure request with or without the consent to be
called, a withdrawal task."""

from __future__ import annotations

import datetime

from django.utils import timezone

from processing.models import ConsentText, Recipient
from requests_dsar.models import RecipientTask
from subjects.models import BrochureRequest
from tests import factories as f


def brochure_request(
    *, call_consent: bool = True, requested_at: datetime.datetime | None = None, **fields
) -> BrochureRequest:
    """A brochure request; with ``call_consent`` the person agreed to be called."""
    subject = fields.pop("subject", None) or f.DataSubjectFactory()
    requested_at = requested_at or timezone.now()
    # The wording as loaded by the migrations (published when the test database was
    # made), also for a request in the past.
    wording = ConsentText.objects.filter(purpose="brochure-call").latest("version")
    consent = (
        f.ConsentFactory(
            subject=subject, purpose="brochure-call", text=wording, given_at=requested_at
        )
        if call_consent
        else None
    )
    return f.BrochureRequestFactory(
        subject=subject, requested_at=requested_at, call_consent=consent, **fields
    )


def withdrawal_task(*, recipient_key: str = "e2grow", subject=None) -> RecipientTask:
    """An open Art. 19 task made by a consent withdrawn outside a rights request."""
    consent = f.ConsentFactory(
        subject=subject or f.DataSubjectFactory(), purpose="e2grow-visibility"
    )
    return RecipientTask.objects.create(
        consent=consent,
        recipient=Recipient.objects.get(key=recipient_key),
        instruction="Vraag E2Grow het profiel te verbergen.",
    )
