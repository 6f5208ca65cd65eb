"""Text typed by the public, isolated for direction where it stands in a sentence."""

from __future__ import annotations

# First Strong Isolate ... Pop Directional Isolate: the plain-text twin of ``<bdi>``, for
# text that is not HTML (a message shown after an action, a line in an e-mail).
FSI = "\u2068"
PDI = "\u2069"


def isolated(text: str) -> str:
    """``text`` isolated for direction: a right-to-left override inside it cannot turn
    the sentence around it."""
    return f"{FSI}{text}{PDI}"
