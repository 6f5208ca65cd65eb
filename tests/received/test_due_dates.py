"""One rule for the due date: receipt + four weeks (+ days an identity question held
the clock, + an extension's months), for requests recorded by staff and form requests."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from requests_dsar.models import DsarRequest, RequestEvent
from requests_dsar.services import received, workflow
from requests_dsar.services.intake import dsar_request_create, dsar_request_verify
from tests.factories import DataSubjectFactory

AMS = ZoneInfo("Europe/Amsterdam")
pytestmark = pytest.mark.django_db


def at(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=AMS)


def _record_form(**overrides) -> dict:
    data = {
        "channel": "letter",
        "received_at": "2026-03-02T09:15",
        "request_type": "access",
        "details": "Per brief: welke gegevens hebben jullie van mij?",
        "name": "Joost Bakker",
        "email": "joost@example.nl",
        "language": "en",
        "verification_method": "call-back",
        "verification_note": "Teruggebeld op het bekende nummer.",
    }
    data.update(overrides)
    return data


def test_a_letter_is_due_four_weeks_after_it_arrived_at_the_exact_boundary(
    officer_client, mailoutbox
):
    with time_machine.travel(at(2026, 3, 4, 12), tick=False):
        response = officer_client.post(reverse("requests_dsar:staff_record"), _record_form())
    dsar = DsarRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("requests_dsar:staff_detail", kwargs={"pk": dsar.pk})
    assert dsar.received_at == at(2026, 3, 2, 9, 15)
    assert dsar.channel == "letter"
    assert dsar.status == "new"
    assert dsar.due_on == datetime.date(2026, 3, 30)  # from receipt, not from recording
    assert dsar.staff_verification_method == "call-back"
    assert dsar.staff_verified_at is not None
    with time_machine.travel(at(2026, 3, 30, 23, 59, 59), tick=False):
        assert dsar.days_left() == 0
        assert not dsar.is_overdue
    with time_machine.travel(at(2026, 3, 31, 0, 0, 0), tick=False):
        assert dsar.days_left() == -1
        assert dsar.is_overdue
        page = officer_client.get(reverse("staff_dashboard"))
        assert page.context["requests_summary"]["overdue"] == 1
    # The person gets the receipt in their language, with the date it arrived and is due.
    (receipt,) = mailoutbox
    assert receipt.to == ["joost@example.nl"]
    assert "2 March 2026" in receipt.body
    assert "30 March 2026" in receipt.body
    assert "/en/verzoek/status/" in receipt.body
    actions = list(dsar.events.values_list("action", "actor_label"))
    assert actions == [("recorded", "officer"), ("staff-verified", "officer")]


def test_a_phone_request_without_an_address_sends_nothing_and_has_no_status_link(
    officer_client, mailoutbox
):
    with time_machine.travel(at(2026, 3, 4, 12), tick=False):
        officer_client.post(
            reverse("requests_dsar:staff_record"), _record_form(channel="phone", email="")
        )
    dsar = DsarRequest.objects.get()
    assert dsar.email == "" and dsar.status_token_hash == ""
    assert mailoutbox == []
    page = officer_client.get(reverse("requests_dsar:staff_detail", kwargs={"pk": dsar.pk}))
    assert "Received" in page.content.decode() or "Ontvangen" in page.content.decode()
    assert "&lt;&gt;" not in page.content.decode()


@pytest.mark.parametrize(
    ("submitted", "due"),
    [
        (at(2026, 3, 2, 23, 59, 59), datetime.date(2026, 3, 30)),
        (at(2026, 3, 3, 0, 0, 0), datetime.date(2026, 3, 31)),
    ],
)
def test_a_form_request_is_due_four_weeks_after_submission_not_confirmation(submitted, due):
    with time_machine.travel(submitted, tick=False):
        request, token = dsar_request_create(
            request_type="access", name="Sanne de Vries", email="sanne@example.nl", language="nl"
        )
    # Confirmed two and a half days later, within the 72 hours.
    with time_machine.travel(submitted + datetime.timedelta(hours=60), tick=False):
        assert dsar_request_verify(token=token).outcome == "verified"
    request.refresh_from_db()
    assert request.received_at == submitted
    assert request.due_on == request.original_due_on == due


def test_a_form_request_never_confirmed_still_expires_after_72_hours():
    from requests_dsar.services.intake import dsar_requests_expire_unverified

    with time_machine.travel(at(2026, 3, 2, 10), tick=False):
        dsar_request_create(
            request_type="access", name="Sanne de Vries", email="sanne@example.nl", language="nl"
        )
    assert dsar_requests_expire_unverified(now=at(2026, 3, 5, 9, 59)) == 0
    assert dsar_requests_expire_unverified(now=at(2026, 3, 5, 10)) == 1


def test_a_receipt_in_the_future_is_refused_with_a_clear_message_and_nothing_written(
    officer_client, officer
):
    with time_machine.travel(at(2026, 3, 4, 12), tick=False):
        page = officer_client.post(
            reverse("requests_dsar:staff_record"), _record_form(received_at="2026-03-04T12:01")
        )
        assert page.status_code == 200
        # In Dutch, the staff's first language.
        assert "niet in de toekomst" in str(page.context["form"].errors["received_at"])
        with pytest.raises(ValidationError):
            received.dsar_request_record(
                actor=officer,
                channel="email",
                received_at=at(2026, 3, 4, 12, 0, 1),
                request_type="access",
                name="Joost Bakker",
                verification_method="call-back",
            )
        # The present moment itself is fine.
        received.received_at_validate(at(2026, 3, 4, 12))
    assert not DsarRequest.objects.exists()
    assert not RequestEvent.objects.exists()


def test_the_form_is_prefilled_for_a_data_subject_and_links_them(officer_client, mailoutbox):
    subject = DataSubjectFactory(first_name="Iris", last_name="Peters", email="iris@example.nl")
    url = reverse("requests_dsar:staff_record") + f"?subject={subject.pk}"
    page = officer_client.get(url)
    assert page.context["form"].initial["name"] == subject.full_name
    assert page.context["form"].initial["email"] == "iris@example.nl"
    with time_machine.travel(at(2026, 3, 4, 12), tick=False):
        officer_client.post(
            url,
            _record_form(name=subject.full_name, email="iris@example.nl", subject_id=subject.pk),
        )
    dsar = DsarRequest.objects.get()
    assert list(dsar.subjects.all()) == [subject]
    assert (
        officer_client.get(reverse("requests_dsar:staff_record") + "?subject=999999").status_code
        == 404
    )


def test_an_identity_question_holds_the_clock_by_the_days_it_waited(officer, officer_client):
    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        dsar = received.dsar_request_record(
            actor=officer,
            channel="email",
            received_at=at(2026, 3, 2, 8, 30),
            request_type="access",
            name="Joost Bakker",
            email="joost@example.nl",
            verification_method="",  # not checked yet
        )
    assert dsar.due_on == datetime.date(2026, 3, 30)
    assert dsar.needs_staff_verification and dsar.staff_verified_at is None
    with time_machine.travel(at(2026, 3, 10, 11), tick=False):
        officer_client.post(
            reverse(
                "requests_dsar:staff_action", kwargs={"pk": dsar.pk, "action": "identity-question"}
            ),
            {"question": "Welke klantnummer staat op uw laatste factuur?"},
        )
    dsar.refresh_from_db()
    assert dsar.clock_held
    page = officer_client.get(reverse("requests_dsar:staff_detail", kwargs={"pk": dsar.pk}))
    assert 'id="clock-held"' in page.content.decode()
    # While the question waits the request is not overdue, even past its old date.
    with time_machine.travel(at(2026, 4, 1, 9), tick=False):
        assert not dsar.is_overdue
    with time_machine.travel(at(2026, 3, 17, 16), tick=False):
        # Recorded two days after the answer came: the period runs again from the answer.
        officer_client.post(
            reverse(
                "requests_dsar:staff_action", kwargs={"pk": dsar.pk, "action": "identity-answer"}
            ),
            {"answered_at": "2026-03-15T16:00"},
        )
    dsar.refresh_from_db()
    assert not dsar.clock_held
    assert dsar.clock_held_days == 5
    assert dsar.due_on == dsar.original_due_on == datetime.date(2026, 4, 4)
    page = officer_client.get(reverse("requests_dsar:staff_detail", kwargs={"pk": dsar.pk}))
    assert 'id="clock-held-days"' in page.content.decode()
    assert list(dsar.events.values_list("action", flat=True))[-2:] == [
        "identity-question-asked",
        "identity-question-answered",
    ]
    # An extension adds its months to the held date.
    with time_machine.travel(at(2026, 3, 20, 9), tick=False):
        workflow.dsar_request_extend(actor=officer, request=dsar, months=2, reason="Veel gegevens")
    dsar.refresh_from_db()
    assert dsar.due_on == datetime.date(2026, 6, 4)
    assert dsar.original_due_on == datetime.date(2026, 4, 4)


def test_an_answer_on_the_day_of_the_question_holds_nothing(officer):
    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        dsar = received.dsar_request_record(
            actor=officer,
            channel="in-person",
            received_at=at(2026, 3, 2, 8),
            request_type="erasure",
            name="Joost Bakker",
            verification_method="",
        )
        received.identity_question_ask(actor=officer, request=dsar, question="Geboortedatum?")
        with pytest.raises(ValidationError):
            received.identity_question_ask(actor=officer, request=dsar, question="Nogmaals?")
    with time_machine.travel(at(2026, 3, 2, 17), tick=False):
        assert received.identity_question_answer(actor=officer, request=dsar) == 0
    assert dsar.due_on == datetime.date(2026, 3, 30)


def test_subjects_under_the_address_are_linked_and_a_health_check_needs_an_officer(
    staff, officer, staff_client
):
    from tests.factories import TraineeProfileFactory

    subject = DataSubjectFactory(email="iris@example.nl")
    TraineeProfileFactory(participation__participant=subject)  # allergies: special category
    with time_machine.travel(at(2026, 3, 4, 12), tick=False):
        dsar = received.dsar_request_record(
            actor=staff,
            channel="email",
            received_at=at(2026, 3, 3, 16),
            request_type="access",
            name="Iris Peters",
            email="Iris@Example.nl",
            verification_method="known-channel",
        )
    assert list(dsar.subjects.all()) == [subject]
    # A staff member without access to health data cannot vouch for disclosing it.
    assert dsar.needs_staff_verification and dsar.staff_verified_at is None
    assert not dsar.events.filter(action="staff-verified").exists()
    with time_machine.travel(at(2026, 3, 4, 12), tick=False):
        other = received.dsar_request_record(
            actor=officer,
            channel="email",
            received_at=at(2026, 3, 3, 16),
            request_type="access",
            name="Iris Peters",
            email="iris@example.nl",
            verification_method="known-channel",
        )
    assert other.staff_verified_by == officer
    assert other.events.filter(action="staff-verified").exists()


def _unchecked(officer, received_on):
    return received.dsar_request_record(
        actor=officer,
        channel="letter",
        received_at=received_on,
        request_type="access",
        name="Joost Bakker",
        verification_method="",
    )


def test_no_identity_question_once_the_identity_was_checked(officer):
    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        dsar = received.dsar_request_record(
            actor=officer,
            channel="phone",
            received_at=at(2026, 3, 2, 8),
            request_type="access",
            name="Joost Bakker",
            verification_method="call-back",
        )
        with pytest.raises(ValidationError, match="al gecontroleerd"):
            received.identity_question_ask(actor=officer, request=dsar, question="Geboortedatum?")
    dsar.refresh_from_db()
    assert not dsar.clock_held and dsar.identity_question_asked_at is None


def test_no_identity_question_after_the_due_date_to_the_day(officer, officer_client):
    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        dsar = _unchecked(officer, at(2026, 3, 2, 8))
    assert dsar.due_on == datetime.date(2026, 3, 30)
    url = reverse("requests_dsar:staff_detail", kwargs={"pk": dsar.pk})
    with time_machine.travel(at(2026, 3, 30, 23, 59), tick=False):
        assert "action='identity-question'" not in officer_client.get(url).content.decode()
        assert "/identity-question/" in officer_client.get(url).content.decode()
    with time_machine.travel(at(2026, 3, 31, 0, 0), tick=False):
        assert "/identity-question/" not in officer_client.get(url).content.decode()
        with pytest.raises(ValidationError, match="over de uiterste datum"):
            received.identity_question_ask(actor=officer, request=dsar, question="Geboortedatum?")
        assert dsar.is_overdue
    with time_machine.travel(at(2026, 3, 30, 23, 59), tick=False):
        received.identity_question_ask(actor=officer, request=dsar, question="Geboortedatum?")
    assert dsar.clock_held


def test_the_answer_time_is_not_before_the_question_nor_in_the_future(officer, officer_client):
    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        dsar = _unchecked(officer, at(2026, 3, 2, 8))
        received.identity_question_ask(actor=officer, request=dsar, question="Geboortedatum?")
    action = reverse(
        "requests_dsar:staff_action", kwargs={"pk": dsar.pk, "action": "identity-answer"}
    )
    with time_machine.travel(at(2026, 3, 5, 9), tick=False):
        for wrong in ("2026-03-01T09:00", "2026-03-06T09:00", "", "0001-01-01T00:00"):
            response = officer_client.post(action, {"answered_at": wrong}, follow=True)
            assert response.status_code == 200
            errors = [m for m in response.context["messages"] if m.level_tag == "error"]
            assert errors, wrong
    dsar.refresh_from_db()
    assert dsar.clock_held and dsar.clock_held_days == 0


@pytest.mark.parametrize(
    ("received_on", "accepted"),
    [
        (datetime.datetime(2025, 3, 4, 12, 0), True),  # a year ago to the minute
        (datetime.datetime(2025, 3, 4, 11, 59), False),
        (datetime.datetime(1900, 1, 1, 10, 0), False),
        (datetime.datetime(1, 1, 1, 0, 0), False),
    ],
)
def test_a_receipt_more_than_a_year_ago_is_refused(officer_client, received_on, accepted):
    with time_machine.travel(at(2026, 3, 4, 12), tick=False):
        response = officer_client.post(
            reverse("requests_dsar:staff_record"),
            _record_form(received_at=received_on.strftime("%Y-%m-%dT%H:%M")),
        )
    assert response.status_code == (302 if accepted else 200)
    assert DsarRequest.objects.exists() == accepted


def test_staff_may_record_a_request_whose_identity_is_not_checked_yet(officer_client):
    with time_machine.travel(at(2026, 3, 4, 12), tick=False):
        response = officer_client.post(
            reverse("requests_dsar:staff_record"), _record_form(verification_method="not-yet")
        )
    assert response.status_code == 302
    dsar = DsarRequest.objects.get()
    assert dsar.needs_staff_verification and dsar.staff_verified_at is None
    assert dsar.staff_verification_method == ""
    assert not dsar.events.filter(action="staff-verified").exists()


def test_a_request_without_an_e_mail_address_says_how_each_answer_reaches_the_person(
    officer_client, mailoutbox
):
    with time_machine.travel(at(2026, 3, 4, 12), tick=False):
        officer_client.post(reverse("requests_dsar:staff_record"), _record_form(email=""))
    dsar = DsarRequest.objects.get()
    assert mailoutbox == []
    detail = reverse("requests_dsar:staff_detail", kwargs={"pk": dsar.pk})
    page = officer_client.get(detail).content.decode()
    assert 'id="no-email"' in page and 'name="sent_how"' in page
    assert "verified e-mail address" not in page  # that is about form requests

    def act(action, **data):
        url = reverse("requests_dsar:staff_action", kwargs={"pk": dsar.pk, "action": action})
        response = officer_client.post(url, data, follow=True)
        return [str(m) for m in response.context["messages"] if m.level_tag == "error"]

    with time_machine.travel(at(2026, 3, 5, 12), tick=False):
        assert act("extend", months=1, reason="Veel gegevens")  # refused: how does it reach them?
        dsar.refresh_from_db()
        assert dsar.extended_at is None and dsar.status == "new"
        assert not act("extend", months=1, reason="Veel gegevens", sent_how="Brief aan huisadres")
        assert act("reject", justification="Kennelijk ongegrond")
        dsar.refresh_from_db()
        assert dsar.status == "extended"
        assert not act(
            "reject", justification="Kennelijk ongegrond", sent_how="Telefonisch verteld op 5 maart"
        )
    dsar.refresh_from_db()
    assert dsar.status == "rejected"
    assert mailoutbox == []
    trail = list(dsar.events.values_list("action", "note"))
    assert ("sent-otherwise", "Brief aan huisadres") in trail
    assert ("sent-otherwise", "Telefonisch verteld op 5 maart") in trail


def test_with_an_e_mail_address_nothing_more_is_asked(officer_client, mailoutbox):
    with time_machine.travel(at(2026, 3, 4, 12), tick=False):
        officer_client.post(reverse("requests_dsar:staff_record"), _record_form())
    dsar = DsarRequest.objects.get()
    page = officer_client.get(reverse("requests_dsar:staff_detail", kwargs={"pk": dsar.pk}))
    assert 'name="sent_how"' not in page.content.decode()
    with time_machine.travel(at(2026, 3, 5, 12), tick=False):
        officer_client.post(
            reverse("requests_dsar:staff_action", kwargs={"pk": dsar.pk, "action": "reject"}),
            {"justification": "Kennelijk ongegrond"},
        )
    dsar.refresh_from_db()
    assert dsar.status == "rejected"
    assert not dsar.events.filter(action="sent-otherwise").exists()
    assert [m.to for m in mailoutbox][-1] == ["joost@example.nl"]
