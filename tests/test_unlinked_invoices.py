"""An invoice to an individual may be stored with neither data subject nor organisation
(typed in from the bookkeeping). A verified rights request from the invoice's e-mail
address finds it like every other row of the person; an invoice to an organisation,
sent to its billing address, is not a person's and stays where it is. New invoices name
whom they are for."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from requests_dsar.fulfilment.access import access_report_data
from requests_dsar.fulfilment.erasure import erasure_carry_out
from requests_dsar.services.intake import dsar_request_create, dsar_request_verify
from subjects.models import AuditEvent, DataSubject, Invoice
from tests import factories as f

pytestmark = pytest.mark.django_db

ORPHAN = "orphan@example.nl"


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"


def _invoice_to_an_individual(**fields) -> Invoice:
    values = dict(
        subject=None,
        organisation=None,
        email="Orphan@Example.nl",
        billing_name="Olga Orphan",
        bank_account="NL91ABNA0417164300",
    )
    values.update(fields)
    return f.InvoiceFactory(**values)


def _verified_request(request_type: str, email: str = ORPHAN):
    _, token = dsar_request_create(
        request_type=request_type, name="Olga Orphan", email=email, language="nl"
    )
    result = dsar_request_verify(token=token)
    assert result.outcome == "verified"
    return result.request


def test_an_access_request_finds_an_invoice_stored_without_data_subject_or_organisation():
    invoice = _invoice_to_an_individual()
    request = _verified_request("access")
    subject = request.subjects.get()
    invoice.refresh_from_db()
    assert invoice.subject == subject
    assert subject.email == ORPHAN
    assert AuditEvent.objects.filter(
        subject=subject, action="subject.link-unlinked-rows", target="subjects.Invoice"
    ).exists()
    sections = {s["model"]: s for s in access_report_data(request)["data"]}
    rows = sections["subjects.Invoice"]["rows"]
    assert [row["bank_account"] for row in rows] == ["NL91ABNA0417164300"]


def test_an_invoice_to_an_organisation_is_not_linked_to_whoever_uses_its_address():
    organisation = f.OrganisationFactory()
    invoice = _invoice_to_an_individual(organisation=organisation, email=ORPHAN)
    request = _verified_request("access")
    invoice.refresh_from_db()
    assert invoice.subject is None
    assert not request.subjects.exists()
    assert not DataSubject.objects.filter(email=ORPHAN).exists()


def test_an_erasure_request_keeps_the_found_invoice_restricted_for_the_tax_office():
    invoice = _invoice_to_an_individual()
    request = _verified_request("erasure")
    erasure_carry_out(actor=None, request=request)
    invoice.refresh_from_db()
    assert invoice.restricted_at is not None
    assert invoice.subject == request.subjects.get()


def test_an_invoice_needs_a_data_subject_or_an_organisation():
    invoice = f.InvoiceFactory.build(subject=None, organisation=None, email=ORPHAN)
    with pytest.raises(ValidationError) as error:
        invoice.full_clean()
    assert set(error.value.message_dict) >= {"subject", "organisation"}
    invoice.organisation = f.OrganisationFactory()
    invoice.full_clean()
    invoice.organisation = None
    invoice.subject = f.DataSubjectFactory()
    invoice.full_clean()


def test_the_admin_refuses_an_invoice_for_nobody_and_saves_nothing(officer_client):
    response = officer_client.post(
        "/admin/subjects/invoice/add/",
        {
            "number": "F2026-001",
            "issued_on": "2026-11-20",
            "billing_name": "Olga Orphan",
            "street_address": "Dorpsstraat 1",
            "postcode": "7001AA",
            "city": "Doetinchem",
            "email": ORPHAN,
            "amount": "100.00",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert "Een factuur is voor een betrokkene of een organisatie" in response.content.decode()
    assert not Invoice.objects.exists()


def test_an_invoice_to_an_organisation_saved_in_the_admin_links_nobody(officer_client):
    organisation = f.OrganisationFactory()
    message = f.ContactMessageFactory(
        subject=None, first_name="Fin", last_name="Ance", email="finance@oostgelre.example.nl"
    )
    response = officer_client.post(
        "/admin/subjects/invoice/add/",
        {
            "number": "F2026-002",
            "organisation": organisation.pk,
            "issued_on": "2026-11-20",
            "billing_name": "Gemeente Oost Gelre",
            "street_address": "Raadhuisstraat 1",
            "postcode": "7141AB",
            "city": "Groenlo",
            "email": "finance@oostgelre.example.nl",
            "amount": "100.00",
        },
    )
    assert response.status_code == 302
    assert Invoice.objects.get().subject is None
    message.refresh_from_db()
    assert message.subject is None
    assert not DataSubject.objects.exists()
