"""Uploading a recipient's agreement: a PDF within the size limit goes to private storage
with its date, version and review date; anything else gets a clear message and nothing
is saved."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from processing import recipients as services
from processing.models import Recipient
from processing.recipients import AGREEMENT_MAX_BYTES
from tests.recipients.conftest import PDF_BYTES, files_under, pdf_upload

pytestmark = pytest.mark.django_db


def _url(key: str = "zoom") -> str:
    return reverse("recipients:agreement", args=[key])


def _post(client, document=None, key: str = "zoom", **fields):
    today = timezone.localdate()
    data = {
        "signed_on": (today - datetime.timedelta(days=30)).isoformat(),
        "version": "Global DPA 2023",
        "review_on": (today + datetime.timedelta(days=335)).isoformat(),
        **fields,
    }
    if document is not None:
        data["document"] = document
    return client.post(_url(key), data)


def _snapshot(key: str = "zoom") -> dict:
    return Recipient.objects.filter(key=key).values().get()


def test_the_officer_uploads_the_agreement_into_private_storage(officer_client, officer, settings):
    response = _post(officer_client, pdf_upload())
    assert response.status_code == 302
    zoom = Recipient.objects.get(key="zoom")
    assert zoom.processing_agreement_version == "Global DPA 2023"
    assert zoom.processing_agreement_date == timezone.localdate() - datetime.timedelta(days=30)
    assert zoom.processing_agreement_uploaded_by == officer
    stored = files_under(settings.PRIVATE_STORAGE_ROOT)
    assert len(stored) == 1 and stored[0].read_bytes() == PDF_BYTES
    # Never where a web server serves media, and under a name of our own.
    assert files_under(settings.MEDIA_ROOT) == []
    assert stored[0].name != "overeenkomst.pdf"
    assert stored[0].stat().st_mode & 0o077 == 0


def test_the_document_has_no_public_url():
    zoom = Recipient.objects.get(key="zoom")
    zoom.processing_agreement_document.name = "zoom/x.pdf"
    with pytest.raises(ValueError):
        zoom.processing_agreement_document.url  # noqa: B018


@pytest.mark.parametrize(
    "document,message",
    [
        (pdf_upload("overeenkomst.docx", b"PK\x03\x04 word"), "is not a PDF"),
        (pdf_upload("overeenkomst.pdf", b"<html>not a pdf</html>"), "is not a PDF file"),
        (pdf_upload("leeg.pdf", b""), "is empty"),
        (
            pdf_upload("groot.pdf", PDF_BYTES + b"0" * AGREEMENT_MAX_BYTES),
            "an agreement may be at most 10 MB",
        ),
    ],
    ids=["not-pdf-name", "not-pdf-content", "empty", "too-large"],
)
def test_a_wrong_file_gets_a_clear_message_and_nothing_is_saved(
    officer_client, settings, document, message
):
    before = _snapshot()
    with translation.override("en"):
        response = _post(officer_client, document)
        assert response.status_code == 400
        errors = response.context["agreement_form"].errors["document"]
        assert any(message in error for error in errors), errors
        assert message in response.content.decode()
    assert _snapshot() == before
    assert files_under(settings.PRIVATE_STORAGE_ROOT) == []


def test_the_message_is_dutch_by_default(officer_client):
    response = _post(officer_client, pdf_upload("contract.docx", b"PK"))
    assert response.status_code == 400
    assert "contract.docx" in response.content.decode()


def test_a_file_of_exactly_the_limit_is_accepted(officer_client, settings):
    content = PDF_BYTES + b"0" * (AGREEMENT_MAX_BYTES - len(PDF_BYTES))
    assert _post(officer_client, pdf_upload(content=content)).status_code == 302
    (stored,) = files_under(settings.PRIVATE_STORAGE_ROOT)
    assert stored.stat().st_size == AGREEMENT_MAX_BYTES


def test_a_document_is_required_while_there_is_none(officer_client, settings):
    before = _snapshot()
    response = _post(officer_client)
    assert response.status_code == 400
    assert "document" in response.context["agreement_form"].errors
    assert _snapshot() == before


def test_dates_must_make_sense(officer_client, settings):
    today = timezone.localdate()
    response = _post(
        officer_client,
        pdf_upload(),
        signed_on=(today + datetime.timedelta(days=1)).isoformat(),
        review_on=(today + datetime.timedelta(days=365)).isoformat(),
    )
    assert response.status_code == 400
    assert "signed_on" in response.context["agreement_form"].errors
    response = _post(officer_client, pdf_upload(), review_on=(today - datetime.timedelta(days=40)))
    assert "review_on" in response.context["agreement_form"].errors
    assert files_under(settings.PRIVATE_STORAGE_ROOT) == []


def test_a_new_document_replaces_the_old_one_and_the_old_file_goes(
    officer_client, settings, django_capture_on_commit_callbacks
):
    _post(officer_client, pdf_upload())
    (first,) = files_under(settings.PRIVATE_STORAGE_ROOT)
    with django_capture_on_commit_callbacks(execute=True):
        _post(officer_client, pdf_upload(content=PDF_BYTES + b"% v2\n"), version="v2")
    (second,) = files_under(settings.PRIVATE_STORAGE_ROOT)
    assert second != first and second.read_bytes().endswith(b"% v2\n")
    assert Recipient.objects.get(key="zoom").processing_agreement_version == "v2"


def test_without_a_new_document_the_current_one_stays(officer_client, settings):
    _post(officer_client, pdf_upload())
    (stored,) = files_under(settings.PRIVATE_STORAGE_ROOT)
    response = _post(officer_client, version="1.1")
    assert response.status_code == 302
    zoom = Recipient.objects.get(key="zoom")
    assert zoom.processing_agreement_version == "1.1"
    assert files_under(settings.PRIVATE_STORAGE_ROOT) == [stored]


def test_a_failing_write_leaves_no_file_behind(officer, settings, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Recipient, "save", fail)
    with pytest.raises(RuntimeError):
        services.recipient_agreement_record(
            recipient=Recipient.objects.get(key="zoom"),
            signed_on=datetime.date(2025, 1, 1),
            version="1",
            review_on=datetime.date(2026, 1, 1),
            document=pdf_upload(),
            by=officer,
        )
    assert files_under(settings.PRIVATE_STORAGE_ROOT) == []


def test_the_service_refuses_a_wrong_file_too(officer, settings):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.recipient_agreement_record(
            recipient=Recipient.objects.get(key="zoom"),
            signed_on=datetime.date(2025, 1, 1),
            version="1",
            review_on=datetime.date(2026, 1, 1),
            document=pdf_upload("x.pdf", b"MZ\x90\x00"),
            by=officer,
        )
    assert files_under(settings.PRIVATE_STORAGE_ROOT) == []
