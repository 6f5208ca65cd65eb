"""The person's page (the "360"): everything held about one person by processing
activity, when each record ends or why it has no end yet, special-category data only for
those allowed, a fixed number of queries however many records, and the actions there."""

from __future__ import annotations

import datetime
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from requests_dsar.models import DsarRequest
from retention.models import RetentionRule
from subjects.models import AuditEvent, DataSubject, Invoice
from tests.factories import (
    CoachingNoteFactory,
    ConsentFactory,
    DataSubjectFactory,
    LegalHoldFactory,
    NewsletterSubscriptionFactory,
    SubjectRoleFactory,
    TraineeProfileFactory,
    TrajectoryFactory,
    TrajectoryParticipantFactory,
)

pytestmark = pytest.mark.django_db
AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")
ALLERGY = "pinda-allergie-xq"
NOTE = "coaching-inhoud-zq"


def _url(subject: DataSubject) -> str:
    return reverse("subjects_staff:person", kwargs={"pk": subject.pk})


def _trainee() -> DataSubject:
    person = DataSubjectFactory(first_name="Fenna", last_name="Bakker")
    trajectory = TrajectoryFactory(ended_on=None)
    participation = TrajectoryParticipantFactory(trajectory=trajectory, participant=person)
    TraineeProfileFactory(participation=participation, allergies=ALLERGY)
    CoachingNoteFactory(trajectory=trajectory, participant=person, content=NOTE)
    return person


def test_it_sends_anonymous_visitors_to_the_login(client):
    person = DataSubjectFactory()
    response = client.get(_url(person))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_it_refuses_a_user_who_is_not_staff(outsider_client):
    person = DataSubjectFactory()
    assert outsider_client.get(_url(person)).status_code == 403
    assert (
        outsider_client.get(
            reverse("subjects_staff:person_access_preview", kwargs={"pk": person.pk})
        ).status_code
        == 403
    )
    assert (
        outsider_client.post(
            reverse("subjects_staff:person_restrict", kwargs={"pk": person.pk}),
            {"ground": "b", "reason": "x"},
        ).status_code
        == 403
    )


def test_it_shows_special_category_data_only_to_the_privacy_officer(officer_client, staff_client):
    person = _trainee()
    officer_page = officer_client.get(_url(person)).content.decode()
    assert ALLERGY in officer_page and NOTE in officer_page
    staff_page = staff_client.get(_url(person)).content.decode()
    assert ALLERGY not in staff_page and NOTE not in staff_page
    assert 'id="special-hidden"' in staff_page


def test_the_access_preview_withholds_special_category_data_from_staff(
    officer_client, staff_client
):
    person = _trainee()
    url = reverse("subjects_staff:person_access_preview", kwargs={"pk": person.pk})
    staff_page = staff_client.get(url).content.decode()
    assert ALLERGY not in staff_page and 'id="preview-withheld"' in staff_page
    officer_page = officer_client.get(url).content.decode()
    assert ALLERGY in officer_page
    assert not DsarRequest.objects.exists()


def test_it_groups_by_activity_with_purpose_recipients_and_every_kind(officer_client):
    """Every registry entry the person has rows in appears, under its processing activity
    with the purpose and legal basis from the register."""
    from processing.models import ProcessingActivity
    from subjects.registry import registry

    person = _trainee()
    SubjectRoleFactory(subject=person)
    ConsentFactory(subject=person)
    page = officer_client.get(_url(person)).content.decode()
    held = [e for e in registry.subject_entries() if e.rows_for([person.pk]).exists()]
    assert len(held) >= 5
    for entry in held:
        assert f'id="kind-{entry.label.lower().replace(".", "")}"' in page, entry.label
        activity = ProcessingActivity.objects.get(key=entry.activity)
        assert f'id="activity-{entry.activity}"' in page
        assert activity.tr("purpose") in page
    assert "Kept while the trajectory runs" in page or "loopt" in page


def _person_with(rows: int) -> DataSubject:
    person = DataSubjectFactory()
    for _ in range(rows):
        SubjectRoleFactory(subject=person)
        ConsentFactory(subject=person)
        AuditEvent.objects.create(subject=person, action="subject.update", note="x")
    return person


