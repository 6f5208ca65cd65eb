"""E-mails of the breach register: alerts and reminders to the privacy officers (in
Dutch, the staff's working language), and the Art. 34 notice to a person affected (in
their language, through ``subjects.emails.person_email_send``)."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation

from processing.breaches.selectors import privacy_officer_emails
from processing.selectors import controller_get
from subjects.emails import render_plain, site_url

logger = logging.getLogger(__name__)

TEMPLATES = "processing/breaches/email"
STAFF_LANGUAGE = "nl"


def officers_email_send(*, kind: str, context: dict[str, Any]) -> bool:
    """Send ``<kind>_subject.txt`` and ``<kind>.txt`` to every privacy officer. Returns
    whether it went out; a failing mail server is logged and raised to nobody (the
    caller decides whether to try again)."""
    with translation.override(STAFF_LANGUAGE):
        full = {"controller": controller_get(), **context}
        subject = " ".join(render_plain(f"{TEMPLATES}/{kind}_subject.txt", full).split())
        body = render_plain(f"{TEMPLATES}/{kind}.txt", full).strip() + "\n"
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, privacy_officer_emails())
    try:
        message.send()
    except Exception:  # noqa: BLE001 - any transport error
        logger.exception("Could not send the breach %s e-mail", kind)
        return False
    return True


def breach_url(pk: int) -> str:
    return site_url("processing:breach_detail", language=STAFF_LANGUAGE, kwargs={"pk": pk})
