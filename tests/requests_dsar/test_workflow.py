"""Due dates, extension, rejection, duplicates, manual linking, reminders, restriction
lifting and the newsletter selector."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.utils import timezone

from requests_dsar.fulfilment.restriction import restriction_apply, restriction_lift
from requests_dsar.models import DsarRequest, Status
from requests_dsar.services import workflow
from requests_dsar.tasks import send_due_date_reminders
from subjects.models import AuditEvent, DataSubject
from subjects.selectors import data_subjects_for_export, newsletter_recipients
from tests import factories as f
from tests.requests_dsar.factories import verified_request

pytestmark = pytest.mark.django_db


def test_the_due_date_is_four_weeks_after_verification(settings):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC)):
        dsar = verified_request()
    assert dsar.due_on == datetime.date(2026, 3, 30)
    assert settings.DSAR_RESPONSE_DAYS == 28


def test_an_extension_needs_a_reason_and_is_told_to_the_requester(officer, mailoutbox):
    dsar = verified_request()
    with pytest.raises(ValidationError):
        workflow.dsar_request_extend(actor=officer, request=dsar, months=2, reason="  ")
    with pytest.raises(ValidationError):
        workflow.dsar_request_extend(actor=officer, request=dsar, months=3, reason="Veel data")
    workflow.dsar_request_extend(actor=officer, request=dsar, months=2, reason="Veel archieven")
    dsar.refresh_from_db()
    assert dsar.status == Status.EXTENDED
    assert dsar.due_on == dsar.original_due_on + relativedelta(months=2)
    mail = mailoutbox[-1]
    assert "Veel archieven" in mail.body and "Autoriteit Persoonsgegevens" in mail.body
    with pytest.raises(ValidationError):  # only once
        workflow.dsar_request_extend(actor=officer, request=dsar, months=1, reason="Nog meer")


def test_an_extension_is_refused_after_the_first_four_weeks(officer, officer_client):
    dsar = verified_request()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=29)):
        assert not workflow.extension_allowed(dsar)
        with pytest.raises(ValidationError):
            workflow.dsar_request_extend(actor=officer, request=dsar, months=1, reason="Laat")
        page = officer_client.get(f"/staff/requests/{dsar.pk}/")
        assert "Verlengen en de verzoeker inlichten" not in page.content.decode()
    dsar.refresh_from_db()
    assert dsar.extended_at is None


def test_a_rejection_needs_a_justification_and_names_complaint_and_court(
    officer, mailoutbox, client
):
    dsar = verified_request()
    with pytest.raises(ValidationError):
        workflow.dsar_request_reject(actor=officer, request=dsar, justification="")
    workflow.dsar_request_reject(
        actor=officer, request=dsar, justification="Kennelijk ongegrond: herhaald verzoek."
    )
    dsar.refresh_from_db()
    assert dsar.status == Status.REJECTED
    body = mailoutbox[-1].body
    assert "Kennelijk ongegrond" in body
    assert "Autoriteit Persoonsgegevens" in body and "rechter" in body


def test_a_duplicate_is_closed_with_a_reference_to_the_original(officer_client):
    first = verified_request()
    second = verified_request()
    officer_client.post(f"/staff/requests/{second.pk}/duplicate/", {"original": first.reference})
    second.refresh_from_db()
    assert second.status == Status.DUPLICATE and second.duplicate_of == first


def test_staff_link_a_subject_by_hand_when_the_address_differs(officer_client):
    subject = f.DataSubjectFactory(email="werk@bedrijf.nl", last_name="Jansen")
    dsar = verified_request(email="prive@example.nl")
    assert not dsar.subjects.exists()
    found = officer_client.get(f"/staff/requests/{dsar.pk}/", {"q": "Jansen"})
    assert subject in found.context["candidates"]
    officer_client.post(f"/staff/requests/{dsar.pk}/link/", {"subject_id": subject.pk})
    assert list(dsar.subjects.all()) == [subject]
    assert dsar.events.filter(action="subject-linked").exists()


def test_verification_links_subjects_by_their_verified_address_automatically():
    subject = f.DataSubjectFactory(email="sanne@example.nl")
    f.DataSubjectFactory(email="iemand.anders@example.nl")
    dsar = verified_request(email="Sanne@Example.nl")
    assert list(dsar.subjects.all()) == [subject]


def test_staff_are_reminded_of_requests_due_within_the_reminder_window(mailoutbox, settings):
    settings.DSAR_REMINDER_DAYS = 7
    dsar = verified_request()
    assert send_due_date_reminders() == 0
    with time_machine.travel(timezone.now() + datetime.timedelta(days=22)):
        assert send_due_date_reminders() == 1
        assert send_due_date_reminders() == 0  # once a day
    reminder = mailoutbox[-1]
    assert settings.STAFF_NOTIFICATION_EMAIL in reminder.to
    assert dsar.reference in reminder.body


def test_lifting_a_restriction_requires_that_the_person_was_told_first(officer):
    subject = f.DataSubjectFactory(email="sanne@example.nl")
    subscription = f.NewsletterSubscriptionFactory(subject=subject)
    invoice = f.InvoiceFactory(subject=subject)
    dsar = verified_request(right="restriction")
    restriction_apply(actor=officer, request=dsar, ground="a")
    subscription.refresh_from_db()
    assert subscription.restricted_at is not None
    with pytest.raises(ValidationError):
        restriction_lift(actor=officer, request=dsar, informed_on=None, informed_how="")
    subscription.refresh_from_db()
    assert subscription.restricted_at is not None
    # A row restricted under a legal hold keeps that restriction.
    type(invoice).objects.filter(pk=invoice.pk).update(restriction_ground="Art. 17(3)(b): fiscal")
    restriction_lift(
        actor=officer, request=dsar, informed_on=timezone.localdate(), informed_how="e-mail"
    )
    subscription.refresh_from_db()
    invoice.refresh_from_db()
    subject.refresh_from_db()
    assert subscription.restricted_at is None and subject.restricted_at is None
    assert invoice.restricted_at is not None
    assert AuditEvent.objects.filter(action="subject.restriction-lift", subject=subject).exists()


def test_newsletter_recipients_leave_out_restricted_objected_and_unsubscribed_people():
    active = f.NewsletterSubscriptionFactory()
    unsubscribed = f.NewsletterSubscriptionFactory(unsubscribed_at=timezone.now())
    objected = f.NewsletterSubscriptionFactory()
    restricted_person = f.NewsletterSubscriptionFactory()
    # Objected or restricted after subscribing (the objection path stops the newsletter
    # too; the selector must hold even where a row escaped that).
    DataSubject.objects.filter(pk=objected.subject_id).update(marketing_objection_at=timezone.now())
    DataSubject.objects.filter(pk=restricted_person.subject_id).update(restricted_at=timezone.now())
    restricted_row = f.NewsletterSubscriptionFactory(restricted_at=timezone.now())
    recipients = set(newsletter_recipients())
    assert recipients == {active}
    assert not recipients & {unsubscribed, objected, restricted_person, restricted_row}
    assert restricted_person.subject not in data_subjects_for_export()
    assert active.subject in data_subjects_for_export()


def test_a_completed_answer_appears_on_the_status_page(person, desk):
    sanne = person()
    sanne.submit("access")
    status_path = sanne.verify()
    dsar = DsarRequest.objects.get()
    desk.act(dsar, "access")
    draft = desk.complete(dsar)
    page = sanne.client.get(status_path).content.decode()
    assert "Ons antwoord" in page and draft.splitlines()[0] in page
    assert "data.json" in page and "rechter" in page


def test_a_request_about_someone_we_hold_nothing_on_is_answered_as_such(person, desk):
    stranger = person("onbekend@example.nl")
    stranger.submit("rectification", details="Mijn naam is verkeerd gespeld.")
    stranger.verify()
    dsar = DsarRequest.objects.get()
    desk.act(dsar, "no-data")
    answer = desk.complete(dsar)
    assert "geen gegevens" in answer


def test_an_erasure_cannot_be_carried_out_twice(officer):
    from requests_dsar.fulfilment.erasure import erasure_carry_out

    f.DataSubjectFactory(email="sanne@example.nl")
    dsar = verified_request(right="erasure")
    erasure_carry_out(actor=officer, request=dsar)
    with pytest.raises(ValidationError):
        erasure_carry_out(actor=officer, request=dsar)


def test_absurd_numbers_in_staff_urls_and_forms_are_not_found(officer_client):
    dsar = verified_request()
    huge = 10**30
    assert officer_client.get(f"/staff/requests/{huge}/").status_code == 404
    response = officer_client.post(f"/staff/requests/{dsar.pk}/link/", {"subject_id": huge})
    assert response.status_code == 302
    assert not dsar.subjects.exists()


def test_a_status_download_with_an_absurd_package_number_is_refused(person, desk):
    sanne = person()
    sanne.submit("access")
    status_path = sanne.verify()
    dsar = DsarRequest.objects.get()
    desk.act(dsar, "access")
    desk.complete(dsar)
    response = sanne.client.get(f"{status_path}bestand/{10**30}/data.json")
    assert response.status_code == 404