def test_it_costs_the_same_queries_for_few_and_many_records(
    officer_client, django_assert_num_queries
):
    few, many = _person_with(2), _person_with(45)
    officer_client.get(_url(few))  # the session and the caches warm
    with CaptureQueriesContext(connection) as baseline:
        assert officer_client.get(_url(few)).status_code == 200
    with django_assert_num_queries(len(baseline)):
        response = officer_client.get(_url(many))
    assert response.status_code == 200
    assert (
        "page 1 of 3" in response.content.decode() or "pagina 1 van 3" in response.content.decode()
    )


def _end_cell(client, person: DataSubject) -> str:
    page = client.get(
        _url(person),
    ).content.decode()
    start = page.index('id="kind-subjectsnewslettersubscription"')
    return page[page.index('class="small record-end"', start) :].split("</td>", 1)[0]


def test_a_record_shows_its_deletion_moment_until_the_exact_limit(officer_client):
    """unsubscribe-6w: six weeks (elapsed) after unsubscribing; at that very moment the
    record is due at the next run. Weeks are elapsed time: across the change to summer
    time (29 March) the moment is 15:30 on the wall clock."""
    unsubscribed = datetime.datetime(2026, 3, 2, 14, 30, tzinfo=AMS)
    person = DataSubjectFactory()
    NewsletterSubscriptionFactory(subject=person, unsubscribed_at=unsubscribed)
    limit = unsubscribed.astimezone(datetime.UTC) + datetime.timedelta(weeks=6)
    with time_machine.travel(limit - datetime.timedelta(seconds=1), tick=False):
        assert "13 april 2026, 15:30" in _end_cell(officer_client, person)
    with time_machine.travel(limit, tick=False):
        rule = RetentionRule.objects.get(key="unsubscribe-6w")
        cell = _end_cell(officer_client, person)
        assert rule.name_nl in cell and "2026" not in cell


def test_a_subscription_still_active_has_no_date_but_the_start_of_its_clock(officer_client):
    person = DataSubjectFactory()
    NewsletterSubscriptionFactory(subject=person)
    cell = _end_cell(officer_client, person)
    assert "text-body-secondary" in cell and "2026" not in cell


def test_a_legal_hold_keeps_the_records_and_says_until_when(officer_client):
    person = DataSubjectFactory()
    NewsletterSubscriptionFactory(
        subject=person, unsubscribed_at=datetime.datetime(2026, 1, 5, tzinfo=AMS)
    )
    hold = LegalHoldFactory(subject=person)
    cell = _end_cell(officer_client, person)
    assert hold.name_nl in cell or hold.name_en in cell


def test_restricting_and_lifting_from_the_page(officer_client, staff_client):
    person = DataSubjectFactory()
    restrict = reverse("subjects_staff:person_restrict", kwargs={"pk": person.pk})
    officer_client.post(restrict, {"ground": "c", "reason": "Rechtszaak"})
    person.refresh_from_db()
    assert person.restricted_at and person.restriction_ground.startswith("Art. 18(1)(c) AVG")
    lift = reverse("subjects_staff:person_lift", kwargs={"pk": person.pk})
    officer_client.post(lift, {"told": ""})
    person.refresh_from_db()
    assert person.restricted_at is not None  # not without telling the person first
    officer_client.post(lift, {"told": "Per e-mail op 3 maart"})
    person.refresh_from_db()
    assert person.restricted_at is None
    assert AuditEvent.objects.filter(subject=person, action="subject.restriction-lift").exists()


def test_the_start_request_button_opens_the_received_request_form_for_the_person(
    officer_client,
):
    person = DataSubjectFactory()
    page = officer_client.get(_url(person)).content.decode()
    assert f"/staff/requests/new/?subject={person.pk}" in page


