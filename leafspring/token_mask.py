"""No working token in any log: the paths of personal links carry a token as their last
segment, and a URL that almost matches one (without its slash, with more behind it)
never reaches the view that would hide it. Used by the website-visit log
(``subjects.middleware``) and, as a logging filter, by every log handler (settings
``LOGGING``); it imports nothing of Django's models, since logging is set up first."""

from __future__ import annotations

import logging
import re

# The paths of personal links (request verification and status, answer downloads,
# newsletter confirmation and unsubscribe, the consent page) and of Mailchimp's webhook
# (its secret), with or without the language prefix: the segment after them is a token.
_TOKEN_PATH = re.compile(
    r"(?P<prefix>/(?:[a-z]{2}/)?(?:verzoek/(?:bevestigen|status|download)"
    r"|nieuwsbrief/(?:bevestigen|afmelden)|toestemmingen/(?:link|beheer)|mailchimp/webhooks?)/)"
    r"[^/?#\s]+",
    re.IGNORECASE,
)
# Anything shaped like one of our random tokens (``secrets.token_urlsafe(32)``: 43
# characters), wherever it stands.
_TOKEN_LIKE = re.compile(r"[A-Za-z0-9_-]{32,}")
MASK = "-"


def tokens_masked(text: str) -> str:
    """``text`` (a path or a log line) with every personal-link token replaced by "-"."""
    text = _TOKEN_PATH.sub(lambda match: match.group("prefix") + MASK, text)
    return _TOKEN_LIKE.sub(MASK, text)


class TokenMaskingFilter(logging.Filter):
    """Masks tokens in every log record (Django logs "Not Found: <path>" for a link that
    almost matches; a development server logs every request line)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = tokens_masked(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
