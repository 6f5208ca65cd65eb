"""The demo has realistic values for every recipient: an agreement with its PDF in
private storage, the evidence of every transfer outside the EEA and a compliance check;
Zoom's check is overdue and E2Grow's review is due, so the dashboard shows both."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from processing.models import Recipient, RecipientCheck
from tests.recipients.conftest import files_under

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", stdout=io.StringIO())


def test_every_recipient_has_an_agreement_with_its_pdf_and_a_check(demo, settings):
    today = timezone.localdate()
    for recipient in Recipient.objects.all():
        assert recipient.processing_agreement_date < today, recipient.key
        assert recipient.processing_agreement_version, recipient.key
        assert recipient.next_review_on > today, recipient.key
        document = recipient.processing_agreement_document
        with document.storage.open(document.name, "rb") as file:
            text = PdfReader(file).pages[0].extract_text()
        assert recipient.name in text and recipient.processing_agreement_version in text
        assert recipient.checks.exists(), recipient.key
        assert recipient.transfer_evidence_missing() == [], recipient.key
    assert files_under(settings.MEDIA_ROOT) == []
    assert len(files_under(settings.PRIVATE_STORAGE_ROOT)) == Recipient.objects.count()


def test_outside_the_eu_the_evidence_is_realistic(demo):
    zoom = Recipient.objects.get(key="zoom")
    assert (zoom.transfer_mechanism, zoom.dpf_listed_as) == (
        "dpf",
        "Zoom Video Communications, Inc.",
    )
    assert Recipient.objects.get(key="microsoft-365").dpf_listed_as == "Microsoft Corporation"
    gallup = Recipient.objects.get(key="gallup")
    assert (gallup.scc_module, gallup.scc_version) == ("2", "Uitvoeringsbesluit (EU) 2021/914")
    assert gallup.transfer_assessment_on is not None


def test_the_dashboard_shows_zooms_overdue_check_and_e2grows_review(demo, staff_client):
    with translation.override("en"):
        recipients = staff_client.get(reverse("staff_dashboard")).context["recipients"]
    assert {r.key: [i.code for i in r.attention] for r in recipients} == {
        "zoom": ["check-overdue"],
        "e2grow": ["review-due"],
    }


def test_the_demo_agreement_can_be_downloaded(demo, staff_client):
    response = staff_client.get(reverse("recipients:agreement_document", args=["gallup"]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_loading_again_changes_nothing_and_keeps_what_staff_recorded(demo, settings):
    files = files_under(settings.PRIVATE_STORAGE_ROOT)
    Recipient.objects.filter(key="zoom").update(processing_agreement_version="eigen versie")
    before = list(Recipient.objects.order_by("pk").values())
    checks = RecipientCheck.objects.count()
    call_command("load_demo", stdout=io.StringIO())
    assert list(Recipient.objects.order_by("pk").values()) == before
    assert RecipientCheck.objects.count() == checks
    assert files_under(settings.PRIVATE_STORAGE_ROOT) == files