def _person_with_records(count: int) -> DataSubject:
    """A person with ``count`` invoices and ``count`` audit entries (bulk inserts)."""
    person = DataSubjectFactory(email=f"veel{count}@example.nl")
    today = timezone.localdate()
    Invoice.objects.bulk_create(
        Invoice(
            number=f"R{count}-{i}",
            subject=person,
            issued_on=today - datetime.timedelta(days=i % 1000),
            billing_name=person.full_name,
            amount=Decimal("10.00"),
        )
        for i in range(count)
    )
    AuditEvent.objects.bulk_create(
        AuditEvent(subject=person, action="subject.update", target=f"x #{i}") for i in range(count)
    )
    return person


def test_the_same_queries_for_a_person_with_10_and_with_1000_records(
    officer_client, django_assert_num_queries
):
    few, many = _person_with_records(10), _person_with_records(1000)
    officer_client.get(_url(few))  # the session and the caches warm
    with CaptureQueriesContext(connection) as baseline:
        assert officer_client.get(_url(few)).status_code == 200
    with django_assert_num_queries(len(baseline)):
        response = officer_client.get(_url(many), {"p-subjects.Invoice": "50"})
    assert response.status_code == 200
    page = response.content.decode()
    # Every kind counted in one query, a page of its rows: the last page of 1,000 invoices.
    assert "page 50 of 50" in page or "pagina 50 van 50" in page
    assert "R1000-980" in page and "R1000-979" not in page


def test_a_short_hold_does_not_hide_a_later_deletion_date(officer_client):
    """The later of the rule's date and the hold's counts (review finding 4)."""
    person = DataSubjectFactory()
    # Unsubscribed yesterday: deleted six weeks later, unless a hold keeps it longer.
    NewsletterSubscriptionFactory(
        subject=person, unsubscribed_at=timezone.now() - datetime.timedelta(days=1)
    )
    today = timezone.localdate()
    hold = LegalHoldFactory(subject=person, held_until=today + datetime.timedelta(days=10))
    cell = _end_cell(officer_client, person)
    assert hold.name_nl not in cell and hold.name_en not in cell
    assert str((today + datetime.timedelta(days=41)).year) in cell  # the rule's own date
    type(hold).objects.filter(pk=hold.pk).update(held_until=today + datetime.timedelta(days=90))
    cell = _end_cell(officer_client, person)
    assert hold.name_nl in cell or hold.name_en in cell


def test_opening_the_page_and_the_preview_is_in_the_read_log(officer, officer_client, staff_client):
    person = DataSubjectFactory()
    TraineeProfileFactory(participation__participant=person, allergies=ALLERGY)
    officer_client.get(_url(person))
    reads = AuditEvent.objects.filter(subject=person, action__startswith="read.")
    assert set(reads.values_list("action", flat=True)) == {"read.subject", "read.special-category"}
    staff_client.get(_url(person))
    assert reads.filter(action="read.subject").count() == 2
    assert reads.filter(action="read.special-category").count() == 1  # staff saw none
    preview = reverse("subjects_staff:person_access_preview", kwargs={"pk": person.pk})
    officer_client.get(preview)
    assert reads.filter(action="read.special-category").count() == 2


def test_the_page_speaks_words_not_codes_and_keeps_health_consents_from_staff(
    officer_client, staff_client
):
    person = DataSubjectFactory()
    ConsentFactory(subject=person, given_via="newsletter-form+double-opt-in")
    health = ConsentFactory(subject=person, purpose="allergies").text.text_nl
    officer_client.post(
        reverse("subjects_staff:person_restrict", kwargs={"pk": person.pk}),
        {"ground": "c", "reason": "Rechtszaak"},
    )
    url = "/en" + _url(person)  # reversed before an English page activates English
    officer_page = officer_client.get(url).content.decode()
    assert "newsletter-form+double-opt-in" not in officer_page
    assert "address confirmed by e-mail" in officer_page
    assert "subject.restrict" not in officer_page
    assert health in officer_page
    staff_page = staff_client.get(url).content.decode()
    assert health not in staff_page
    assert 'id="consents-withheld"' in staff_page


