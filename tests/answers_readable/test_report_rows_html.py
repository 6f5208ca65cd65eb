"""The access report writes the person's rows as HTML in Python (not row by row in the
template): every value escaped, line breaks kept, the labels and formatted values in the
person's language, the same as the template wrote them."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone, translation

from requests_dsar.fulfilment.access import access_files
from requests_dsar.fulfilment.readable import Shown, date_text, record_html, shown_html
from requests_dsar.models import DsarRequest
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_values_are_escaped_and_keep_their_line_breaks():
    shown = Shown(pairs=(("A <b>", Shown(items=(Shown(text="x & y"), Shown(text="1\r\n2")))),))
    assert shown_html(shown) == (
        "<ul><li>A &lt;b&gt;: <ul><li>x &amp; y\n</li><li>1<br>2\n</li></ul>\n</li></ul>\n"
    )
    assert record_html([("<i>", Shown(text='"q"'))]) == (
        '<dl class="record"><dt>&lt;i&gt;</dt><dd>&quot;q&quot;\n</dd></dl>'
    )


@pytest.mark.parametrize(
    ("language", "expected"),
    [("nl", "3 februari 2026, 09:05"), ("en", "3 February 2026, 09:05")],
)
def test_dates_are_written_in_the_readers_language(language, expected):
    moment = timezone.make_aware(datetime.datetime(2026, 2, 3, 9, 5))
    with translation.override(language):
        assert date_text(moment) == expected
        assert date_text(moment.date()) == expected.split(",")[0]


@pytest.mark.parametrize(
    ("language", "label", "received"),
    [("nl", "Bericht", "Ontvangen op"), ("en", "Message", "Received")],
)
def test_the_report_shows_a_message_escaped_with_labels_in_the_persons_language(
    language, label, received
):
    subject = f.DataSubjectFactory(email="lezer@example.nl")
    f.ContactMessageFactory(subject=subject, message="<script>alert(1)</script>\nTweede regel")
    request = DsarRequest.objects.create(
        reference=f"V-H-{language}",
        request_type="access",
        name=subject.full_name,
        email=subject.email,
        language=language,
        verified_at=timezone.now(),
    )
    request.subjects.add(subject)
    report = access_files(request)["report.html"].decode()
    assert "<script>alert" not in report
    assert (
        f"<dt>{label}</dt><dd>&lt;script&gt;alert(1)&lt;/script&gt;<br>Tweede regel\n</dd>"
        in report
    )
    assert f"<dt>{received}" in report
