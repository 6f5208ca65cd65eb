"""A new request from someone who already has an open request for the same right (the
same verified e-mail address, or a data subject linked to both) is linked to the open
one: staff are warned on both pages, in the queue and in the e-mail, and can mark it as
a duplicate in one step."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import override

from requests_dsar.models import DsarRequest, Status
from tests import factories as f
from tests.requests_dsar.factories import verified_request

pytestmark = pytest.mark.django_db


def test_a_second_request_for_the_same_right_from_the_same_address_is_linked(staff_client):
    first = verified_request()
    mail.outbox.clear()
    second = verified_request()
    assert second.open_request == first
    first.refresh_from_db()
    assert first.open_request is None
    later = second.events.get(action="open-request-linked")
    assert later.params == {"reference": first.reference}
    assert first.events.get(action="later-request-linked").params == {"reference": second.reference}
    # Staff are told in the e-mail about the new request.
    staff_mail = [m for m in mail.outbox if second.email not in m.to][0]
    assert second.reference in staff_mail.subject
    assert first.reference in staff_mail.body

    page = staff_client.get(f"/staff/requests/{second.pk}/")
    html = page.content.decode()
    assert "Deze persoon heeft al een openstaand verzoek voor hetzelfde recht" in html
    assert f'href="/staff/requests/{first.pk}/">{first.reference}</a>' in html
    assert page.context["forms"]["duplicate"].initial == {"original": first.reference}
    assert f"gekoppeld aan verzoek {first.reference}" in html  # the trail
    html = staff_client.get(f"/staff/requests/{first.pk}/").content.decode()
    assert "Er staat een later verzoek van dezelfde persoon voor hetzelfde recht open" in html
    queue = staff_client.get("/staff/requests/").content.decode()
    assert f"hetzelfde recht staat al open: {first.reference}" in queue

    # Marked as a duplicate: closed, the warning becomes history.
    staff_client.post(f"/staff/requests/{second.pk}/duplicate/", {"original": first.reference})
    second.refresh_from_db()
    assert second.status == Status.DUPLICATE and second.duplicate_of == first
    html = staff_client.get(f"/staff/requests/{first.pk}/").content.decode()
    assert "later verzoek van dezelfde persoon" not in html


def test_a_request_under_another_address_of_the_same_linked_person_is_linked(desk):
    subject = f.DataSubjectFactory(email="sanne@example.nl")
    first = verified_request(right="erasure")
    second = verified_request(email="sanne.prive@example.nl", right="erasure")
    assert second.open_request is None  # nothing connects them yet
    desk.act(second, "link", subject_id=subject.pk)
    second.refresh_from_db()
    assert second.open_request == first
    with override("en"):
        what = second.events.get(action="open-request-linked").what
    assert what == f"linked to request {first.reference}, still open, for the same right"


def test_other_rights_and_closed_requests_are_not_linked():
    first = verified_request()
    erasure = verified_request(right="erasure")
    assert erasure.open_request is None
    DsarRequest.objects.filter(pk=first.pk).update(status=Status.COMPLETED)
    again = verified_request()
    assert again.open_request is None
    other_person = verified_request(email="joost@example.nl", right="erasure")
    assert other_person.open_request is None


def test_a_third_request_is_linked_to_the_earliest_open_one():
    first = verified_request()
    second = verified_request()
    third = verified_request()
    assert second.open_request == first and third.open_request == first


def _queue_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/staff/requests/").status_code == 200
    return len(ctx.captured_queries)


def test_the_queue_costs_the_same_with_few_and_many_linked_requests(officer_client):
    def make(n: int, start: int) -> None:
        for i in range(start, start + n):
            first = DsarRequest.objects.create(
                reference=f"V-A{i:06d}",
                request_type="access",
                name="Naam",
                email=f"q{i}@example.nl",
                status=Status.NEW,
                due_on=timezone.localdate() + datetime.timedelta(days=i % 30),
            )
            DsarRequest.objects.create(
                reference=f"V-B{i:06d}",
                request_type="access",
                name="Naam",
                email=f"q{i}@example.nl",
                status=Status.NEW,
                open_request=first,
            )

    make(3, 0)
    few = _queue_queries(officer_client)
    make(20, 3)
    assert _queue_queries(officer_client) == few
