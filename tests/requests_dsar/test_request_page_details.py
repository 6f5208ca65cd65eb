"""Details of the request pages: staff errors name fields by their label, no working
token in the 405 log, lifting a restriction (not told in the future, only this request's
own restriction), and consent choices that say what is withdrawn."""

from __future__ import annotations

import datetime
import logging

import pytest
from django.utils import timezone

from requests_dsar.models import DsarRequest
from subjects.models import DataSubject
from subjects.registry import LEGAL_HOLD_GROUND
from tests import factories as f
from tests.requests_dsar.conftest import links_in
from tests.requests_dsar.factories import verified_request

pytestmark = pytest.mark.django_db


def test_staff_error_messages_name_the_field_by_its_label(desk):
    dsar = verified_request(right="restriction")
    errors = desk.errors_after(dsar, "lift", informed_on="gisteren", informed_how="")
    assert any(e.startswith("De betrokkene is ingelicht op: ") for e in errors), errors
    assert any(e.startswith("Hoe de betrokkene is ingelicht: ") for e in errors), errors
    assert not any("informed_on" in e or "informed_how" in e for e in errors)
    errors = desk.errors_after(dsar, "reject", justification="")
    assert errors and not any(e.startswith("justification") for e in errors), errors


def test_the_405_log_of_a_verification_link_holds_no_working_token(person, caplog):
    sanne = person()
    sanne.submit("access")
    link = links_in(sanne.mails()[-1])[0]
    token = link.rstrip("/").rsplit("/", 1)[1]
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = sanne.client.put(link)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, POST"
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "Method Not Allowed" in logged
    assert token not in logged
    # The link still works afterwards.
    assert sanne.client.get(link).status_code == 200


def _restricted_request(desk, email="sanne@example.nl") -> DsarRequest:
    dsar = verified_request(email=email, right="restriction", details="Klopt niet")
    desk.act(dsar, "restrict", ground="a")
    return dsar


def test_a_restriction_cannot_be_lifted_with_a_day_of_telling_in_the_future(desk):
    subject = f.DataSubjectFactory(email="sanne@example.nl")
    dsar = _restricted_request(desk)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    errors = desk.errors_after(dsar, "lift", informed_on=tomorrow, informed_how="telefoon")
    assert any("toekomst" in e for e in errors), errors
    subject.refresh_from_db()
    assert subject.restricted_at is not None
    desk.act(dsar, "lift", informed_on=timezone.localdate(), informed_how="telefoon")
    subject.refresh_from_db()
    assert subject.restricted_at is None


def test_lifting_lifts_only_what_this_request_restricted(desk):
    subject = f.DataSubjectFactory(email="sanne@example.nl")
    earlier = f.NewsletterSubscriptionFactory(subject=subject)
    invoice = f.InvoiceFactory(subject=subject)
    type(earlier).objects.filter(pk=earlier.pk).update(
        restricted_at=timezone.now(), restriction_ground="Art. 18 AVG (V-EARLIER) onjuist"
    )
    type(invoice).objects.filter(pk=invoice.pk).update(
        restricted_at=timezone.now(), restriction_ground=f"{LEGAL_HOLD_GROUND} AVG: fiscal"
    )
    dsar = _restricted_request(desk)
    letter = f.ContactMessageFactory(subject=subject)
    type(letter).objects.filter(pk=letter.pk).update(
        restricted_at=timezone.now(), restriction_ground=f"Art. 18 AVG ({dsar.reference}) x"
    )
    desk.act(dsar, "lift", informed_on=timezone.localdate(), informed_how="telefoon")
    earlier.refresh_from_db()
    invoice.refresh_from_db()
    letter.refresh_from_db()
    assert earlier.restriction_ground == "Art. 18 AVG (V-EARLIER) onjuist"
    assert invoice.restriction_ground.startswith(LEGAL_HOLD_GROUND)
    assert letter.restricted_at is None
    assert DataSubject.objects.get(pk=subject.pk).restricted_at is None


def test_consent_choices_say_what_is_withdrawn(client):
    page = client.get("/verzoek/").content.decode()
    assert "allergieën" in page  # the traineeship consent by its wording
    english = client.get("/en/verzoek/").content.decode()
    assert "allergies" in english


def test_an_outsider_cannot_lift_a_restriction(desk, outsider_client):
    subject = f.DataSubjectFactory(email="sanne@example.nl")
    dsar = _restricted_request(desk)
    response = outsider_client.post(
        f"/staff/requests/{dsar.pk}/lift/",
        {"informed_on": timezone.localdate(), "informed_how": "telefoon"},
    )
    assert response.status_code == 403
    subject.refresh_from_db()
    assert subject.restricted_at is not None


def test_the_request_trail_names_automatic_steps_in_the_staff_members_language(
    person, officer_client
):
    from requests_dsar.models import DsarRequest

    sanne = person()
    sanne.submit("access")
    sanne.verify()  # the verification is recorded by no staff member
    dsar = DsarRequest.objects.get()
    page = officer_client.get(f"/staff/requests/{dsar.pk}/").content.decode()
    assert "systeem (automatisch)" in page
    english = officer_client.get(f"/en/staff/requests/{dsar.pk}/").content.decode()
    assert "system (automatic)" in english
