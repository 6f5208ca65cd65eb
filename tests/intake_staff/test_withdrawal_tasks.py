"""The staff page of Art. 19 tasks made by consents withdrawn outside a rights request."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from processing.models import ConsentMethod, Recipient
from requests_dsar.models import DsarRequest, RecipientTask, Status
from subjects.consents import consent_withdraw
from subjects.models import AuditEvent, E2GrowAccount
from tests import factories as f
from tests.intake_staff.helpers import withdrawal_task

pytestmark = pytest.mark.django_db

PAGE = "requests_dsar:staff_withdrawal_tasks"


def _action_url(task: RecipientTask) -> str:
    return reverse("requests_dsar:staff_withdrawal_task_action", args=[task.pk])


def _request_task() -> RecipientTask:
    request = DsarRequest.objects.create(
        reference="R-00001",
        request_type="erasure",
        status=Status.IN_PROGRESS,
        name="Test Persoon",
        email="verzoek@example.nl",
        due_on=timezone.localdate(),
    )
    return RecipientTask.objects.create(
        request=request,
        recipient=Recipient.objects.get(key="mailchimp"),
        instruction="Verwijder het lid uit Mailchimp.",
    )


def test_anonymous_visitors_are_sent_to_login(client):
    task = withdrawal_task()
    for response in [client.get(reverse(PAGE)), client.post(_action_url(task), {})]:
        assert response.status_code == 302
        assert "login" in response["Location"]


def test_it_refuses_an_outsider(outsider_client):
    task = withdrawal_task()
    assert outsider_client.get(reverse(PAGE)).status_code == 403
    response = outsider_client.post(
        _action_url(task), {"task_id": task.pk, "state": "done", "reason": ""}
    )
    assert response.status_code == 403
    task.refresh_from_db()
    assert task.state == RecipientTask.State.OPEN


def test_staff_and_the_officer_may_see_it(staff_client, officer_client):
    assert staff_client.get(reverse(PAGE)).status_code == 200
    assert officer_client.get(reverse(PAGE)).status_code == 200


def test_a_withdrawal_makes_a_task_that_the_page_lists_with_the_person(staff_client, staff):
    account = f.E2GrowAccountFactory(profile_visible_to_colleagues=True)
    consent = account.subject.consents.get(purpose="e2grow-visibility")
    consent_withdraw(consents=[consent], actor=staff, method=ConsentMethod.STAFF)
    assert not E2GrowAccount.objects.get(pk=account.pk).profile_visible_to_colleagues
    request_task = _request_task()

    body = staff_client.get(reverse(PAGE)).content.decode()

    task = RecipientTask.objects.get(consent=consent)
    row = body.split(f'id="task-{task.pk}"')[1].split("</tr>")[0]
    assert "E2Grow" in row
    assert reverse("admin:subjects_datasubject_change", args=[account.subject_id]) in row
    assert f"<bdi>{account.subject.full_name}</bdi>" in row
    assert f'id="task-{request_task.pk}"' not in body  # a request's task lives on the request


@pytest.mark.parametrize("client_fixture", ["staff_client", "officer_client"])
def test_a_task_is_recorded_as_done(request, client_fixture):
    client = request.getfixturevalue(client_fixture)
    task = withdrawal_task()
    response = client.post(_action_url(task), {"task_id": task.pk, "state": "done", "reason": ""})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.state == RecipientTask.State.DONE
    assert task.resolved_by.username == client_fixture.removesuffix("_client")
    assert task.resolved_at is not None
    event = AuditEvent.objects.get(action="consent.withdrawal-task-done")
    assert event.subject_id == task.consent.subject_id
    assert f'id="task-{task.pk}"' not in client.get(reverse(PAGE)).content.decode()


def test_not_possible_needs_a_reason(staff_client):
    task = withdrawal_task()
    response = staff_client.post(
        _action_url(task), {"task_id": task.pk, "state": "not-possible", "reason": " "}, follow=True
    )
    task.refresh_from_db()
    assert task.state == RecipientTask.State.OPEN
    assert "Say why it is not possible." in response.content.decode() or (
        "niet mogelijk" in response.content.decode()
    )
    staff_client.post(
        _action_url(task),
        {"task_id": task.pk, "state": "not-possible", "reason": "Account bestaat niet meer"},
    )
    task.refresh_from_db()
    assert (task.state, task.reason) == (
        RecipientTask.State.NOT_POSSIBLE,
        "Account bestaat niet meer",
    )
    assert AuditEvent.objects.filter(action="consent.withdrawal-task-not-possible").exists()


def test_a_resolved_task_stays_as_it_was_recorded(staff_client):
    task = withdrawal_task()
    staff_client.post(_action_url(task), {"task_id": task.pk, "state": "done", "reason": ""})
    staff_client.post(
        _action_url(task), {"task_id": task.pk, "state": "not-possible", "reason": "Toch niet"}
    )
    task.refresh_from_db()
    assert (task.state, task.reason) == (RecipientTask.State.DONE, "")


def test_a_task_of_a_rights_request_is_not_resolved_here(staff_client):
    task = _request_task()
    response = staff_client.post(
        _action_url(task), {"task_id": task.pk, "state": "done", "reason": ""}
    )
    assert response.status_code == 404
    task.refresh_from_db()
    assert task.state == RecipientTask.State.OPEN


def test_the_request_page_still_shows_and_resolves_its_own_tasks(staff_client):
    task = _request_task()
    withdrawal_task()
    detail = staff_client.get(reverse("requests_dsar:staff_detail", args=[task.request_id]))
    assert detail.status_code == 200
    assert "Verwijder het lid uit Mailchimp." in detail.content.decode()
    assert "Vraag E2Grow" not in detail.content.decode()
    staff_client.post(
        reverse("requests_dsar:staff_action", args=[task.request_id, "task"]),
        {"task_id": task.pk, "state": "done", "reason": ""},
    )
    task.refresh_from_db()
    assert task.state == RecipientTask.State.DONE


def test_a_task_of_an_erased_person_is_still_listed(staff_client):
    task = withdrawal_task()
    task.consent.subject.delete()
    body = staff_client.get(reverse(PAGE)).content.decode()
    assert f'id="task-{task.pk}"' in body


def test_the_dashboard_counts_open_withdrawal_tasks(staff_client):
    done = withdrawal_task()
    withdrawal_task()
    _request_task()
    staff_client.post(_action_url(done), {"task_id": done.pk, "state": "done", "reason": ""})
    response = staff_client.get(reverse("staff_dashboard"))
    assert response.context["intake"]["withdrawal_tasks_open"] == 1
    assert reverse(PAGE) in response.content.decode()


def test_the_page_costs_the_same_number_of_queries_with_more_tasks(staff_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    withdrawal_task()
    with CaptureQueriesContext(connection) as few:
        staff_client.get(reverse(PAGE))
    for _i in range(60):
        withdrawal_task()
    with CaptureQueriesContext(connection) as many:
        staff_client.get(reverse(PAGE))
    assert len(few) == len(many)


def test_a_task_about_health_data_is_shown_only_to_those_allowed_health_data(
    officer_client, staff_client
):
    from processing.models import Consent

    profile = f.TraineeProfileFactory(allergies="Pinda's")
    consent_withdraw(
        consents=list(Consent.objects.filter(purpose="allergies")),
        actor=None,
        method=ConsentMethod.PREFERENCES,
    )
    task = RecipientTask.objects.get()
    url = reverse("requests_dsar:staff_withdrawal_tasks")
    assert f"task-{task.pk}" in officer_client.get(url).content.decode()
    assert f"task-{task.pk}" not in staff_client.get(url).content.decode()
    assert (
        staff_client.get(reverse("staff_dashboard")).context["intake"]["withdrawal_tasks_open"] == 0
    )
    staff_client.post(_action_url(task), {"task_id": task.pk, "state": "done", "reason": ""})
    task.refresh_from_db()
    assert task.state == RecipientTask.State.OPEN
    assert profile.participation.participant.pk == task.consent.subject_id
