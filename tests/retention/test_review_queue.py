"""The staff review queue of contact messages (rule contact-review)."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from retention.services import retention_rule_apply
from subjects import models as m
from tests import factories as f

pytestmark = pytest.mark.django_db

QUEUE = reverse("retention:review_queue")


def _due(**kwargs):
    return f.ContactMessageFactory(
        received_at=timezone.now() - datetime.timedelta(days=120), **kwargs
    )


def _in(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def test_it_lists_the_messages_due_for_review_and_not_the_others(staff_client):
    due = _due(message="Bel me terug over coaching")
    f.ContactMessageFactory(message="Net binnen")
    response = staff_client.get(QUEUE)
    assert response.status_code == 200
    assert due.message in response.content.decode()
    assert "Net binnen" not in response.content.decode()


def test_it_uses_a_fixed_number_of_queries(staff_client, django_assert_max_num_queries):
    for _ in range(15):
        _due()
    with django_assert_max_num_queries(12):
        staff_client.get(QUEUE)


def test_it_refuses_outsiders(outsider_client):
    message = _due()
    assert outsider_client.get(QUEUE).status_code == 403
    url = reverse("retention:review_delete", args=[message.pk])
    assert outsider_client.post(url).status_code == 403
    assert m.ContactMessage.objects.filter(pk=message.pk).exists()


def test_it_sends_anonymous_visitors_to_the_login(client):
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_keeping_needs_a_reason_and_a_later_review_date(staff_client):
    message = _due()
    url = reverse("retention:review_keep", args=[message.pk])
    staff_client.post(url, {"reason": "", "next_review_on": _in(30)})
    staff_client.post(url, {"reason": "Lopende offerte", "next_review_on": _in(0)})
    message.refresh_from_db()
    assert message.keep_reason == "" and message.next_review_on is None


def test_keeping_records_the_reason_the_next_review_and_an_audit_event(staff, staff_client):
    message = _due()
    url = reverse("retention:review_keep", args=[message.pk])
    response = staff_client.post(url, {"reason": "Lopende offerte", "next_review_on": _in(60)})
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.keep_reason == "Lopende offerte"
    assert message.next_review_on == timezone.localdate() + datetime.timedelta(days=60)
    event = m.AuditEvent.objects.get(action="retention.review-keep")
    assert event.actor == staff
    assert event.subject == message.subject
    assert "Lopende offerte" not in event.note, "the trail holds no values"
    assert message not in staff_client.get(QUEUE).context["page"].object_list


def test_deleting_removes_the_message_audits_it_and_the_person_without_other_data(
    staff, staff_client
):
    message = _due()
    person = message.subject
    response = staff_client.post(reverse("retention:review_delete", args=[message.pk]))
    assert response.status_code == 302
    assert not m.ContactMessage.objects.filter(pk=message.pk).exists()
    event = m.AuditEvent.objects.get(action="retention.review-delete")
    assert event.actor == staff
    assert event.subject_reference == str(person.pk)
    assert not m.DataSubject.objects.filter(pk=person.pk).exists()


def test_a_message_not_yet_due_cannot_be_deleted_through_the_queue(staff_client):
    message = f.ContactMessageFactory()
    response = staff_client.post(reverse("retention:review_delete", args=[message.pk]))
    assert response.status_code == 404


def test_the_daily_run_reminds_staff_in_dutch_first_then_english(settings):
    settings.STAFF_NOTIFICATION_EMAIL = "privacy@leafspring.test"
    _due()
    run = retention_rule_apply(rule_key="contact-review")
    assert run.due_for_review == 1
    (reminder,) = mail.outbox
    assert reminder.to == ["privacy@leafspring.test"]
    assert reminder.subject.startswith("Te beoordelen contactberichten (1)")
    body = reminder.body
    assert body.index("moeten worden beoordeeld") < body.index("are due for review")
    assert "/staff/retention/review/" in body


def test_no_reminder_when_nothing_is_due():
    retention_rule_apply(rule_key="contact-review")
    assert mail.outbox == []
