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


def _hold(subject, until_days=365):
    from retention.models import LegalHold

    return LegalHold.objects.create(
        key=f"claim-{subject.pk}",
        name_nl="Geschil over factuur",
        name_en="Invoice dispute",
        ground_nl="g",
        ground_en="g",
        article="Art. 17(3)(e)",
        subject=subject,
        held_until=timezone.localdate() + datetime.timedelta(days=until_days),
    )


def test_the_queue_leaves_out_what_the_automatic_rules_would_keep(staff_client):
    """Held, consent-kept and restricted messages are not offered for deletion; a
    person kept only for the fiscal hold after an erasure is no restriction here."""
    held = _due()
    _hold(held.subject)
    restricted = _due(restricted_at=timezone.now(), restriction_ground="Art. 18 AVG")
    subject_restricted = _due()
    m.DataSubject.objects.filter(pk=subject_restricted.subject_id).update(
        restricted_at=timezone.now(), restriction_ground="Art. 18 AVG (V-1)"
    )
    consented = _due()
    f.ConsentFactory(
        subject=consented.subject,
        activity=_contact_activity(),
        keep_until=timezone.localdate() + datetime.timedelta(days=30),
    )
    erased_and_kept = _due()
    m.DataSubject.objects.filter(pk=erased_and_kept.subject_id).update(
        restricted_at=timezone.now(), restriction_ground="Art. 17(3)(b) AVG: fiscal"
    )
    anonymous = _due(subject=None, first_name="Anoniem", last_name="", email="a@example.nl")
    expired_hold = _due()
    _hold(expired_hold.subject, until_days=-1)
    listed = set(staff_client.get(QUEUE).context["page"].object_list)
    assert listed == {erased_and_kept, anonymous, expired_hold}
    assert not listed & {held, restricted, subject_restricted, consented}
    run = retention_rule_apply(rule_key="contact-review")
    assert run.due_for_review == 3


def _contact_activity():
    from processing.models import ProcessingActivity

    return ProcessingActivity.objects.get(key="contact-form")


def test_deleting_a_held_message_is_refused_with_a_message_not_an_error(staff_client):
    message = _due()
    _hold(message.subject)
    url = reverse("retention:review_delete", args=[message.pk])
    response = staff_client.post(url, follow=True)
    assert response.status_code == 200
    assert m.ContactMessage.objects.filter(pk=message.pk).exists()
    assert m.DataSubject.objects.filter(pk=message.subject_id).exists()
    assert not m.AuditEvent.objects.filter(action="retention.review-delete").exists()
    page = response.content.decode()
    assert "Geschil over factuur" in page and "kan niet worden verwijderd" in page


def test_the_refusal_speaks_english_too(staff):
    from django.core.exceptions import ValidationError
    from django.utils import translation

    from retention.services import contact_message_delete

    message = _due()
    _hold(message.subject)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        contact_message_delete(actor=staff, message=message)
    assert "cannot be deleted: the legal hold Invoice dispute" in refused.value.messages[0]


@pytest.mark.parametrize("what", ["row", "subject", "consent"])
def test_the_service_refuses_restricted_and_consent_kept_messages(staff, what):
    from django.core.exceptions import ValidationError

    from retention.services import contact_message_delete

    message = _due()
    if what == "row":
        message.restricted_at = timezone.now()
        message.restriction_ground = "Art. 18 AVG (V-9)"
        message.save()
    elif what == "subject":
        m.DataSubject.objects.filter(pk=message.subject_id).update(
            restricted_at=timezone.now(), restriction_ground="Art. 18 AVG (V-9)"
        )
    else:
        f.ConsentFactory(
            subject=message.subject,
            activity=_contact_activity(),
            keep_until=timezone.localdate() + datetime.timedelta(days=30),
        )
    with pytest.raises(ValidationError, match="kan niet worden verwijderd"):
        contact_message_delete(actor=staff, message=message)
    assert m.ContactMessage.objects.filter(pk=message.pk).exists()


def test_the_dashboard_count_is_the_queue_at_every_boundary_built_once(monkeypatch):
    """The count's SQL is built once (``leafspring.built_sql``) and each call puts its own
    day in: it counts what the queue lists, held messages and holds that end included,
    on the day before a message becomes due, that day and the day after."""
    import time_machine

    from retention import selectors
    from retention.models import RetentionRule

    rule = RetentionRule.objects.get(key="contact-review")
    days = rule.review_every_days or rule.limit_value
    received = timezone.make_aware(datetime.datetime(2027, 3, 10, 9, 30))
    first_due = received.date() + datetime.timedelta(days=days)  # not before this day
    for _ in range(2):
        f.ContactMessageFactory(received_at=received)
    held = f.ContactMessageFactory(received_at=received)
    # Held up to and including the day the messages become due: free the day after.
    _hold(held.subject, until_days=(first_due - timezone.localdate()).days)
    kept = f.ContactMessageFactory(received_at=received - datetime.timedelta(days=days))
    kept.next_review_on = first_due + datetime.timedelta(days=1)
    kept.save(update_fields=["next_review_on"])
    selectors.contact_messages_due_count(rule, today=received.date())  # built here
    monkeypatch.setattr(
        selectors,
        "contact_messages_reviewable",
        lambda *a, **k: (_ for _ in ()).throw(AssertionError("built again")),
    )
    counted = {}
    for offset in (-1, 0, 1):
        day = first_due + datetime.timedelta(days=offset)
        with time_machine.travel(
            timezone.make_aware(datetime.datetime.combine(day, datetime.time(12))), tick=False
        ):
            counted[offset] = selectors.contact_messages_due_count(rule, today=day)
    monkeypatch.undo()
    expected = {}
    for offset in (-1, 0, 1):
        day = first_due + datetime.timedelta(days=offset)
        expected[offset] = selectors.contact_messages_due_for_review(rule, today=day).count()
    assert counted == expected
    # Nothing the day before; the two plain ones on the day; the day after, the held one
    # (its hold over) and the one kept until then too.
    assert counted == {-1: 0, 0: 2, 1: 4}
