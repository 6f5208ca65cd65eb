"""Dutch first: every string of the retention app has a Dutch translation, compiled."""

from __future__ import annotations

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


def test_the_compiled_catalogue_is_up_to_date():
    po, mo = PO / "django.po", PO / "django.mo"
    assert mo.exists()
    assert mo.stat().st_mtime >= po.stat().st_mtime - 1


@pytest.mark.django_db
def test_the_run_log_speaks_dutch_by_default():
    with translation.override("nl"):
        assert str(RetentionRun._meta.verbose_name_plural) == "bewaarruns"
        assert str(RetentionRun.Outcome.FAILED.label) == "mislukt"
