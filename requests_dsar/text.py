"""Text anyone can type into the public form, made safe to quote in an e-mail."""

from __future__ import annotations

import re

_LINK = re.compile(r"(?i)\b(https?|ftp)://")
_WWW = re.compile(r"(?i)\bwww\.")
# A dot between a label and what reads as a top-level domain (letters, then the end of
# the word): "leafspring-verzoeken.nl/inloggen", "evil.example". Mail programs turn such
# bare domains into links too.
_DOMAIN_DOT = re.compile(r"(?<=[^\W_])\.(?=[^\W\d_]{2,63}(?![^\W_]))")


def defused(text: str) -> str:
    """Text with web links made unclickable (``https[:]//``, ``www[.]``, ``label[.]tld``):
    the form can be filled in by anyone for any address, so what they wrote must not
    turn our e-mail into a working phishing link."""
    text = _LINK.sub(r"\1[:]//", text)
    text = _WWW.sub("www[.]", text)
    return _DOMAIN_DOT.sub("[.]", text)
