"""Closed requests are not kept whole for ever: the status link stops
a set time after closing, and a closed request of someone no longer held is reduced to
its outline after DSAR_PROOF_MONTHS, at the exact boundary."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from dateutil.relativedelta import relativedelta

from processing.models import Recipient
from requests_dsar.models import DsarRequest, RecipientTask, RequestEvent, Status
from requests_dsar.services.events import request_event_record
from requests_dsar.services.minimise import closed_requests_minimise
from requests_dsar.services.workflow import dsar_request_reject
from tests import factories as f
from tests.retention.conftest import utc

pytestmark = pytest.mark.django_db

CLOSED_AT = utc(2026, 3, 31, 9, 30)
SECOND = datetime.timedelta(seconds=1)


def _rejected(person, email="sanne@example.nl") -> tuple[DsarRequest, str]:
    sanne = person(email)
    with time_machine.travel(CLOSED_AT - datetime.timedelta(days=2), tick=False):
        sanne.submit("restriction", details="Mijn adres Hoofdstraat 1 klopt niet.")
        status_path = sanne.verify()
    dsar = DsarRequest.objects.get(email=email)
    with time_machine.travel(CLOSED_AT, tick=False):
        dsar_request_reject(actor=None, request=dsar, justification="Sanne, dit is onterecht.")
    dsar.refresh_from_db()
    return dsar, status_path


def test_a_status_link_stops_working_the_set_number_of_days_after_closing(person, settings):
    settings.DSAR_STATUS_LINK_DAYS_AFTER_CLOSING = 90
    dsar, status_path = _rejected(person)
    client = person().client
    end = CLOSED_AT + datetime.timedelta(days=90)
    with time_machine.travel(end - SECOND, tick=False):
        assert client.get(status_path).status_code == 200
    with time_machine.travel(end, tick=False):
        response = client.get(status_path)
    assert response.status_code == 410
    page = response.content.decode()
    assert "Deze statuslink werkt niet meer" in page and "90 dagen" in page
    assert "onterecht" not in page


def test_a_closed_request_of_someone_no_longer_held_keeps_only_its_outline(person, settings):
    settings.DSAR_PROOF_MONTHS = 12
    dsar, status_path = _rejected(person)
    boundary = CLOSED_AT + relativedelta(months=12)
    with time_machine.travel(boundary - SECOND, tick=False):
        assert closed_requests_minimise() == 0
    dsar.refresh_from_db()
    assert dsar.name == "Sanne de Vries" and dsar.minimised_at is None
    with time_machine.travel(boundary, tick=False):
        assert closed_requests_minimise() == 1
        assert closed_requests_minimise() == 0  # safe to run again
    dsar.refresh_from_db()
    assert (dsar.name, dsar.details, dsar.rejection_reason, dsar.answer) == ("", "", "", "")
    assert dsar.email == f"{dsar.reference.lower()}@removed.invalid"
    assert "sanne" not in dsar.email
    # The outline stays: reference, right, dates, status and the trail of actions.
    assert dsar.status == Status.REJECTED and dsar.request_type == "restriction"
    assert dsar.closed_at == CLOSED_AT and dsar.created_at and dsar.due_on
    actions = list(dsar.events.values_list("action", flat=True))
    assert actions[:3] == ["submitted", "verified", "rejected"] and actions[-1] == "minimised"
    notes = " ".join(RequestEvent.objects.filter(request=dsar).values_list("note", flat=True))
    assert "onterecht" not in notes and "Sanne" not in notes
    # Its status link no longer works.
    assert person().client.get(status_path).status_code == 410


def test_a_closed_request_of_someone_still_held_or_an_open_one_is_kept(person, settings):
    settings.DSAR_PROOF_MONTHS = 12
    f.DataSubjectFactory(email="bekend@example.nl")
    held, _ = _rejected(person, "bekend@example.nl")
    assert held.subjects.exists()
    opened = person("open@example.nl")
    with time_machine.travel(CLOSED_AT, tick=False):
        opened.submit("access")
        opened.verify()
    with time_machine.travel(CLOSED_AT + relativedelta(years=5), tick=False):
        assert closed_requests_minimise() == 0
    assert DsarRequest.objects.get(pk=held.pk).name == "Sanne de Vries"
    assert DsarRequest.objects.get(email="open@example.nl").name


def test_the_job_is_scheduled():
    from requests_dsar.schedule import DSAR_BEAT_SCHEDULE

    tasks = {entry["task"] for entry in DSAR_BEAT_SCHEDULE.values()}
    assert "requests_dsar.minimise_closed_requests" in tasks


def _closed_portability(**fields) -> DsarRequest:
    return DsarRequest.objects.create(
        reference="V-P1",
        request_type="portability",
        name="Piet",
        email="piet@example.nl",
        portability_recipient_email="piet.prive@nieuwewerkgever.example",
        status=Status.COMPLETED,
        closed_at=CLOSED_AT,
        **fields,
    )


@pytest.mark.parametrize(
    ("action", "params", "note"),
    [
        # What restriction.py, workflow.py and the recipient tasks write into the trail.
        ("restriction-lifted", {"told_on": "2025-01-01"}, "gebeld op 0612345678 (Piet)"),
        ("recipient-task-not-possible", {"recipient": "Zoom"}, "Piet heeft nog een account"),
        ("extended", {"months": 1}, "Piet stuurde veel stukken"),
        ("something-new", {}, "Piet"),
    ],
)
def test_reducing_a_request_removes_every_written_note(settings, action, params, note):
    settings.DSAR_PROOF_MONTHS = 12
    dsar = _closed_portability()
    request_event_record(request=dsar, actor=None, action=action, params=params, note=note)
    with time_machine.travel(CLOSED_AT + relativedelta(months=12), tick=False):
        assert closed_requests_minimise() == 1
    event = dsar.events.get(action=action)
    assert event.note == ""
    # What happened stays: codes, counts, dates and references only.
    assert event.params == params


def test_reducing_a_request_removes_the_reasons_of_its_recipient_tasks(settings):
    settings.DSAR_PROOF_MONTHS = 12
    dsar = _closed_portability()
    task = RecipientTask.objects.create(
        request=dsar,
        recipient=Recipient.objects.first(),
        instruction="Vragen te verwijderen: Zoom.",
        state="not-possible",
        reason="Piet Jansen heeft nog een open Zoom-account piet@gmail.example",
    )
    with time_machine.travel(CLOSED_AT + relativedelta(months=12), tick=False):
        closed_requests_minimise()
    task.refresh_from_db()
    assert task.reason == "" and task.state == "not-possible"
