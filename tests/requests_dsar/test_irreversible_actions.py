"""An erasure, a consent withdrawal on a request and an upheld objection cannot be
undone: staff first read what will go (kinds of data and how many, what the law keeps),
nothing changes until they confirm, and once carried out the action is no longer
offered and a repeated post is refused with nothing changed."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone, translation

from processing.models import Consent
from requests_dsar.models import DsarRequest, ErasureRecord, RequestEvent
from subjects.models import BrochureRequest, ContactMessage, DataSubject, Invoice
from tests import factories as f
from tests.requests_dsar.factories import verified_request

pytestmark = pytest.mark.django_db


def _url(dsar, action: str) -> str:
    return f"/staff/requests/{dsar.pk}/{action}/"


def _plural(model) -> str:
    return str(model._meta.verbose_name_plural)


def _snapshot() -> tuple:
    return (
        DataSubject.objects.count(),
        ContactMessage.objects.count(),
        Invoice.objects.count(),
        BrochureRequest.objects.count(),
        ErasureRecord.objects.count(),
        RequestEvent.objects.count(),
        Consent.objects.filter(withdrawn_at__isnull=False).count(),
    )


@pytest.fixture
def erasure():
    subject = f.DataSubjectFactory(email="sanne@example.nl")
    f.ContactMessageFactory(subject=subject)
    f.ContactMessageFactory(subject=subject)
    f.InvoiceFactory(subject=subject, issued_on=timezone.localdate() - datetime.timedelta(days=30))
    return verified_request(right="erasure")


def test_an_erasure_names_what_will_go_and_changes_nothing_before_it_is_confirmed(
    staff_client, erasure
):
    before = _snapshot()
    response = staff_client.post(_url(erasure, "erase"))
    assert response.status_code == 200
    assert _snapshot() == before
    preview = response.context["preview"]
    assert f"{_plural(ContactMessage)}: 2 registraties worden verwijderd" in preview.goes
    assert any(
        line.startswith(f"{_plural(Invoice)}: 1 registratie blijft") for line in preview.stays
    )
    html = response.content.decode()
    assert "Dit kan niet ongedaan worden gemaakt." in html
    assert 'name="confirmed" value="yes"' in html
    with translation.override("en"):
        english = staff_client.post("/en" + _url(erasure, "erase")).content.decode()
    assert "contact messages: 2 records will be erased" in english
    assert _snapshot() == before


def test_once_carried_out_an_erasure_is_not_offered_and_a_second_post_changes_nothing(
    staff_client, erasure
):
    assert staff_client.post(_url(erasure, "erase"), {"confirmed": "yes"}).status_code == 302
    assert ContactMessage.objects.count() == 0 and ErasureRecord.objects.count() == 1
    page = staff_client.get(f"/staff/requests/{erasure.pk}/").content.decode()
    assert _url(erasure, "erase") not in page
    assert "Uitgevoerd: dit kan niet nog een keer." in page
    before = _snapshot()
    for data in ({}, {"confirmed": "yes"}):
        response = staff_client.post(_url(erasure, "erase"), data, follow=True)
        errors = [str(m) for m in response.context["messages"] if m.level_tag == "error"]
        assert len(errors) == 1 and errors[0].startswith("Geweigerd: dit is al uitgevoerd op ")
        assert errors[0].endswith("Er is niets gewijzigd.")
    assert _snapshot() == before


def test_only_staff_who_handle_requests_can_confirm(outsider_client, client, staff_client, erasure):
    before = _snapshot()
    assert outsider_client.post(_url(erasure, "erase"), {"confirmed": "yes"}).status_code == 403
    assert client.post(_url(erasure, "erase"), {"confirmed": "yes"}).status_code == 302
    assert _snapshot() == before
    assert staff_client.post(_url(erasure, "erase"), {"confirmed": "yes"}).status_code == 302
    assert ErasureRecord.objects.count() == 1


def test_an_erasure_that_would_be_refused_is_refused_before_asking(staff_client):
    dsar = verified_request(right="erasure")  # no data subject with this address
    response = staff_client.post(_url(dsar, "erase"), follow=True)
    assert "preview" not in response.context
    errors = [str(m) for m in response.context["messages"] if m.level_tag == "error"]
    assert errors and "Er is geen betrokkene gekoppeld" in errors[0]


def test_a_consent_withdrawal_names_the_consents_and_what_rests_on_them(staff_client):
    subscription = f.NewsletterSubscriptionFactory(subject__email="sanne@example.nl")
    dsar = verified_request(right="consent-withdrawal", activities=["newsletter"])
    before = _snapshot()
    response = staff_client.post(_url(dsar, "withdraw-consent"))
    assert _snapshot() == before
    preview = response.context["preview"]
    assert "1 toestemming wordt ingetrokken (Nieuwsbrief)" in preview.other
    assert any(line.startswith("1 nieuwsbriefinschrijving stopt meteen") for line in preview.goes)
    staff_client.post(_url(dsar, "withdraw-consent"), {"confirmed": "yes"})
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is not None
    page = staff_client.get(f"/staff/requests/{dsar.pk}/").content.decode()
    assert _url(dsar, "withdraw-consent") not in page
    before = _snapshot()
    response = staff_client.post(_url(dsar, "withdraw-consent"), {"confirmed": "yes"}, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert _snapshot() == before


def _objection() -> DsarRequest:
    f.BrochureRequestFactory(subject__email="sanne@example.nl")
    return verified_request(
        right="objection", objection_kind="legitimate-interest", activities=["brochure"]
    )


def test_upholding_an_objection_asks_first_and_overruling_does_not(staff_client):
    dsar = _objection()
    data = {"decision": "upheld", "reasons": "Geen zwaarder belang."}
    before = _snapshot()
    response = staff_client.post(_url(dsar, "objection-decision"), data)
    assert response.status_code == 200 and _snapshot() == before
    goes = response.context["preview"].goes
    assert goes == [f"{_plural(BrochureRequest)}: 1 registratie wordt verwijderd"]
    # The confirmation carries the decision and the reasons as typed.
    html = response.content.decode()
    assert 'name="reasons" value="Geen zwaarder belang."' in html
    assert staff_client.post(_url(dsar, "objection-decision"), {**data, "confirmed": "yes"})
    assert BrochureRequest.objects.count() == 0
    page = staff_client.get(f"/staff/requests/{dsar.pk}/").content.decode()
    assert _url(dsar, "objection-decision") not in page
    before = _snapshot()
    response = staff_client.post(
        _url(dsar, "objection-decision"), {**data, "confirmed": "yes"}, follow=True
    )
    errors = [str(m) for m in response.context["messages"] if m.level_tag == "error"]
    assert errors == [
        "Geweigerd: over dit bezwaar is al besloten (bezwaar toegewezen: de verwerking stopt). "
        "Er is niets gewijzigd."
    ]
    assert _snapshot() == before

    other = _objection_overruled()
    response = staff_client.post(
        _url(other, "objection-decision"), {"decision": "overruled", "reasons": "Zwaarder belang."}
    )
    assert response.status_code == 302
    assert DsarRequest.objects.get(pk=other.pk).objection_decision == "overruled"


def _objection_overruled() -> DsarRequest:
    f.BrochureRequestFactory(subject__email="joost@example.nl")
    return verified_request(
        email="joost@example.nl",
        right="objection",
        objection_kind="legitimate-interest",
        activities=["brochure"],
    )
