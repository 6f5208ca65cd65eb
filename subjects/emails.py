"""E-mails to people about their own data (the newsletter's double opt-in and welcome,
the consent page link, a brochure). Each is rendered in the person's language, as plain
text without HTML escaping, and a failing mail server never breaks the page that sent it."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template import Context
from django.template.loader import get_template
from django.urls import reverse
from django.utils import translation

logger = logging.getLogger(__name__)


def render_plain(name: str, context: dict[str, Any]) -> str:
    """A plain-text template rendered without HTML escaping: an e-mail is not HTML, so
    ``"``, ``'`` and ``&`` must reach the reader as typed, not as ``&quot;``. What a
    visitor typed is defused by the caller instead (``requests_dsar.text.defused``)."""
    template = get_template(name).template  # the Django template behind the backend's
    return template.render(Context(context, autoescape=False))


def site_url(name: str, *, language: str, kwargs: dict[str, Any] | None = None) -> str:
    """A full link in the given language (Dutch has no prefix, English has /en/)."""
    with translation.override(language):
        return settings.SITE_URL.rstrip("/") + reverse(name, kwargs=kwargs)


def person_email_send(
    *,
    to: str,
    template: str,
    language: str,
    context: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> bool:
    """Send ``<template>_subject.txt`` and ``<template>.txt`` to one person in their
    language. Returns whether it went out (failures are logged, never raised)."""
    from processing.selectors import controller_get

    language = language if language in {"nl", "en"} else "nl"
    with translation.override(language):
        full = {"controller": controller_get(), "language": language, **(context or {})}
        subject = " ".join(render_plain(f"{template}_subject.txt", full).split())
        body = render_plain(f"{template}.txt", full).strip() + "\n"
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [to], headers=headers)
    try:
        message.send()
    except Exception:  # noqa: BLE001 - any transport error; what was recorded stays
        logger.exception("Could not send the %s e-mail", template.rsplit("/", 1)[-1])
        return False
    return True
