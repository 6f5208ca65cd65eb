"""Staff see what the person will receive before it is sent: the answer e-mail and the
package, built in memory. Nothing is built, stored, sent or recorded; the package with
special-category data only for staff allowed to see it; outsiders see nothing."""

from __future__ import annotations

import html

import pytest
from django.core import mail

from requests_dsar.models import AnswerPackage, DsarRequest, RequestEvent
from subjects.models import AuditEvent
from tests import factories as f

pytestmark = pytest.mark.django_db


def _request(subject, right: str = "access", language: str = "nl", **fields) -> DsarRequest:
    request = DsarRequest.objects.create(
        reference=f"V-PREV{DsarRequest.objects.count():04d}",
        request_type=right,
        status="in-progress",
        name=subject.full_name,
        email=subject.email,
        language=language,
        **fields,
    )
    request.subjects.add(subject)
    return request


def _url(request: DsarRequest) -> str:
    return f"/staff/requests/{request.pk}/preview/"


def _nothing_happened(request: DsarRequest, private_storage) -> None:
    request.refresh_from_db()
    assert request.fulfilled_at is None and request.status == "in-progress"
    assert not AnswerPackage.objects.exists()
    assert not RequestEvent.objects.filter(request=request).exists()
    assert not AuditEvent.objects.exists()
    assert not mail.outbox
    assert not private_storage.exists() or not any(private_storage.iterdir())


def test_the_privacy_officer_sees_the_answer_email_and_the_report_as_the_person_will(
    officer_client, private_storage
):
    subject = f.DataSubjectFactory(email="sanne@example.nl", city="Doetinchem")
    f.InvoiceFactory(subject=subject, number="F-PREVIEW-1")
    request = _request(subject)
    page = officer_client.get(_url(request)).content.decode()
    assert "Antwoord op je privacyverzoek" in page  # the e-mail's subject, in Dutch
    assert f"Beste {subject.full_name}," in page
    assert "de downloadlink, aangemaakt als het antwoord wordt verstuurd" in page
    report = html.unescape(page.split('srcdoc="', 1)[1].split('"', 1)[0])
    assert "F-PREVIEW-1" in report and "Doetinchem" in report
    assert "Je persoonsgegevens bij Leafspring" in report
    assert "data.json" in page
    _nothing_happened(request, private_storage)


def test_the_preview_is_in_the_requesters_language(officer_client, private_storage):
    subject = f.DataSubjectFactory(email="thomas@example.nl")
    request = _request(subject, language="en")
    page = officer_client.get(_url(request)).content.decode()
    assert f"Dear {subject.full_name}," in page
    assert "Your personal data at Leafspring" in html.unescape(page)
    _nothing_happened(request, private_storage)


def test_a_portability_preview_shows_the_readme_and_the_csv_files(officer_client, private_storage):
    subject = f.DataSubjectFactory(email="sanne@example.nl")
    f.NewsletterSubscriptionFactory(subject=subject)
    request = _request(subject, right="portability")
    page = officer_client.get(_url(request)).content.decode()
    assert "README.txt" in page and "nieuwsbriefinschrijvingen.csv" in page
    assert "srcdoc" not in page
    _nothing_happened(request, private_storage)


def test_an_erasure_preview_shows_the_draft_answer_and_erases_nothing(
    officer_client, private_storage
):
    subject = f.DataSubjectFactory(email="weg@example.nl")
    request = _request(subject, right="erasure")
    page = officer_client.get(_url(request)).content.decode()
    assert "Antwoord op je privacyverzoek" in page
    assert "De bestanden om te downloaden" not in page
    _nothing_happened(request, private_storage)
    assert subject.__class__.objects.filter(pk=subject.pk).exists()


def test_special_category_data_is_previewed_only_by_staff_allowed_to_see_it(
    officer_client, staff_client, private_storage
):
    profile = f.TraineeProfileFactory(allergies="Notenallergie")
    request = _request(profile.participation.participant, needs_staff_verification=True)
    officer_page = html.unescape(officer_client.get(_url(request)).content.decode())
    assert "Notenallergie" in officer_page
    response = staff_client.get(_url(request))
    assert response.status_code == 200
    staff_page = html.unescape(response.content.decode())
    assert "Notenallergie" not in staff_page and "srcdoc" not in staff_page
    assert "bijzondere persoonsgegevens" in staff_page
    assert "Antwoord op je privacyverzoek" in staff_page  # the answer itself is shown
    _nothing_happened(request, private_storage)


def test_a_staff_member_previews_a_package_without_special_category_data(staff_client):
    subject = f.DataSubjectFactory(email="sanne@example.nl", city="Doetinchem")
    request = _request(subject)
    page = html.unescape(staff_client.get(_url(request)).content.decode())
    assert "Doetinchem" in page and "srcdoc" in page


def test_outsiders_and_visitors_see_no_preview(outsider_client, client, private_storage):
    subject = f.DataSubjectFactory(email="sanne@example.nl", city="Doetinchem")
    request = _request(subject)
    assert outsider_client.get(_url(request)).status_code == 403
    response = client.get(_url(request))
    assert response.status_code == 302 and "/account/login/" in response["Location"]
    _nothing_happened(request, private_storage)


def test_a_closed_or_unknown_request_has_no_preview(officer_client):
    subject = f.DataSubjectFactory(email="sanne@example.nl")
    request = _request(subject, right="access")
    DsarRequest.objects.filter(pk=request.pk).update(status="completed")
    assert officer_client.get(_url(request)).status_code == 404
    assert officer_client.get("/staff/requests/999999/preview/").status_code == 404


def test_the_request_page_links_to_the_preview(officer_client):
    subject = f.DataSubjectFactory(email="sanne@example.nl")
    request = _request(subject)
    page = officer_client.get(f"/staff/requests/{request.pk}/").content.decode()
    assert f'href="{_url(request)}"' in page


def test_the_preview_policy_allows_the_reports_own_style_and_nothing_else(
    officer_client, private_storage
):
    """The report in the sandboxed frame inherits the page's Content-Security-Policy: its
    one style block is allowed by its hash, no other inline style."""
    import base64
    import hashlib
    import re

    subject = f.DataSubjectFactory(email="sanne@example.nl")
    response = officer_client.get(_url(_request(subject)))
    report = html.unescape(response.content.decode().split('srcdoc="', 1)[1].split('"', 1)[0])
    styles = re.findall(r"<style>(.*?)</style>", report, re.S)
    assert len(styles) == 1
    digest = base64.b64encode(hashlib.sha256(styles[0].encode()).digest()).decode()
    policy = response["Content-Security-Policy"]
    style_src = next(d for d in policy.split(";") if d.strip().startswith("style-src"))
    assert style_src.split()[1:] == ["'self'", f"'sha256-{digest}'"]
    assert "unsafe-inline" not in policy
