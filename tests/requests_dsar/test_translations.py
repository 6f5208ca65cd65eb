"""Dutch first: every string of the rights pages and e-mails has a Dutch translation."""

from __future__ import annotations

import ast
import gettext
from pathlib import Path

from django.utils import translation

import requests_dsar

LOCALE = Path(requests_dsar.__file__).parent / "locale" / "nl" / "LC_MESSAGES"


def _entries() -> list[dict[str, object]]:
    """A small .po reader: each entry's flags, msgid and msgstr(s)."""
    entries = []
    for block in (LOCALE / "django.po").read_text().split("\n\n"):
        entry: dict[str, object] = {"flags": "", "msgid": "", "msgstr": []}
        key = None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] = line
            elif line.startswith(("msgid ", "msgid_plural ", "msgstr")):
                key, _, rest = line.partition(" ")
                value = ast.literal_eval(rest)
                if key.startswith("msgstr"):
                    entry["msgstr"].append(value)  # type: ignore[union-attr]
                elif key == "msgid":
                    entry["msgid"] = value
            elif line.startswith('"') and key:
                value = ast.literal_eval(line)
                if key.startswith("msgstr"):
                    entry["msgstr"][-1] += value  # type: ignore[index]
                elif key == "msgid":
                    entry["msgid"] += value  # type: ignore[operator]
        if entry["msgid"]:
            entries.append(entry)
    return entries


def test_the_dutch_catalogue_is_complete_and_not_fuzzy():
    entries = _entries()
    assert len(entries) > 250
    assert [e["msgid"] for e in entries if "fuzzy" in str(e["flags"])] == []
    assert [e["msgid"] for e in entries if not all(e["msgstr"])] == []  # type: ignore[arg-type]


def test_the_compiled_catalogue_holds_every_translation():
    with (LOCALE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in _entries():
        if len(entry["msgstr"]) == 1:  # type: ignore[arg-type]
            assert compiled.gettext(entry["msgid"]) == entry["msgstr"][0]  # type: ignore[index]


def test_rights_are_named_in_dutch_and_in_english():
    from requests_dsar.models import RequestType

    with translation.override("nl"):
        assert str(RequestType.ERASURE.label) == "verwijdering"
    with translation.override("en"):
        assert str(RequestType.ERASURE.label) == "erasure"
