"""The checks the demo-person test relies on catch what they are meant to catch."""

from __future__ import annotations

import pytest

from tests.answers_readable.readability import (
    empty_list_items,
    internal_codes,
    label_value_pairs,
    unreadable_parts,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "text",
    [
        "- requests_dsar.DsarRequest: 1 geanonimiseerd",
        "Toestemming: traineeship-participants v1",
        "Doel: brochure-call",
        "Reden beperking: None",
        "Resultaten: {'top5': ['Learner']}",
        "Gegeven op 2026-01-31T09:54:00+01:00",
        "Beperkt sinds: .",
        "tot ()",
    ],
)
def test_a_dump_is_caught(text):
    assert unreadable_parts(text, internal_codes())


@pytest.mark.parametrize(
    "text",
    [
        "Facturen (2): bewaard en beperkt, omdat de wet dat vereist: Fiscale bewaarplicht "
        "(art. 52 AWR; art. 2:10 BW), 1 tot 31 december 2031; 1 tot 31 december 2033.",
        "E-mailadres: lotte.smit@example.nl; Account bij de tool: e2g-5",
        "Deelnemers traineeship-programma; E2Grow-instellingen",
    ],
)
def test_a_sentence_passes(text):
    assert not unreadable_parts(text, internal_codes())


def test_labels_need_values():
    assert label_value_pairs("<dl><dt>Plaats</dt><dd></dd></dl>") == [("Plaats", "")]
    with pytest.raises(AssertionError):
        label_value_pairs("<dl><dt>Plaats</dt></dl>")
    assert empty_list_items("<ul><li></li><li>: 3</li></ul>")