def test_a_request_shows_when_it_was_received_not_when_it_was_recorded(officer, officer_client):
    from requests_dsar.services.received import dsar_request_record

    person = DataSubjectFactory()
    with time_machine.travel(datetime.datetime(2026, 3, 20, 10, tzinfo=AMS), tick=False):
        dsar_request_record(
            actor=officer,
            channel="letter",
            received_at=datetime.datetime(2026, 3, 2, 9, tzinfo=AMS),
            request_type="access",
            name=person.full_name,
            verification_method="call-back",
            subject=person,
        )
        page = officer_client.get("/en" + _url(person)).content.decode()
    assert "2 March 2026" in page and "30 March 2026" in page


def test_a_page_of_a_kind_is_one_query_read_in_key_order_from_the_persons_index(
    officer_client,
):
    """A page of a kind costs one query, not one per row (its links are joined, the link
    back to the person is not followed); where an index on (person, key) serves it, the
    query asks for the key order itself, so the index gives the page without a sort."""
    person = _person_with_records(45)
    with CaptureQueriesContext(connection) as queries:
        response = officer_client.get(_url(person), {"p-subjects.Invoice": "2"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "R45-20" in page and "R45-39" in page and "R45-40" not in page
    invoice_reads = [
        q["sql"]
        for q in queries.captured_queries
        if 'FROM "subjects_invoice"' in q["sql"] and "UNION" not in q["sql"]
    ]
    assert len(invoice_reads) == 1
    assert 'ORDER BY "subjects_invoice"."id" ASC' in invoice_reads[0]
    assert 'JOIN "subjects_datasubject"' not in invoice_reads[0]  # the person, read already
    # The person is read once, by the view, not per row nor per kind.
    people_reads = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT")
        and 'FROM "subjects_datasubject"' in q["sql"]
        and "UNION" not in q["sql"]  # the counts
    ]
    assert len(people_reads) == 1


def test_only_kinds_with_an_index_on_person_and_key_are_paged_in_key_order():
    from subjects.person import _paged_by_index
    from subjects.registry import registry

    by_label = {entry.label: entry for entry in registry.subject_entries()}
    for label in ("subjects.AuditEvent", "subjects.Invoice", "subjects.ContactMessage"):
        assert _paged_by_index(by_label[label]), label
    # No such index: ordered by an expression over the key, so PostgreSQL cannot walk the
    # whole table in key order looking for the person's rows.
    assert not _paged_by_index(by_label["subjects.NewsletterSubscription"])
    assert not _paged_by_index(by_label["subjects.TraineeProfile"])  # through a link
    assert not _paged_by_index(by_label["subjects.TrajectoryParticipant"])  # two links


def test_the_lists_counted_with_the_registry_still_show_what_they_hold(officer, officer_client):
    """Rights requests, legal holds, consents and roles are counted with the registry's
    entries and read only when there are any: shown when there are, and the audit trail
    newest first, a page at a time."""
    from requests_dsar.services.received import dsar_request_record

    person = DataSubjectFactory()
    bare = officer_client.get(_url(person)).content.decode()
    assert "No legal hold on this person." in bare or "Geen bewaarplicht" in bare
    request = dsar_request_record(
        actor=officer,
        channel="letter",
        received_at=timezone.now(),
        request_type="access",
        name=person.full_name,
        verification_method="call-back",
        subject=person,
    )
    hold = LegalHoldFactory(subject=person)
    role = SubjectRoleFactory(subject=person, job_title="Teamleider-xq")
    consent = ConsentFactory(subject=person)
    AuditEvent.objects.bulk_create(
        AuditEvent(subject=person, action="subject.update", note=f"note-{i}-xq") for i in range(25)
    )
    page = officer_client.get(_url(person)).content.decode()
    assert request.reference in page
    assert hold.name_nl in page or hold.name_en in page
    assert role.job_title in page
    assert consent.text.text_nl in page
    audit = page[page.index('id="audit"') :]
    assert "note-24-xq" in audit and "note-0-xq" not in audit  # newest first
    older = officer_client.get(_url(person), {"p-audit": "2"}).content.decode()
    assert "note-0-xq" in older[older.index('id="audit"') :]
