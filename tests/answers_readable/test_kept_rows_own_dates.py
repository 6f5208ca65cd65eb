"""A row the law keeps after an erasure is kept until its own end: two invoices from
different book years end in different years, and the answer, the staff page and the
access report afterwards each say so, as dates the person reads."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from requests_dsar.fulfilment.access import access_report_render
from requests_dsar.fulfilment.answers import answer_draft
from requests_dsar.fulfilment.erasure import erasure_carry_out
from requests_dsar.models import DsarRequest
from tests import factories as f
from tests.answers_readable.readability import visible_text

pytestmark = pytest.mark.django_db


def _request(subject, right: str, language: str = "en") -> DsarRequest:
    request = DsarRequest.objects.create(
        reference=f"V-KEPT{DsarRequest.objects.count():03d}",
        request_type=right,
        status="in-progress",
        name=subject.full_name,
        email=subject.email,
        language=language,
    )
    request.subjects.add(subject)
    return request


@time_machine.travel(datetime.datetime(2026, 6, 1, 12, tzinfo=datetime.UTC), tick=False)
def test_two_invoices_of_different_years_are_kept_until_their_own_end(officer, officer_client):
    subject = f.DataSubjectFactory(email="klant@example.nl")
    f.InvoiceFactory(subject=subject, issued_on=datetime.date(2024, 3, 15))
    f.InvoiceFactory(subject=subject, issued_on=datetime.date(2026, 3, 15))
    f.InvoiceFactory(subject=subject, issued_on=datetime.date(2026, 5, 1))
    erasure = _request(subject, "erasure")
    erasure_carry_out(actor=officer, request=erasure)
    erasure = DsarRequest.objects.get(pk=erasure.pk)

    answer = answer_draft(erasure)
    assert (
        "- Invoices (3): kept and restricted, because the law requires it: Fiscal retention "
        "duty (art. 52 AWR; art. 2:10 BW), 1 until 31 December 2031; 2 until 31 December "
        "2033." in answer
    )
    # The person stays as long as the last record that keeps them.
    assert "- Your personal details (1): kept and restricted" in answer
    assert "until 31 December 2033.\n" in answer

    erasure.language = "nl"
    assert "1 tot 31 december 2031; 2 tot 31 december 2033." in answer_draft(erasure)

    page = officer_client.get(f"/staff/requests/{erasure.pk}/").content.decode()
    assert "1 tot 31 december 2031; 2 tot 31 december 2033" in page

    report = visible_text(access_report_render(_request(subject, "access")))
    assert report.count("Kept only because the law requires it, until 31 December 2031.") == 1
    assert report.count("Kept only because the law requires it, until 31 December 2033.") == 2
    # The person is kept for the invoices: as long as they are.
    assert report.count("Kept only because the law requires it. We store it") == 1


def test_a_record_line_from_before_the_dates_per_row_shows_its_latest_date():
    from requests_dsar.fulfilment.answers import until_text

    line = {"kept": 2, "until": "2033-12-31"}
    assert until_text(line) in {"until 31 December 2033", "tot 31 december 2033"}
    assert until_text({"kept": 1, "until": ""}) in {
        "until the end of the retention period",
        "tot het einde van de bewaartermijn",
    }


def test_an_erasure_answer_says_the_suppression_fingerprint_stays(officer):
    """Review finding: the access report lists the fingerprint on the suppression list,
    the erasure answer did not say it stays (DESIGN §1.3a)."""
    from django.utils import translation

    from subjects.models import SuppressedAddress
    from subjects.suppression import address_suppress

    subject = f.DataSubjectFactory(email="weg@example.nl")
    address_suppress(email="weg@example.nl", reason=SuppressedAddress.Reason.UNSUBSCRIBED)
    request = DsarRequest.objects.create(
        reference="V-SUPPR001",
        request_type="erasure",
        status="in-progress",
        name=subject.full_name,
        email="weg@example.nl",
        language="en",
    )
    request.subjects.add(subject)
    erasure_carry_out(actor=officer, request=request)
    request.refresh_from_db()
    with translation.override("en"):
        text = answer_draft(request)
    assert "fingerprint of your e-mail address" in text


def test_an_erasure_leaves_the_persons_other_open_request_whole_and_the_trail_says_kept(officer):
    """Review findings: erasure blanked the details of the person's other, still open
    request (it could no longer be carried out), and the trail called the earlier
    requests, kept as proof, "erased"."""
    from django.utils import translation

    subject = f.DataSubjectFactory(email="twee@example.nl")
    open_one = DsarRequest.objects.create(
        reference="V-OPEN0001",
        request_type="portability",
        status="in-progress",
        name=subject.full_name,
        email="twee@example.nl",
        details="Graag naar mijn nieuwe werkgever",
    )
    closed_one = DsarRequest.objects.create(
        reference="V-CLOS0001",
        request_type="access",
        status="completed",
        name=subject.full_name,
        email="twee@example.nl",
        details="Wat hebben jullie?",
    )
    erasure = DsarRequest.objects.create(
        reference="V-ERAS0001",
        request_type="erasure",
        status="in-progress",
        name=subject.full_name,
        email="twee@example.nl",
    )
    for request in (open_one, closed_one, erasure):
        request.subjects.add(subject)
    erasure_carry_out(actor=officer, request=erasure)
    open_one.refresh_from_db()
    closed_one.refresh_from_db()
    assert open_one.details == "Graag naar mijn nieuwe werkgever"
    assert closed_one.details == ""
    event = erasure.events.get(action="erasure-carried-out")
    with translation.override("en"):
        assert "kept as proof" in event.what and "requests: 1 record erased" not in event.what
