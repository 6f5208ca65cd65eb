"""Art. 14 notices: whoever's data came from someone else (a mentor or trainee named by
their employer, a contact named by their organisation) is e-mailed the information of
each such activity, in their language, within one month of being recorded; the sending
is recorded, nobody is told twice, and staff see who has not been told."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from processing.art14 import (
    NO_EMAIL,
    RESTRICTED,
    art14_due_at,
    art14_notice_record_other,
    art14_notices_pending,
    art14_notices_send,
    art14_summary,
)
from processing.models import Art14Notice, ProcessingActivity, SubjectCategory
from processing.tasks import send_art14_notices
from subjects.models import AuditEvent
from subjects.services import data_subject_restrict
from tests import factories as f

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
RECORDED = datetime.datetime(2026, 3, 10, 14, 0, tzinfo=AMSTERDAM)


def _named_by_employer(category: str = "mentor", *, at=RECORDED, **person):
    """A person entered by staff with a role their employer named them in."""
    with time_machine.travel(at, tick=False):
        subject = f.DataSubjectFactory(**person)
        f.SubjectRoleFactory(subject=subject, category=SubjectCategory.objects.get(key=category))
    return subject


def test_the_notice_is_due_one_calendar_month_after_recording():
    assert art14_due_at(RECORDED) == datetime.datetime(2026, 4, 10, 14, 0, tzinfo=AMSTERDAM)
    end_of_january = datetime.datetime(2026, 1, 31, 9, 0, tzinfo=AMSTERDAM)
    assert art14_due_at(end_of_january) == datetime.datetime(2026, 2, 28, 9, 0, tzinfo=AMSTERDAM)
    # Across the change to summer time: the same wall-clock time a month later.
    assert art14_due_at(datetime.datetime(2026, 3, 20, 9, 0, tzinfo=AMSTERDAM)).hour == 9


def test_a_mentor_named_by_the_employer_is_told_by_e_mail_in_their_language():
    mentor = _named_by_employer("mentor", language="en", first_name="Eva")
    with time_machine.travel(RECORDED + datetime.timedelta(days=1), tick=False):
        assert art14_notices_send() == 1
    message = mail.outbox[-1]
    assert message.to == [mentor.email]
    assert message.subject == "What Leafspring B.V. does with your personal data"
    body = message.body
    assert body.startswith("Dear Eva,")
    assert "has received your personal data from someone else" in body
    assert "10. MENTOR" in body
    assert "Purpose: The mentor's role in the traineeship programme." in body
    assert "Where the data comes from: From your employer" in body
    assert "How long: Until the end of the trajectory." in body
    assert "http://127.0.0.1:8000/en/verzoek/" in body
    assert "http://127.0.0.1:8000/en/privacyverklaring/" in body
    assert "Autoriteit Persoonsgegevens" in body
    assert "{#" not in body and "###" not in body
    assert "Do you have to provide it?" not in body  # Art. 13 only
    assert "We take no decision about you based solely on automated processing" in body
    notice = Art14Notice.objects.get()
    assert (notice.subject, notice.activity.key, notice.language, notice.method) == (
        mentor,
        "mentor",
        "en",
        "email",
    )
    assert notice.sent_at == RECORDED + datetime.timedelta(days=1)
    assert AuditEvent.objects.filter(action="art14.notice-sent", subject=mentor).exists()


def test_a_dutch_trainee_gets_the_notice_in_dutch():
    trainee = _named_by_employer("trainee", language="nl")
    with time_machine.travel(RECORDED + datetime.timedelta(hours=20), tick=False):
        art14_notices_send()
    body = mail.outbox[-1].body
    assert "9. DEELNEMERS TRAINEESHIP-PROGRAMMA" in body
    assert "Van jou zelf of van jouw werkgever" in body
    assert "http://127.0.0.1:8000/verzoek/" in body
    assert "/en/" not in body
    assert Art14Notice.objects.get(subject=trainee).language == "nl"


def test_one_e_mail_covers_every_activity_the_person_was_not_told_about():
    contact = _named_by_employer("client-organisation-contact", language="en")
    with time_machine.travel(RECORDED + datetime.timedelta(days=2), tick=False):
        art14_notices_send()
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    for heading in ("5. SERVICES", "6. INVOICING AND PAYMENTS", "8. TRAINEESHIP FOR ORGANISATIONS"):
        assert heading in body
    told = Art14Notice.objects.filter(subject=contact).values_list("activity__key", flat=True)
    assert set(told) == {"services", "invoicing", "traineeship-organisations"}


def test_nobody_is_told_twice():
    _named_by_employer("mentor")
    with time_machine.travel(RECORDED + datetime.timedelta(days=1), tick=False):
        assert art14_notices_send() == 1
    with time_machine.travel(RECORDED + datetime.timedelta(days=2), tick=False):
        assert art14_notices_send() == 0
        assert send_art14_notices() == 0
    assert len(mail.outbox) == 1
    assert Art14Notice.objects.count() == 1


def test_a_new_activity_later_is_told_on_its_own():
    person = _named_by_employer("mentor")
    with time_machine.travel(RECORDED + datetime.timedelta(days=1), tick=False):
        art14_notices_send()
    f.SubjectRoleFactory(subject=person, category=SubjectCategory.objects.get(key="trainee"))
    with time_machine.travel(RECORDED + datetime.timedelta(days=40), tick=False):
        assert art14_notices_send() == 1
    assert "10. MENTOR" not in mail.outbox[-1].body
    assert Art14Notice.objects.filter(subject=person).count() == 2


def test_who_gave_the_data_themselves_gets_no_notice():
    f.SubjectRoleFactory()  # a client
    f.SubjectRoleFactory(category=SubjectCategory.objects.get(key="newsletter-subscriber"))
    assert art14_notices_pending() == []
    assert art14_notices_send() == 0
    assert mail.outbox == []


def test_a_role_that_ended_needs_no_notice_any_more():
    person = _named_by_employer("mentor")
    person.roles.update(ended_on=datetime.date(2026, 3, 11))
    with time_machine.travel(RECORDED + datetime.timedelta(days=3), tick=False):
        assert art14_notices_pending() == []


def test_the_job_sends_within_the_month_and_the_notice_is_late_only_at_its_exact_end():
    due = art14_due_at(RECORDED)
    _named_by_employer("mentor")
    with time_machine.travel(due - datetime.timedelta(microseconds=1), tick=False):
        [pending] = art14_notices_pending()
        assert not pending.overdue
        assert art14_summary() == {"pending": 1, "overdue": 0, "manual": 0}
    with time_machine.travel(due, tick=False):
        [pending] = art14_notices_pending()
        assert pending.overdue
        assert art14_summary()["overdue"] == 1
    with time_machine.travel(due - datetime.timedelta(minutes=1), tick=False):
        assert art14_notices_send() == 1
    assert Art14Notice.objects.get().sent_at < due


def test_without_an_e_mail_address_the_person_stays_on_the_list_and_becomes_late():
    person = _named_by_employer("mentor", email="")
    due = art14_due_at(RECORDED)
    with time_machine.travel(due - datetime.timedelta(seconds=1), tick=False):
        assert art14_notices_send() == 0
        [pending] = art14_notices_pending()
        assert (pending.subject, pending.overdue) == (person, False)
        assert pending.reason == str(NO_EMAIL)
    with time_machine.travel(due, tick=False):
        assert art14_notices_pending()[0].overdue
        assert art14_summary() == {"pending": 1, "overdue": 1, "manual": 1}
    assert mail.outbox == []


def test_a_restricted_person_is_not_e_mailed_but_listed_for_staff():
    person = _named_by_employer("trainee")
    data_subject_restrict(actor=None, subject=person, ground="Art. 18(1)(a)")
    with time_machine.travel(RECORDED + datetime.timedelta(days=1), tick=False):
        assert art14_notices_send() == 0
        assert art14_notices_pending()[0].reason == str(RESTRICTED)
    assert mail.outbox == []


def test_a_failed_e_mail_records_nothing_and_is_tried_again(monkeypatch):
    _named_by_employer("mentor")

    def broken(self, *args, **kwargs):
        raise OSError("mail server down")

    with monkeypatch.context() as patch:
        patch.setattr("django.core.mail.message.EmailMessage.send", broken)
        assert art14_notices_send() == 0
    assert not Art14Notice.objects.exists()
    assert art14_notices_send() == 1
    assert Art14Notice.objects.count() == 1


def test_staff_record_that_a_person_was_told_another_way(staff):
    person = _named_by_employer("client-organisation-contact", email="")
    note = "Op papier gegeven, 3 maart"
    assert art14_notice_record_other(actor=staff, subject=person, note=note) == 3
    notices = Art14Notice.objects.filter(subject=person)
    assert {n.method for n in notices} == {"other"}
    assert {n.recorded_by for n in notices} == {staff}
    assert art14_notices_pending() == []
    with pytest.raises(ValidationError):
        art14_notice_record_other(actor=staff, subject=person, note="Nog eens")


@pytest.mark.parametrize("note", ["", "   ", "x" * 1001])
def test_recording_another_way_needs_a_note_of_reasonable_length(staff, note):
    person = _named_by_employer("mentor", email="")
    with pytest.raises(ValidationError):
        art14_notice_record_other(actor=staff, subject=person, note=note)
    assert not Art14Notice.objects.exists()


def test_the_daily_job_is_on_the_beat_schedule():
    from retention.schedule import beat_schedule

    entry = beat_schedule()["art14-send-notices"]
    assert entry["task"] == send_art14_notices.name


# The staff page.

PAGE = "/en/staff/art14-notices/"


def test_anonymous_visitors_are_sent_to_login(client):
    person = _named_by_employer("mentor", email="")
    url = reverse("statement:art14_record", args=[person.pk])
    for response in (client.get(PAGE), client.post(url, {"note": "x"})):
        assert response.status_code == 302
        assert "login" in response["Location"]


def test_an_outsider_is_refused(outsider_client):
    person = _named_by_employer("mentor", email="")
    url = reverse("statement:art14_record", args=[person.pk])
    assert outsider_client.get(PAGE).status_code == 403
    assert outsider_client.post(url, {"note": "Gebeld"}).status_code == 403
    assert not Art14Notice.objects.exists()


@pytest.mark.parametrize("client_fixture", ["staff_client", "officer_client"])
def test_staff_and_the_officer_see_who_was_not_told_and_record_it(request, client_fixture):
    client = request.getfixturevalue(client_fixture)
    waiting = _named_by_employer("mentor", email="", first_name="Wim", last_name="Zonder")
    told = _named_by_employer("trainee", first_name="Tara", last_name="Verteld")
    Art14Notice.objects.create(
        subject=told,
        activity=ProcessingActivity.objects.get(key="traineeship-participants"),
        language="nl",
    )
    body = client.get(PAGE).content.decode()
    assert "<bdi>Wim Zonder</bdi>" in body
    assert "Tara Verteld" not in body
    assert "no e-mail address: tell them another way" in body
    response = client.post(
        reverse("statement:art14_record", args=[waiting.pk]), {"note": "Brief meegegeven"}
    )
    assert response.status_code == 302
    assert Art14Notice.objects.get(subject=waiting).note == "Brief meegegeven"


def test_recording_without_a_note_changes_nothing_and_says_why(staff_client):
    person = _named_by_employer("mentor", email="")
    response = staff_client.post(
        "/en" + reverse("statement:art14_record", args=[person.pk]).removeprefix("/en"),
        {"note": ""},
        follow=True,
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Art14Notice.objects.exists()


@pytest.mark.parametrize("pk", [2**40, 10**30])
def test_recording_for_an_unknown_person_is_not_found(staff_client, pk):
    url = reverse("statement:art14_record", args=[pk])
    assert staff_client.post(url, {"note": "x"}).status_code == 404


def test_the_page_and_the_dashboard_cost_the_same_with_more_people(staff_client):
    _named_by_employer("mentor", email="")
    staff_client.get(PAGE)
    with CaptureQueriesContext(connection) as few_page:
        staff_client.get(PAGE)
    cache.clear()  # both counted cold: the dashboard words the statement draft afresh
    with CaptureQueriesContext(connection) as few_dashboard:
        staff_client.get("/en/staff/")
    for n in range(8):
        _named_by_employer("client-organisation-contact" if n % 2 else "trainee")
    with CaptureQueriesContext(connection) as many_page:
        body = staff_client.get(PAGE).content.decode()
    cache.clear()
    with CaptureQueriesContext(connection) as many_dashboard:
        dashboard = staff_client.get("/en/staff/").content.decode()
    assert len(few_page) == len(many_page)
    assert len(few_dashboard) == len(many_dashboard)
    assert body.count("<bdi>") == 9
    assert "Art. 14 notices: 9 people not yet told" in dashboard


def test_the_month_counts_from_when_someone_else_named_the_person_not_from_their_first_visit():
    """A person who came to us themselves long ago (a newsletter subscriber) and is later
    named as a trainee by their employer: the month of Art. 14(3)(a) runs from the role."""
    with time_machine.travel(RECORDED - datetime.timedelta(days=200), tick=False):
        subject = f.DataSubjectFactory()
    with time_machine.travel(RECORDED, tick=False):
        f.SubjectRoleFactory(subject=subject, category=SubjectCategory.objects.get(key="mentor"))
    due = art14_due_at(RECORDED)
    with time_machine.travel(due - datetime.timedelta(microseconds=1), tick=False):
        [pending] = art14_notices_pending()
        assert (pending.subject, pending.due_at, pending.overdue) == (subject, due, False)
    with time_machine.travel(due, tick=False):
        assert art14_notices_pending()[0].overdue


def test_the_earliest_role_that_still_needs_telling_sets_the_month():
    subject = _named_by_employer("mentor")
    with time_machine.travel(RECORDED + datetime.timedelta(days=20), tick=False):
        f.SubjectRoleFactory(subject=subject, category=SubjectCategory.objects.get(key="trainee"))
        [pending] = art14_notices_pending()
    assert pending.due_at == art14_due_at(RECORDED)
    assert len(pending.activities) >= 2


def test_roles_recorded_before_the_field_existed_count_from_their_person():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("subjects.migrations.0014_role_recorded_at")
    subject = _named_by_employer("mentor", at=RECORDED - datetime.timedelta(days=3))
    subject.roles.update(recorded_at=RECORDED + datetime.timedelta(days=40))
    migration.recorded_when_the_person_was(apps, None)
    assert subject.roles.get().recorded_at == subject.created_at
