"""What every text a person reads must not contain, and helpers to read it as they do:
the visible text of an HTML page, its label/value pairs."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from django.apps import apps

from processing.models import (
    ConsentPurpose,
    DataCategory,
    ProcessingActivity,
    Recipient,
    SubjectCategory,
)
from requests_dsar.models import DsarRequest
from retention.models import LegalHold, RetentionRule
from subjects.registry import registry

ISO_TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT")
# Brand keys that are written with a capital in every text (E2Grow, MeetIn, Gallup).
LOWERCASE_BRAND_KEYS = {"e2grow", "meetin", "gallup", "mailchimp"}


def internal_codes() -> set[str]:
    """The codes a person must never read: the keys of processing activities, consent
    purposes, recipients, categories, retention rules and legal holds, and the stored
    values of choices, wherever they contain a hyphen (a slug, not a word) or are a
    brand's lower-case key."""
    codes: set[str] = set(ConsentPurpose.values)
    for model in (ProcessingActivity, Recipient, DataCategory, SubjectCategory, RetentionRule):
        codes |= set(model.objects.values_list("key", flat=True))
    codes |= set(LegalHold.objects.values_list("key", flat=True))
    for model in [entry.model for entry in registry] + [DsarRequest]:
        for field in model._meta.concrete_fields:
            codes |= {str(value) for value, _label in field.choices or () if value}
    return {code for code in codes if "-" in code or code in LOWERCASE_BRAND_KEYS}


def model_label_pattern() -> re.Pattern[str]:
    labels = "|".join(sorted(re.escape(c.label) for c in apps.get_app_configs()))
    return re.compile(rf"\b(?:{labels})\.[A-Z]\w+")


def unreadable_parts(text: str, codes: set[str]) -> list[str]:
    """What in ``text`` a person should not have to read: a model label, an internal
    code, "None", a brace, an ISO timestamp, a version code ("v1"), an empty value
    after a label or in brackets."""
    found = []
    found += model_label_pattern().findall(text)
    found += [
        code for code in codes if re.search(rf"(?<![\w\-/.@]){re.escape(code)}(?![\w\-])", text)
    ]
    found += re.findall(r"\bNone\b", text)
    found += re.findall(r"[{}]", text)
    found += ISO_TIMESTAMP.findall(text)
    found += re.findall(r"\bv\d+\b", text)
    found += re.findall(r"\(\s*\)|:\s*[.,;)]|\s,|\.\s*\.", text)
    return found


class _VisibleText(HTMLParser):
    SKIP = {"style", "script", "head"}

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in {"p", "li", "dt", "dd", "h1", "h2", "h3", "h4", "br", "tr", "td", "th"}:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def visible_text(page: str) -> str:
    parser = _VisibleText()
    parser.feed(page)
    return "".join(parser.parts)


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def label_value_pairs(page: str) -> list[tuple[str, str]]:
    """Every <dt> label with its <dd> value, and every "label: value" list item, as
    the person reads them."""
    pairs = [
        (_text(label), _text(value))
        for label, value in re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", page, re.S)
    ]
    assert len(pairs) == page.count("<dt>"), "a label without its value"
    return pairs


def empty_list_items(page: str) -> list[str]:
    return re.findall(r"<li>\s*(?::[^<]*)?</li>|<li>\s*:", page)
