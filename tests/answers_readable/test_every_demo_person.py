"""For every demo person, in Dutch and in English: the access report, the erasure answer
and the portability files read as sentences and labelled values, never as a database
dump (issue 9). No model label, internal code, "None", brace or ISO timestamp; no label
without a value; the report carries the day it was made and every consent's wording.

The Dutch half reads the compiled catalogues (requests_dsar/locale)."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from processing.models import Consent
from requests_dsar.emails import request_email_render
from requests_dsar.fulfilment.access import access_files
from requests_dsar.fulfilment.answers import answer_draft
from requests_dsar.fulfilment.erasure import erasure_carry_out
from requests_dsar.fulfilment.portability import portability_files
from requests_dsar.models import DsarRequest, ErasureRecord
from subjects.demo import DEMO_DOMAIN, PEOPLE
from subjects.models import DataSubject
from tests.answers_readable.readability import (
    empty_list_items,
    internal_codes,
    label_value_pairs,
    unreadable_parts,
    visible_text,
)

pytestmark = pytest.mark.django_db

EMAILS = [f"{local}@{DEMO_DOMAIN}" for _first, _last, local, *_rest in PEOPLE]
LANGUAGES = ("nl", "en")
MADE_ON = {"nl": "gemaakt op", "en": "made on"}
KEPT = {"nl": "bewaard en beperkt", "en": "kept and restricted"}


@pytest.fixture
def demo():
    call_command("load_demo", stdout=io.StringIO())


def _request(subject: DataSubject, right: str, language: str) -> DsarRequest:
    now = timezone.now()
    request = DsarRequest.objects.create(
        reference=f"V-{right[:4].upper()}{subject.pk:04d}{language.upper()}",
        request_type=right,
        status="in-progress",
        name=subject.full_name,
        email=subject.email,
        language=language,
        created_at=now,
        verified_at=now,
        due_on=timezone.localdate(),
    )
    request.subjects.add(subject)
    return request


def _assert_readable(text: str, codes: set[str], where: str) -> None:
    assert not unreadable_parts(text, codes), (where, unreadable_parts(text, codes))


def _consent_wordings(subject: DataSubject) -> list[str]:
    """Each consent's wording as it was shown (in the language it was shown in)."""
    return [
        consent.text.tr("text", consent.language)
        for consent in Consent.objects.filter(subject=subject).select_related("text")
    ]


@pytest.mark.parametrize("email", EMAILS)
def test_every_answer_to_a_demo_person_is_written_for_them(demo, email, officer):
    codes = internal_codes()
    subject = DataSubject.objects.get(email=email)
    wordings = _consent_wordings(subject)
    for language in LANGUAGES:
        files = access_files(_request(subject, "access", language))
        report = files["report.html"].decode()
        text = visible_text(report)
        _assert_readable(text, codes, f"report.html {language}")
        for label, value in label_value_pairs(report):
            assert label and value, (language, label, value)
        assert not empty_list_items(report)
        assert re.search(rf"{MADE_ON[language]} \d{{1,2}} \w+ \d{{4}}\.", text), language
        assert subject.full_name in text
        for wording in wordings:
            assert wording in text, (language, wording)
        # data.json beside it stays complete and machine-readable.
        data = json.loads(files["data.json"])
        held = {section["model"]: len(section["rows"]) for section in data["data"]}
        assert held["subjects.DataSubject"] == 1
        assert held.get("processing.Consent", 0) == len(wordings)

        portable = portability_files(_request(subject, "portability", language))
        assert json.loads(portable.pop("data.json"))
        for name, content in portable.items():
            _assert_readable(name + "\n" + content, codes, f"{name} {language}")
            if name.endswith(".csv"):
                header = next(csv.reader(io.StringIO(content)))
                assert all(column.strip() for column in header), (name, header)

    erasure = _request(subject, "erasure", "nl")
    # Someone in the open demo breach is told about it first (Art. 34): until then the
    # erasure waits, as it would take the address the notice goes to.
    subject.breach_links.filter(notified_at__isnull=True).update(
        notified_at=timezone.now(), notified_how="other"
    )
    erasure_carry_out(actor=officer, request=erasure)
    erasure = DsarRequest.objects.get(pk=erasure.pk)
    record = ErasureRecord.objects.get(request=erasure)
    for language in LANGUAGES:
        erasure.language = language
        erasure.answer = answer_draft(erasure)
        _subject, mail = request_email_render(request=erasure, kind="answer")
        _assert_readable(mail, codes, f"erasure answer {language}")
        lines = erasure.answer.splitlines()
        for number, line in enumerate(lines):
            if line.endswith(":"):  # a heading: the list it announces follows
                assert lines[number + 1].startswith("- "), (language, line)
        kept = [line for line in lines if KEPT[language] in line]
        assert len(kept) == sum(1 for line in record.lines if line["kept"])
        for line in kept:  # each with the date (or dates) its rows are kept until
            assert re.search(r"\d{1,2} \w+ \d{4}\.$", line), (language, line)
