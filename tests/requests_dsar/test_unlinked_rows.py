"""Rows stored with a person's e-mail address but no data subject (a contact message or
brochure request entered without one) are found by a rights request from that address,
and linked when entered through the admin."""

from __future__ import annotations

import pytest

from requests_dsar.models import DsarRequest
from subjects.models import AuditEvent, BrochureRequest, ContactMessage, Correspondence, DataSubject
from subjects.services import unlinked_rows_adopt
from tests import factories as f

pytestmark = pytest.mark.django_db

ORPHAN = "orphan@example.nl"


def _unlinked_rows():
    message = f.ContactMessageFactory(
        subject=None, first_name="Olga", last_name="Wees", email="Orphan@Example.nl"
    )
    brochure = f.BrochureRequestFactory(
        subject=None, first_name="Olga", last_name="Wees", email=ORPHAN
    )
    mail = f.CorrespondenceFactory(subject=None, counterpart_email=ORPHAN)
    return message, brochure, mail


def test_an_access_request_finds_rows_stored_without_a_data_subject(person, desk):
    message, brochure, mail = _unlinked_rows()
    other = f.ContactMessageFactory(
        subject=None, first_name="Ali", last_name="Bos", email="someone.else@example.nl"
    )
    olga = person(ORPHAN, name="Olga Wees")
    olga.submit("access")
    olga.verify()
    dsar = DsarRequest.objects.get()
    subject = dsar.subjects.get()
    assert (subject.first_name, subject.last_name, subject.email) == ("Olga", "Wees", ORPHAN)
    for row in (message, brochure, mail):
        row.refresh_from_db()
        assert row.subject == subject
    other.refresh_from_db()
    assert other.subject is None
    assert (
        AuditEvent.objects.filter(subject=subject, action="subject.link-unlinked-rows").count() == 3
    )
    desk.act(dsar, "access")
    draft = (
        desk.client.get(f"/staff/requests/{dsar.pk}/")
        .context["forms"]["complete"]
        .initial["answer"]
    )
    assert "geen gegevens" not in draft


def test_an_erasure_request_erases_rows_stored_without_a_data_subject(person, desk):
    message, brochure, mail = _unlinked_rows()
    olga = person(ORPHAN, name="Olga Wees")
    olga.submit("erasure")
    olga.verify()
    desk.act(DsarRequest.objects.get(), "erase")
    assert not ContactMessage.objects.filter(pk=message.pk).exists()
    assert not BrochureRequest.objects.filter(pk=brochure.pk).exists()
    kept = Correspondence.objects.get(pk=mail.pk)  # business e-mail: fiscal hold
    assert kept.restricted_at is not None


def test_unlinked_rows_join_the_data_subject_who_already_has_that_address():
    known = f.DataSubjectFactory(email=ORPHAN)
    message, brochure, mail = _unlinked_rows()
    assert unlinked_rows_adopt(actor=None, email=" ORPHAN@example.nl ") == known
    assert DataSubject.objects.filter(email=ORPHAN).count() == 1
    assert set(known.contact_messages.all()) == {message}
    assert unlinked_rows_adopt(actor=None, email=ORPHAN) is None  # nothing left to link


def test_a_row_without_a_name_gives_the_new_data_subject_the_address_as_name():
    f.CorrespondenceFactory(subject=None, counterpart_email="j.jansen@example.nl")
    subject = unlinked_rows_adopt(actor=None, email="j.jansen@example.nl")
    assert (subject.first_name, subject.email) == ("j.jansen", "j.jansen@example.nl")


def test_a_contact_message_entered_in_the_admin_without_a_person_is_linked(officer_client):
    response = officer_client.post(
        "/admin/subjects/contactmessage/add/",
        {
            "channel": "email",
            "first_name": "Olga",
            "last_name": "Wees",
            "email": ORPHAN,
            "message": "Bel me terug",
            "language": "nl",
            "received_at_0": "2026-11-20",
            "received_at_1": "10:00:00",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    message = ContactMessage.objects.get()
    assert message.subject is not None and message.subject.email == ORPHAN
