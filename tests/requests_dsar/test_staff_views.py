"""The staff dashboard: who may see it, what the queue shows, and what it costs."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from requests_dsar.models import DsarRequest, RecipientTask, Status
from tests import factories as f
from tests.requests_dsar.factories import verified_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def dsar():
    return verified_request()


def _staff_urls(dsar):
    return [
        ("get", "/staff/requests/"),
        ("get", f"/staff/requests/{dsar.pk}/"),
        ("get", f"/en/staff/requests/{dsar.pk}/"),
        ("post", f"/staff/requests/{dsar.pk}/start/"),
        ("post", f"/staff/requests/{dsar.pk}/access/"),
    ]


def test_anonymous_visitors_are_sent_to_the_login_page_from_every_staff_view(client, dsar):
    for method, url in _staff_urls(dsar):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert "/account/login/" in response["Location"], url
    assert DsarRequest.objects.get().status == Status.NEW


ACTIONS = [
    "start", "link", "unlink", "verify", "extend", "reject", "duplicate", "task", "access",
    "portability", "erase", "restrict", "lift", "restriction-ground", "marketing-objection",
    "objection-decision",
    "withdraw-consent", "rectify", "rectify-profile", "no-change", "no-data", "complete",
]  # fmt: skip


def test_a_logged_in_outsider_is_refused_every_staff_view(outsider_client, client, dsar):
    for method, url in _staff_urls(dsar):
        assert getattr(outsider_client, method)(url).status_code == 403, url
    for action in ACTIONS:
        url = f"/staff/requests/{dsar.pk}/{action}/"
        assert outsider_client.post(url).status_code == 403, action
        assert client.post(url).status_code == 302, action  # anonymous: to the login page
    assert DsarRequest.objects.get().status == Status.NEW
    assert not dsar.packages.exists()


def test_a_staff_member_may_handle_requests(staff_client, dsar):
    for method, url in _staff_urls(dsar):
        response = getattr(staff_client, method)(url)
        assert response.status_code in {200, 302}, url
    assert dsar.packages.count() == 1
    assert DsarRequest.objects.get().status == Status.IN_PROGRESS


def test_a_staff_member_without_health_access_cannot_record_special_verification(
    staff_client, officer_client
):
    f.TraineeProfileFactory(participation__participant__email="t@example.nl")
    dsar = verified_request(email="t@example.nl")
    assert dsar.needs_staff_verification
    url = f"/staff/requests/{dsar.pk}/verify/"
    assert staff_client.post(url, {"method": "call-back"}).status_code == 403
    assert officer_client.post(url, {"method": "call-back"}).status_code == 302
    dsar.refresh_from_db()
    assert dsar.staff_verification_method == "call-back" and dsar.staff_verified_by


def test_staff_actions_only_accept_post(officer_client, dsar):
    assert officer_client.get(f"/staff/requests/{dsar.pk}/start/").status_code == 405


def test_an_unknown_action_or_request_is_not_found(officer_client, dsar):
    assert officer_client.post(f"/staff/requests/{dsar.pk}/explode/").status_code == 404
    assert officer_client.get("/staff/requests/999999/").status_code == 404


def test_the_queue_is_sorted_by_due_date_and_marks_overdue_requests(officer_client):
    with time_machine.travel(timezone.now() - datetime.timedelta(days=40)):
        old = verified_request(email="oud@example.nl")
    new = verified_request(email="nieuw@example.nl", right="erasure")
    response = officer_client.get("/staff/requests/")
    page = list(response.context["page"])
    assert [r.pk for r in page] == [old.pk, new.pk]
    html = response.content.decode()
    assert "te laat" in html and "table-danger" in html
    assert page[0].days_left() < 0 < page[1].days_left()


def test_the_queue_filters_by_right_and_status(officer_client):
    access = verified_request(email="a@example.nl")
    erasure = verified_request(email="b@example.nl", right="erasure")
    DsarRequest.objects.filter(pk=erasure.pk).update(status=Status.COMPLETED)
    by_type = officer_client.get("/staff/requests/", {"request_type": "erasure", "status": "all"})
    assert [r.pk for r in by_type.context["page"]] == [erasure.pk]
    open_only = officer_client.get("/staff/requests/")
    assert [r.pk for r in open_only.context["page"]] == [access.pk]
    done = officer_client.get("/staff/requests/", {"status": "completed"})
    assert [r.pk for r in done.context["page"]] == [erasure.pk]
    nonsense = officer_client.get("/staff/requests/", {"status": "<script>", "page": "x"})
    assert nonsense.status_code == 200


def _queue_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/staff/requests/").status_code == 200
    return len(ctx.captured_queries)


def _make_requests(n: int, start: int) -> None:
    for i in range(start, start + n):
        request = DsarRequest.objects.create(
            reference=f"V-Q{i:06d}",
            request_type="access",
            name="Naam",
            email=f"q{i}@example.nl",
            status=Status.NEW,
            due_on=timezone.localdate() + datetime.timedelta(days=i % 30),
        )
        recipient = f.consent_text("newsletter").activity.recipients.first()
        RecipientTask.objects.create(request=request, recipient=recipient, instruction="x")


def test_the_queue_costs_the_same_number_of_queries_for_10_and_100_requests(officer_client):
    _make_requests(10, 0)
    ten = _queue_queries(officer_client)
    _make_requests(90, 10)
    hundred = _queue_queries(officer_client)
    assert ten == hundred
    assert ten <= 8


def test_the_detail_page_shows_the_audit_trail(officer_client, dsar):
    officer_client.post(f"/staff/requests/{dsar.pk}/start/")
    html = officer_client.get(f"/staff/requests/{dsar.pk}/").content.decode()
    for action in ("ingediend", "e-mailadres bevestigd", "behandeling gestart"):
        assert action in html
    assert "officer" in html


def test_a_right_is_not_carried_out_on_an_unverified_request_and_expiry_still_runs(person, desk):
    from requests_dsar.services.intake import dsar_requests_expire_unverified
    from subjects.models import ContactMessage, DataSubject

    subject = f.DataSubjectFactory(email="victim@example.nl")
    f.ContactMessageFactory(subject=subject)
    person("victim@example.nl").submit("erasure")  # never verified
    dsar = DsarRequest.objects.get()
    assert dsar.status == Status.UNVERIFIED
    desk.act(dsar, "link", subject_id=subject.pk)
    errors = desk.errors_after(dsar, "erase")
    assert errors and "alleen uitgevoerd bij een open verzoek" in errors[0]
    assert DataSubject.objects.filter(pk=subject.pk).exists()
    assert ContactMessage.objects.filter(subject=subject).exists()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=4), tick=False):
        assert dsar_requests_expire_unverified() == 1
    assert not DsarRequest.objects.exists()


def test_the_expiry_job_skips_an_unverified_request_with_an_erasure_record(person):
    from requests_dsar.models import ErasureRecord
    from requests_dsar.services.intake import dsar_requests_expire_unverified

    person("a@example.nl").submit("erasure")
    person("b@example.nl").submit("access")
    erased = DsarRequest.objects.get(email="a@example.nl")
    ErasureRecord.objects.create(request=erased, lines=[])  # left by an older version
    with time_machine.travel(timezone.now() + datetime.timedelta(days=4), tick=False):
        assert dsar_requests_expire_unverified() == 1
    assert list(DsarRequest.objects.values_list("pk", flat=True)) == [erased.pk]


def test_only_the_actions_of_the_right_asked_for_are_allowed(desk):
    from subjects.models import DataSubject

    subject = f.DataSubjectFactory(email="sanne@example.nl")
    access = verified_request()
    errors = desk.errors_after(access, "erase")
    assert errors == ["Geweigerd: deze handeling hoort niet bij een verzoek om inzage."]
    assert DataSubject.objects.filter(pk=subject.pk).exists()
    for action in ("withdraw-consent", "restrict", "marketing-objection", "portability"):
        assert desk.errors_after(access, action), action
    assert not access.packages.exists()
    subject.refresh_from_db()
    assert subject.restricted_at is None
    desk.act(access, "access")
    assert access.packages.count() == 1


def test_closed_requests_take_no_fulfilment_and_no_linking(desk):
    subject = f.DataSubjectFactory(email="sanne@example.nl")
    dsar = verified_request()
    DsarRequest.objects.filter(pk=dsar.pk).update(status=Status.REJECTED)
    errors = desk.errors_after(dsar, "access")
    assert errors and "afgewezen" in errors[0]
    assert not dsar.packages.exists()
    other = f.DataSubjectFactory(email="ander@example.nl")
    assert desk.errors_after(dsar, "link", subject_id=other.pk)
    assert list(dsar.subjects.all()) == [subject]


def test_a_restriction_can_be_lifted_after_the_request_was_answered(desk):
    from datetime import date

    subject = f.DataSubjectFactory(email="sanne@example.nl")
    dsar = verified_request(right="restriction")
    desk.act(dsar, "restrict", ground="a")
    DsarRequest.objects.filter(pk=dsar.pk).update(status=Status.COMPLETED)
    page = desk.client.get(f"/staff/requests/{dsar.pk}/").content.decode()
    assert f"/staff/requests/{dsar.pk}/lift/" in page
    assert f"/staff/requests/{dsar.pk}/restrict/" not in page
    desk.act(dsar, "lift", informed_on=date.today().isoformat(), informed_how="per e-mail")
    assert not desk.errors_after(dsar, "lift", informed_on="2026-01-01", informed_how="telefoon")
    subject.refresh_from_db()
    assert subject.restricted_at is None


def test_the_queue_costs_the_same_for_10_and_1000_requests_and_counts_open_tasks(officer_client):
    from processing.models import Recipient

    recipients = list(Recipient.objects.order_by("pk")[:3])
    assert len(recipients) == 3

    def bulk(n: int, start: int) -> None:
        made = DsarRequest.objects.bulk_create(
            DsarRequest(
                reference=f"V-B{i:06d}",
                request_type="access",
                name="Naam",
                email=f"b{i}@example.nl",
                status=Status.NEW if i % 3 else Status.COMPLETED,
                due_on=timezone.localdate() + datetime.timedelta(days=i % 30),
            )
            for i in range(start, start + n)
        )
        RecipientTask.objects.bulk_create(
            RecipientTask(request=r, recipient=recipient, instruction="x", state=state)
            for r in made
            for recipient, state in zip(recipients, ["open", "open", "done"], strict=True)
        )

    bulk(10, 0)
    ten = _queue_queries(officer_client)
    bulk(990, 10)
    thousand = _queue_queries(officer_client)
    assert ten == thousand
    page = officer_client.get("/staff/requests/").context["page"]
    assert page.paginator.count == DsarRequest.objects.filter(status=Status.NEW).count()
    assert {r.open_tasks for r in page} == {2}
