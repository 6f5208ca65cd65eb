"""Records website visits (IP address, operating system, browser) for site security.

Legitimate interest (fighting internet crime); the ``ip-4w`` retention rule deletes the
rows at most four weeks later. Staff pages, static files and the admin are not logged.

The visitor's address is ``leafspring.client_ip.client_ip``, the one the rate limits
use (the proxy's address is never logged when ``TRUSTED_PROXY_COUNT`` is set).

Control characters in the path and the user agent (a NUL byte, which PostgreSQL cannot
store in text, or a line break that forges log lines) are percent-encoded before saving,
so the malformed requests the log exists for are recorded too.

No working token reaches the log, whatever the URL looks like: ``token_hidden`` replaces
it when its view runs, and ``leafspring.token_mask.tokens_masked`` masks the token
segment of every personal link's path here (a URL that almost matches, without its
slash or with more behind it, never reaches the view) and in every log line.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from urllib.parse import quote

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse

from leafspring.client_ip import client_ip
from leafspring.token_mask import tokens_masked
from subjects.services import website_visit_record

logger = logging.getLogger(__name__)

SKIPPED_PREFIXES = (
    "/healthz",
    "/static/",
    "/admin/",
    "/en/admin/",
    "/staff/",
    "/en/staff/",
    "/favicon",
)


# C0 and C1 control characters and DEL.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """``text`` with every control character percent-encoded (UTF-8), as in a URL."""
    return _CONTROL_CHARACTERS.sub(lambda match: quote(match.group(), safe=""), text)


class WebsiteVisitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method in {"GET", "POST"} and not request.path.startswith(SKIPPED_PREFIXES):
            try:
                website_visit_record(
                    ip_address=client_ip(request),
                    user_agent=printable(str(request.META.get("HTTP_USER_AGENT", ""))),
                    path=printable(tokens_masked(request.path)),
                )
            except DatabaseError:
                # A security log must never take the site down.
                logger.exception("Could not record a website visit")
        return response
