"""E-mails to requesters and staff. Each is rendered in the requester's language and
ends with how to complain to the supervisory authority (Art. 12(4), 77)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation

from processing.selectors import controller_get
from requests_dsar.models import DsarRequest
from requests_dsar.text import defused
from subjects.emails import render_plain, site_url

logger = logging.getLogger(__name__)


absolute_url = site_url


def _render(kind: str, context: dict[str, Any]) -> tuple[str, str]:
    subject = render_plain(f"requests_dsar/email/{kind}_subject.txt", context)
    body = render_plain(f"requests_dsar/email/{kind}.txt", context)
    return " ".join(subject.split()), body.strip() + "\n"


def request_email_render(
    *, request: DsarRequest, kind: str, context: dict[str, Any] | None = None
) -> tuple[str, str]:
    """The subject and body of one e-mail about a request, in the requester's language,
    as it would be sent (the staff preview shows it without sending)."""
    language = request.language if request.language in {"nl", "en"} else "nl"
    with translation.override(language):
        if kind == "verification":
            # The person confirms what they see: say what the request asks.
            from requests_dsar.summary import request_summary

            context = {"summary": request_summary(request), **(context or {})}
        full_context = {
            "request": request,
            # Anyone can file a request for any address: the name they typed must not
            # turn our e-mail into a working link.
            "name": defused(request.name),
            "controller": controller_get(),
            "language": language,
            **(context or {}),
        }
        return _render(kind, full_context)


def request_email_send(
    *,
    request: DsarRequest,
    kind: str,
    context: dict[str, Any] | None = None,
    to: str | None = None,
    attachments: Iterable[tuple[str, bytes, str]] = (),
) -> bool:
    """Send one e-mail about a request in the requester's language. Returns whether it
    went out; a failing mail server is logged and never breaks the page that sent it.
    Without an address (a request received by letter or phone) nothing is sent: staff
    recorded how it reaches the person instead."""
    if not (to or request.email):
        return False
    subject, body = request_email_render(request=request, kind=kind, context=context)
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [to or request.email])
    for attachment in attachments:
        message.attach(*attachment)
    try:
        message.send()
    except Exception:  # noqa: BLE001 - any transport error; the request itself is saved
        logger.exception("Could not send the %s e-mail for request %s", kind, request.pk)
        return False
    return True


def staff_email_send(*, kind: str, context: dict[str, Any]) -> bool:
    """A notification to the staff mailbox, in Dutch (the staff's working language)."""
    with translation.override("nl"):
        subject, body = _render(kind, {"controller": controller_get(), **context})
    try:
        EmailMessage(
            subject, body, settings.DEFAULT_FROM_EMAIL, [settings.STAFF_NOTIFICATION_EMAIL]
        ).send()
    except Exception:  # noqa: BLE001
        logger.exception("Could not send the %s staff e-mail", kind)
        return False
    return True
