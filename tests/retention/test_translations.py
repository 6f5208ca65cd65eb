"""Dutch first: every string of the retention app has a Dutch translation, compiled."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from django.utils import translation

from retention.models import RetentionRun

PO = Path(__file__).resolve().parents[2] / "retention" / "locale" / "nl" / "LC_MESSAGES"


def _entries(text: str) -> list[tuple[str, str]]:
    pattern = re.compile(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n)+)', re.M)

    def join(chunk: str) -> str:
        return "".join(re.findall(r'"(.*)"', chunk))

    return [(join(i), join(s)) for i, s in pattern.findall(text + "\n")][1:]


def test_every_message_is_translated_and_none_is_fuzzy():
    text = (PO / "django.po").read_text()
    assert "#, fuzzy" not in text
    entries = _entries(text)
    assert len(entries) > 50
    assert [msgid for msgid, msgstr in entries if not msgstr] == []
    # A plural form is empty when nothing follows its `msgstr[n] ""` line (a long one
    # goes on in continuation lines).
    assert not re.search(r'^msgstr\[\d\] ""\n(?!")', text, re.M), "an untranslated plural"


def test_the_compiled_catalogue_holds_every_translation_of_the_po_file():
    with (PO / "django.mo").open("rb") as mo:
        catalogue = gettext.GNUTranslations(mo)
    stale = [
        msgid
        for msgid, msgstr in _entries((PO / "django.po").read_text())
        if catalogue.gettext(_unescape(msgid)) != _unescape(msgstr)
    ]
    assert stale == [], "run msgfmt on retention/locale/nl/LC_MESSAGES/django.po"


def _unescape(value: str) -> str:
    return value.encode().decode("unicode_escape").encode("latin-1").decode()


@pytest.mark.django_db
def test_the_run_log_speaks_dutch_by_default():
    with translation.override("nl"):
        assert str(RetentionRun._meta.verbose_name_plural) == "bewaarruns"
        assert str(RetentionRun.Outcome.FAILED.label) == "mislukt"
