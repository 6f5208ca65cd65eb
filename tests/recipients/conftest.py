"""Shared helpers of the recipient tests: private storage in a temporary folder, PDF
uploads, and recipients put in order so one condition at a time can be tested."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from processing.models import Recipient, RecipientCheck

# The smallest thing that starts like a PDF; the upload check reads the first bytes.
PDF_BYTES = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.PRIVATE_STORAGE_ROOT


def pdf_upload(name: str = "overeenkomst.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def files_under(root) -> list:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def recipients_in_order(today: datetime.date) -> None:
    """Every recipient with an agreement on file (review in 200 days), its transfer
    evidence, and a check whose next one is due in 100 days: nothing needs attention."""
    Recipient.objects.update(
        processing_agreement_date=today - datetime.timedelta(days=100),
        processing_agreement_version="1.0",
        processing_agreement_document="demo/in-order.pdf",
        next_review_on=today + datetime.timedelta(days=200),
        dpf_checked_on=today - datetime.timedelta(days=10),
        dpf_listed_as="Listed Inc.",
        scc_module="2",
        scc_version="2021/914",
        transfer_assessment_on=today - datetime.timedelta(days=10),
    )
    for recipient in Recipient.objects.all():
        RecipientCheck.objects.create(
            recipient=recipient,
            checked_on=today - datetime.timedelta(days=10),
            checked_by_name="M. Jansen",
            outcome="compliant",
            findings="In orde.",
            next_check_on=today + datetime.timedelta(days=100),
        )
