"""The register for the supervisory authority (Art. 30(4)): the CSV and the PDF hold the
controller and every Art. 30(1) field of every activity, in Dutch and in English, the
PDF also each recipient with its agreement and transfer safeguard, and the generation
date on every page. Rendering fetches nothing but local files."""

from __future__ import annotations

import csv
import datetime
import io
import re
import unicodedata
import zoneinfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from processing.models import Controller, ProcessingActivity, Recipient, RecipientCheck
from processing.pdf import LocalOnlyFetcher, static_root
from processing.register_export import register_pdf_render, transfer_safeguard_text
from tests.recipients.conftest import recipients_in_order

pytestmark = pytest.mark.django_db
AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")
NOW = datetime.datetime(2026, 3, 10, 14, 5, tzinfo=AMS)


def _flat(text: str) -> str:
    """Text as read back from a PDF or a cell: ligatures undone, whitespace collapsed."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def _article_30_values(activity: ProcessingActivity) -> list[str]:
    """Every Art. 30(1) value of one activity in the active language: (b) name and
    purpose, (c) categories of data subjects and of personal data, (d) recipients, (e)
    third countries and safeguards, (f) erasure time limit, (g) security measures; and
    the legal basis."""
    values = [activity.tr("name"), activity.tr("purpose")]
    values += [c.tr("name") for c in activity.subject_categories.all()]
    values += [c.tr("name") for c in activity.data_categories.all()]
    values += [b.tr("name") for b in activity.legal_bases.all()]
    for recipient in activity.recipients.all():
        values.append(recipient.name)
        if recipient.outside_eea:
            values += [recipient.tr_country, str(recipient.get_transfer_mechanism_display())]
    values += [activity.tr("retention"), activity.tr("security_measures")]
    return [_flat(v) for v in values if v]


def _activities() -> list[ProcessingActivity]:
    return list(
        ProcessingActivity.objects.prefetch_related(
            "subject_categories", "data_categories", "legal_bases", "recipients"
        )
    )


# Rendering takes seconds: each language is rendered once, from the same data (the
# register as migrated, put in order on NOW's date), and read back by every test.
_RENDERED: dict[str, list[str]] = {}


@pytest.fixture
def pdf_pages():
    recipients_in_order(NOW.date())

    def read(language: str) -> list[str]:
        if language not in _RENDERED:
            with translation.override(language), time_machine.travel(NOW):
                pdf = register_pdf_render()
            assert pdf.startswith(b"%PDF-")
            reader = PdfReader(io.BytesIO(pdf))
            _RENDERED[language] = [_flat(page.extract_text()) for page in reader.pages]
        return _RENDERED[language]

    return read


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_pdf_holds_every_article_30_field_of_every_activity(pdf_pages, language):
    # A long field may run on to the next page: read the text without the page footers.
    footer = re.compile(
        r" ?(?:Register of processing activities|Register van verwerkingsactiviteiten) · "
        r"Leafspring B\.V\. · .*?\d+ (?:of|van) \d+ ?"
    )
    text = " ".join(footer.sub(" ", page).strip() for page in pdf_pages(language))
    # A line broken after a hyphen ("special-|category") reads back as "special- category".
    joined = re.compile(r"(\w)- (\w)")
    text = joined.sub(r"\1-\2", text)
    controller = Controller.objects.get()
    for value in (controller.name, controller.street_address, controller.email):
        assert value in text
    assert controller.kvk_number in text and controller.phone in text
    with translation.override(language):
        activities = _activities()
        assert len(activities) == 19
        for activity in activities:
            heading = _flat(f"{activity.number}. {activity.tr('name')}")
            assert heading in text, heading
            for value in _article_30_values(activity):
                assert joined.sub(r"\1-\2", value) in text, (activity.key, value)


def test_the_pdf_is_in_the_chosen_language(pdf_pages):
    dutch, english = " ".join(pdf_pages("nl")), " ".join(pdf_pages("en"))
    assert "Beveiliging van de website" in dutch and "Website security" not in dutch
    assert "Website security" in english and "Beveiliging van de website" not in english
    assert "United States" in english and "Verenigde Staten" in dutch


def test_the_pdf_names_each_recipient_with_agreement_safeguard_and_last_check(pdf_pages):
    text = " ".join(pdf_pages("en"))
    section = text[text.index("Recipients, agreements and transfer safeguards") :]
    for recipient in Recipient.objects.all():
        assert recipient.name in section
    assert 'certification of "Listed Inc." checked on 28 February 2026' in (
        section.replace("“", '"').replace("”", '"')
    )
    assert "module 2: controller to processor; 2021/914" in section
    assert "transfer impact assessment of 28 February 2026" in section
    assert "signed on 30 November 2025, version 1.0; document on file" in section
    assert "28 February 2026 by M. Jansen: compliant" in section
    assert "Processor for the progress, evaluation and reporting" in section  # Coaching Monitor


def test_every_page_carries_the_generation_date(pdf_pages):
    for language, stamp in (("nl", "10 maart 2026"), ("en", "10 March 2026 at 14:05")):
        pages = pdf_pages(language)
        assert len(pages) > 5
        for number, page in enumerate(pages, start=1):
            assert stamp in page, (language, number)
    english = pdf_pages("en")
    for number, page in enumerate(english, start=1):
        assert f"page {number} of {len(english)}" in page


def test_the_csv_holds_the_controller_and_every_field_of_every_activity(staff_client):
    for language in ("nl", "en"):
        with translation.override(language):
            response = staff_client.get(reverse("staff_register_csv"))
            rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
            activities = _activities()
            assert len(rows) == len(activities) == 19
            controller = Controller.objects.get()
            for activity, row in zip(activities, rows, strict=True):
                cells = _flat(" | ".join(row.values()))
                assert controller.name in cells and controller.kvk_number in cells
                assert controller.email in cells and controller.street_address in cells
                for value in _article_30_values(activity):
                    assert value in cells, (language, activity.key, value)


def test_the_csv_names_each_third_country(staff_client):
    with translation.override("en"):
        response = staff_client.get(reverse("staff_register_csv"))
    rows = {
        r["Processing activity"]: r
        for r in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    }
    assert rows["Videoconferencing"]["Third countries"] == "United States"
    assert rows["Website security"]["Third countries"] == ""
    assert rows["Website security"]["Controller"] == "Leafspring B.V."
    assert (
        "Zoom (United States: EU-US Data Privacy Framework"
        in (rows["Videoconferencing"]["Transfers outside the EEA"])
    )


def test_the_pdf_download_is_for_staff_only(client, outsider_client, staff_client):
    url = reverse("staff_register_pdf")
    assert client.get(url).status_code == 302
    assert outsider_client.get(url).status_code == 403
    response = staff_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert "attachment" in response["Content-Disposition"]


def test_the_safeguard_in_words_says_when_the_certification_is_not_yet_checked():
    with translation.override("en"):
        assert transfer_safeguard_text(Recipient.objects.get(key="zoom")).endswith(
            "certification not yet checked"
        )


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/tracker.png",
        "https://example.org/font.woff2",
        "ftp://example.org/x.css",
        "file:///etc/passwd",
    ],
)
def test_the_fetcher_refuses_anything_not_local(url):
    with pytest.raises(ValueError):
        LocalOnlyFetcher(static_root()).fetch(url)


def test_the_fetcher_reads_local_static_files():
    css = next(static_root().rglob("*.css"))
    response = LocalOnlyFetcher(static_root()).fetch(css.as_uri())
    try:
        assert response.read(10)
    finally:
        response.close()


def test_rendering_asks_for_nothing_but_local_files(monkeypatch):
    asked: list[str] = []
    original = LocalOnlyFetcher.fetch

    def spy(self, url, headers=None):
        asked.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(LocalOnlyFetcher, "fetch", spy)
    register_pdf_render()
    assert all(url.startswith(("file:", "data:")) for url in asked), asked


def test_a_remote_image_in_the_html_is_not_fetched(monkeypatch):
    from processing import pdf as pdf_module

    opened: list[str] = []
    monkeypatch.setattr(
        pdf_module.URLFetcher, "open", lambda self, *a, **k: opened.append(str(a)) or None
    )
    pdf = pdf_module.pdf_from_html(
        '<html><body><img src="http://127.0.0.1:9/pixel.png"><p>x</p></body></html>'
    )
    assert pdf.startswith(b"%PDF-") and opened == []


def test_the_pdf_costs_the_same_number_of_queries_with_more_checks(django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        register_pdf_render()
    for recipient in Recipient.objects.all():
        for days in (5, 50):
            RecipientCheck.objects.create(
                recipient=recipient,
                checked_on=NOW.date() - datetime.timedelta(days=days),
                checked_by_name="M. Jansen",
                outcome="compliant",
                findings="In orde.",
                next_check_on=NOW.date() + datetime.timedelta(days=300),
            )
    with CaptureQueriesContext(connection) as many:
        register_pdf_render()
    assert len(few) == len(many)
