"""The staff review of trajectories without an end date (rule trajectory-review): staff
set the end, or keep the trajectory open with a reason and the next review date."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from subjects import models as m
from tests import factories as f

pytestmark = pytest.mark.django_db

PAGE = reverse("retention:trajectory_review")


def _due(**kwargs) -> m.Trajectory:
    started = timezone.localdate() - datetime.timedelta(days=400)
    return f.TrajectoryFactory(started_on=started, ended_on=None, **kwargs)


def _in(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def _end_url(trajectory) -> str:
    return reverse("retention:trajectory_review_end", args=[trajectory.pk])


def _keep_url(trajectory) -> str:
    return reverse("retention:trajectory_review_keep", args=[trajectory.pk])


def _with_data(trajectory) -> None:
    participation = f.TrajectoryParticipantFactory(trajectory=trajectory)
    f.CoachingNoteFactory(trajectory=trajectory, participant=participation.participant)
    f.CoachingMonitorParticipationFactory(trajectory=trajectory, subject=participation.participant)


def test_it_lists_the_trajectories_due_with_what_their_end_would_delete(staff_client):
    due = _due(title="Traineeship Achterhoek 2025")
    _with_data(due)
    f.TrajectoryFactory(title="Net begonnen", ended_on=None, started_on=timezone.localdate())
    f.TrajectoryFactory(title="Afgelopen", ended_on=timezone.localdate())
    response = staff_client.get(PAGE)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<bdi>Traineeship Achterhoek 2025</bdi>" in page
    assert "Net begonnen" not in page and "Afgelopen" not in page
    assert "1 participant" in page or "1 deelnemer" in page
    assert _end_url(due) in page and _keep_url(due) in page


def test_the_overview_and_the_dashboard_count_what_is_due(staff_client):
    _due()
    _due()
    overview = staff_client.get(reverse("retention:overview")).content.decode()
    assert f'href="{PAGE}"' in overview
    dashboard = staff_client.get(reverse("staff_dashboard")).content.decode()
    assert f'<a href="{PAGE}">' in dashboard
    assert "</a>: 2" in dashboard.split('id="trajectories-to-review"')[1].split("</p>")[0]


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(PAGE).status_code == 200
    return len(queries)


def test_it_uses_a_fixed_number_of_queries(staff_client):
    _with_data(_due())
    few = _queries(staff_client)
    for _ in range(12):
        _with_data(_due())
    assert _queries(staff_client) == few


def test_it_refuses_outsiders(outsider_client):
    trajectory = _due()
    assert outsider_client.get(PAGE).status_code == 403
    assert outsider_client.post(_end_url(trajectory), {"ended_on": _in(0)}).status_code == 403
    keep = {"reason": "x", "next_review_on": _in(30)}
    assert outsider_client.post(_keep_url(trajectory), keep).status_code == 403
    trajectory.refresh_from_db()
    assert trajectory.ended_on is None and trajectory.keep_reason == ""


def test_it_sends_anonymous_visitors_to_the_login(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_who_may_only_look_sees_no_forms_and_cannot_act(staff):
    viewer = f.UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_trajectory"))
    client = Client()
    client.force_login(viewer)
    trajectory = _due()
    page = client.get(PAGE).content.decode()
    assert "<bdi>" + trajectory.title + "</bdi>" in page
    assert _end_url(trajectory) not in page
    assert client.post(_end_url(trajectory), {"ended_on": _in(0)}).status_code == 403


def test_setting_the_end_is_saved_and_audited(officer, officer_client):
    trajectory = _due(keep_reason="oud", next_review_on=timezone.localdate())
    response = officer_client.post(_end_url(trajectory), {"ended_on": _in(0)})
    assert response.status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.ended_on == timezone.localdate()
    assert trajectory.keep_reason == "" and trajectory.next_review_on is None
    event = m.AuditEvent.objects.get(action="retention.trajectory-end")
    assert event.actor == officer
    assert event.target == f"subjects.Trajectory #{trajectory.pk}"
    assert event.changed_fields == ["ended_on"]
    assert officer_client.get(PAGE).content.decode().count(_end_url(trajectory)) == 0


@pytest.mark.parametrize(
    "ended_on,message",
    [
        ("before-start", "kan niet eindigen voordat het is begonnen"),
        ("far-ahead", "binnen een jaar"),
        ("", "verplicht"),
    ],
)
def test_a_wrong_end_is_refused_with_a_clear_message(staff_client, ended_on, message):
    trajectory = _due()
    value = {
        "before-start": (trajectory.started_on - datetime.timedelta(days=1)).isoformat(),
        "far-ahead": _in(400),
        "": "",
    }[ended_on]
    response = staff_client.post(_end_url(trajectory), {"ended_on": value}, follow=True)
    assert message in response.content.decode()  # in Dutch, the staff's first language
    trajectory.refresh_from_db()
    assert trajectory.ended_on is None
    assert not m.AuditEvent.objects.filter(action="retention.trajectory-end").exists()


def test_keeping_open_needs_a_reason_and_a_review_date_within_a_year(staff_client):
    trajectory = _due()
    url = _keep_url(trajectory)
    staff_client.post(url, {"reason": "", "next_review_on": _in(30)})
    staff_client.post(url, {"reason": "Verlengd", "next_review_on": _in(0)})
    staff_client.post(url, {"reason": "Verlengd", "next_review_on": _in(400)})
    trajectory.refresh_from_db()
    assert trajectory.keep_reason == "" and trajectory.next_review_on is None
    assert not m.AuditEvent.objects.filter(action="retention.trajectory-keep").exists()


def test_keeping_open_records_the_reason_the_next_review_and_an_audit_event(staff, staff_client):
    trajectory = _due()
    response = staff_client.post(
        _keep_url(trajectory), {"reason": "Verlengd tot de zomer", "next_review_on": _in(90)}
    )
    assert response.status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.keep_reason == "Verlengd tot de zomer"
    assert trajectory.next_review_on == timezone.localdate() + datetime.timedelta(days=90)
    assert trajectory.ended_on is None
    event = m.AuditEvent.objects.get(action="retention.trajectory-keep")
    assert event.actor == staff
    assert event.changed_fields == ["keep_reason", "next_review_on"]
    assert _keep_url(trajectory) not in staff_client.get(PAGE).content.decode()


def test_a_trajectory_not_due_or_ended_cannot_be_acted_on(staff_client):
    not_due = f.TrajectoryFactory(ended_on=None, started_on=timezone.localdate())
    ended = _due()
    ended.ended_on = timezone.localdate()
    ended.save()
    for trajectory in (not_due, ended):
        assert staff_client.post(_end_url(trajectory), {"ended_on": _in(0)}).status_code == 404
    not_due.refresh_from_db()
    assert not_due.ended_on is None


def test_the_kept_reason_is_shown_when_it_comes_back(staff_client):
    trajectory = _due(keep_reason="Wacht op evaluatie", next_review_on=timezone.localdate())
    page = staff_client.get(PAGE).content.decode()
    assert "<bdi>Wacht op evaluatie</bdi>" in page
    assert _end_url(trajectory) in page


def _dutch_loaded() -> bool:
    from django.utils import translation

    with translation.override("nl"):
        return translation.gettext("Set the end") != "Set the end"


@pytest.mark.skipif(
    not _dutch_loaded(), reason="the Dutch of the trajectory review is not in the catalogue yet"
)
def test_the_page_reads_in_dutch_first_and_in_english(staff_client):
    _due(keep_reason="Wacht op evaluatie", next_review_on=timezone.localdate())
    dutch = staff_client.get(PAGE).content.decode()
    assert "Trajecten zonder einddatum" in dutch and "Einddatum vastleggen" in dutch
    assert "Eerder opengehouden omdat:" in dutch and "0 gespreksaantekeningen" in dutch
    english = staff_client.get("/en" + PAGE).content.decode()
    assert "Trajectories without an end date" in english and "Set the end" in english
    assert "0 coaching notes" in english
