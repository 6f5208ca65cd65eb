"""The visitor's IP address: one answer for the rate limits of the public request form
(django-ratelimit, through ``RATELIMIT_IP_META_KEY``) and the website-visit log
(``subjects.middleware.WebsiteVisitMiddleware``).

Behind ``TRUSTED_PROXY_COUNT`` reverse proxies, ``REMOTE_ADDR`` is the nearest proxy and
each proxy appends the address it received the request from to ``X-Forwarded-For``. The
visitor is therefore the entry that many places from the right: the outermost trusted
proxy wrote it. Entries further left come from the visitor and may be anything, so they
are never read. With no proxies (the default) the visitor is ``REMOTE_ADDR``.
"""

from __future__ import annotations

import ipaddress
import logging

from django.conf import settings
from django.http import HttpRequest

logger = logging.getLogger(__name__)

# The bucket of requests whose address cannot be known (no REMOTE_ADDR: a Unix socket
# without a trusted proxy configured). They share one rate limit rather than fail.
UNKNOWN_ADDRESS = "0.0.0.0"  # noqa: S104 (a bucket name, not an address to bind)


def _ip(value: str) -> str | None:
    """``value`` as an IP address (brackets and a port tolerated), or None."""
    value = value.strip()
    candidates = [value]
    if value.startswith("[") and "]" in value:
        candidates.append(value[1 : value.index("]")])
    elif value.count(":") == 1:
        candidates.append(value.split(":", 1)[0])
    for candidate in candidates:
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return None


def client_ip(request: HttpRequest) -> str | None:
    """The visitor's IP address, or None when it cannot be known."""
    remote = _ip(str(request.META.get("REMOTE_ADDR") or ""))
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if proxies <= 0:
        return remote
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR") or "").split(",")
    if not forwarded[-1].strip() or len(forwarded) < proxies:
        # Not through all the trusted proxies: the header, if any, is the sender's own.
        return remote
    return _ip(forwarded[-proxies]) or remote


def client_ip_for_ratelimit(request: HttpRequest) -> str:
    """``client_ip`` for django-ratelimit, which needs an address."""
    ip = client_ip(request)
    if ip is None:
        logger.warning("No client IP address (REMOTE_ADDR empty); check TRUSTED_PROXY_COUNT")
        return UNKNOWN_ADDRESS
    return ip
