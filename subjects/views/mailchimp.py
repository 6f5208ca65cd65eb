"""Mailchimp's webhook: ``/mailchimp/webhook/<MAILCHIMP_WEBHOOK_SECRET>/`` (DESIGN.md §2.2a).

- GET (and HEAD), and in some set-ups an empty POST: Mailchimp checks the URL; 200.
- POST, form-encoded (``type``, ``data[email]``, ``data[list_id]``, ...): the event is
  carried out by ``subjects.mailchimp_events``; 200 for every address, known or not, and
  for another audience (ignored); 400 for a malformed body, which changes nothing.
- The secret in the URL is the only proof that Mailchimp calls: compared in constant
  time; an unknown secret, or the connector or secret not configured, is a 404. It never
  reaches a table or a log line: the path is masked here before Django's request log
  and the website-visit log read it (``leafspring.token_mask`` masks it in any path),
  and the method is checked here, not by a decorator that would log the path first.
- Never a 500: a failure to carry out the event is logged without the secret and
  answered 503, so Mailchimp tries again later.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.http.multipartparser import MultiPartParserError
from django.views.decorators.csrf import csrf_exempt

from leafspring.token_mask import tokens_masked
from processing.connectors.mailchimp import connector_enabled
from requests_dsar.views.public import private
from subjects.mailchimp_events import MalformedEvent, event_from_form, mailchimp_event_receive

logger = logging.getLogger(__name__)

METHODS = ["GET", "HEAD", "POST"]
FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
# A secret the log masks wherever it stands (``token_mask._TOKEN_LIKE``) and nobody
# guesses: at least 32 letters, digits, "-" or "_" (``secrets.token_urlsafe(32)``).
SECRET_SHAPE = re.compile(r"[A-Za-z0-9_-]{32,}")


def _configured_secret() -> str:
    """The webhook's secret, or "" while the webhook is off (no connector, no secret,
    or a secret too weak to keep out of the logs)."""
    secret = settings.MAILCHIMP_WEBHOOK_SECRET or ""
    if not connector_enabled() or not secret:
        return ""
    if not SECRET_SHAPE.fullmatch(secret):
        logger.warning(
            "MAILCHIMP_WEBHOOK_SECRET must be at least 32 letters, digits, '-' or '_': "
            "the Mailchimp webhook is off."
        )
        return ""
    return secret


def secret_matches(given: str) -> bool:
    """Constant time, whatever the lengths (digests of equal length are compared)."""
    expected = _configured_secret()
    if not expected:
        return False
    return hmac.compare_digest(
        hashlib.sha256(given.encode("utf-8", "replace")).digest(),
        hashlib.sha256(expected.encode("utf-8")).digest(),
    )


def _empty(request: HttpRequest) -> bool:
    """No body, or a form without a single field."""
    if not request.body.strip():
        return True
    return request.content_type in FORM_TYPES and not request.POST and not request.FILES


def _answer(status: int = 200) -> HttpResponse:
    return private(HttpResponse(status=status, content_type="text/plain; charset=utf-8"))


@csrf_exempt
def webhook(request: HttpRequest, secret: str) -> HttpResponse:
    # Django's request log ("Not Found: <path>") and the website-visit log read the path
    # after the view: from here on it holds no secret, right or wrong.
    request.path = tokens_masked(request.path)
    if not secret_matches(secret):
        return _answer(404)
    if request.method not in METHODS:
        return HttpResponseNotAllowed(METHODS)
    if request.method in {"GET", "HEAD"}:
        return _answer()
    try:
        if _empty(request):
            return _answer()  # Mailchimp's check of the URL in some set-ups
        event = event_from_form(request.POST)
    except (
        MalformedEvent,
        RequestDataTooBig,
        TooManyFieldsSent,
        MultiPartParserError,
        UnicodeDecodeError,
    ):
        return _answer(400)
    if event.list_id != settings.MAILCHIMP_AUDIENCE_ID:
        return _answer()  # another audience: not ours to act on
    try:
        mailchimp_event_receive(event)
    except Exception:
        logger.exception("The Mailchimp webhook could not carry out a %s event", event.type)
        return _answer(503)
    return _answer()
