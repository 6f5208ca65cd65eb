"""Erasure (Art. 17) over the registry: legal holds keep and restrict, the rest goes."""

from __future__ import annotations

import datetime
import json

import pytest
import time_machine
from django.utils import timezone

from requests_dsar.fulfilment.erasure import erasure_carry_out
from requests_dsar.fulfilment.packages import private_root
from requests_dsar.models import DsarRequest, ErasureRecord
from subjects.models import (
    AuditEvent,
    BrochureRequest,
    ContactMessage,
    Correspondence,
    DataSubject,
    Invoice,
    NewsletterSubscription,
    SubjectRole,
    TrajectoryParticipant,
)
from tests import factories as f

pytestmark = pytest.mark.django_db


def _client_with_invoices():
    client = f.DataSubjectFactory(email="klant@example.nl", first_name="Kees")
    f.SubjectRoleFactory(subject=client)
    invoices = [f.InvoiceFactory(subject=client), f.InvoiceFactory(subject=client)]
    f.NewsletterSubscriptionFactory(subject=client)
    f.ContactMessageFactory(subject=client)
    f.BrochureRequestFactory(subject=client)
    f.ConsentFactory(subject=client)
    f.CliftonStrengthsAccountFactory(subject=client)
    return client, invoices


def test_erasing_a_client_keeps_the_invoices_restricted_and_removes_the_rest(person, desk):
    client, invoices = _client_with_invoices()
    kees = person("klant@example.nl", "Kees")
    kees.submit("erasure")
    kees.verify()
    dsar = DsarRequest.objects.get()
    desk.act(dsar, "erase")

    kept = list(Invoice.objects.order_by("pk"))
    assert [i.pk for i in kept] == [i.pk for i in invoices]
    until = datetime.date(timezone.localdate().year + 7, 12, 31)
    for invoice in kept:
        assert invoice.restricted_at is not None
        assert "fiscal" in invoice.restriction_ground
        assert until.isoformat() in invoice.restriction_ground
    # The person stays only because the invoices refer to them, restricted under the
    # legal hold, with only what finds the invoices again (name, e-mail address).
    client.refresh_from_db()
    assert client.restricted_at is not None
    assert client.restriction_ground.startswith("Art. 17(3)(b)")
    assert (client.first_name, client.email) == ("Kees", "klant@example.nl")
    assert client.last_name
    assert (client.phone, client.street_address, client.postcode, client.city) == ("",) * 4
    for model in (NewsletterSubscription, ContactMessage, BrochureRequest, SubjectRole):
        assert not model.objects.filter(subject=client).exists(), model
    assert not client.consents.exists()
    assert not client.clifton_accounts.exists()

    record = ErasureRecord.objects.get(request=dsar)
    lines = {line["model"]: line for line in record.lines}
    assert lines["subjects.Invoice"]["kept"] == 2
    assert lines["subjects.Invoice"]["ground"] == "fiscal"
    assert lines["subjects.Invoice"]["until"] == until.isoformat()
    assert lines["subjects.NewsletterSubscription"]["erased"] == 1
    assert lines["subjects.DataSubject"]["kept"] == 1
    # The record proves what happened without keeping the erased values.
    assert "klant@example.nl" not in json.dumps(record.lines)
    assert AuditEvent.objects.filter(action="subject.erase").exists()


def test_an_access_request_after_erasure_shows_exactly_what_stayed(person, desk):
    client, invoices = _client_with_invoices()
    kees = person("klant@example.nl", "Kees")
    kees.submit("erasure")
    kees.verify()
    erasure = DsarRequest.objects.get()
    desk.act(erasure, "erase")
    for task in erasure.recipient_tasks.all():
        desk.act(erasure, "task", task_id=task.pk, state="not-possible", reason="Geen account")
    answer = desk.complete(erasure)
    assert "Facturen (2): bewaard en beperkt" in answer

    kees.submit("access")
    kees.verify()
    access = DsarRequest.objects.exclude(pk=erasure.pk).get()
    desk.act(access, "access")
    package = access.packages.get()
    data = json.loads((private_root() / package.directory / "data.json").read_text())
    held = {section["model"]: len(section["rows"]) for section in data["data"]}
    assert held.pop("subjects.Invoice") == len(invoices)
    assert held.pop("subjects.DataSubject") == 1
    assert set(held) <= {"requests_dsar.DsarRequest", "subjects.AuditEvent"}
    invoice_rows = next(s for s in data["data"] if s["model"] == "subjects.Invoice")["rows"]
    assert all(row["restricted_at"] for row in invoice_rows)
    person_row = next(s for s in data["data"] if s["model"] == "subjects.DataSubject")["rows"][0]
    assert person_row["email"] == "klant@example.nl"
    assert [person_row[k] for k in ("phone", "street_address", "postcode", "city")] == [""] * 4
    assert person_row["restriction_ground"].startswith("Art. 17(3)(b)")


def test_old_invoices_are_erased_while_recent_correspondence_keeps_the_person_restricted():
    subject = f.DataSubjectFactory(phone="0612345678", city="Zutphen")
    f.InvoiceFactory(subject=subject, issued_on=datetime.date(2010, 3, 1))
    f.CorrespondenceFactory(subject=subject, sent_at=timezone.now() - datetime.timedelta(days=1))
    dsar = DsarRequest.objects.create(
        reference="V-OLD",
        request_type="erasure",
        name="x",
        email=subject.email,
        status="in-progress",
    )
    dsar.subjects.add(subject)
    record = erasure_carry_out(actor=None, request=dsar)
    assert not Invoice.objects.exists()
    # The recent business e-mail is still under the fiscal hold and keeps the person.
    assert Correspondence.objects.get().restricted_at is not None
    subject.refresh_from_db()
    assert subject.restriction_ground.startswith("Art. 17(3)(b)")
    assert (subject.phone, subject.city) == ("", "")
    assert record.subject_kept


def test_a_specific_legal_hold_keeps_everything_until_its_date():
    subject = f.DataSubjectFactory()
    f.NewsletterSubscriptionFactory(subject=subject)
    held_until = timezone.localdate() + datetime.timedelta(days=400)
    f.LegalHoldFactory(subject=subject, held_until=held_until)
    dsar = DsarRequest.objects.create(
        reference="V-HOLD",
        request_type="erasure",
        name="x",
        email=subject.email,
        status="in-progress",
    )
    dsar.subjects.add(subject)
    erasure_carry_out(actor=None, request=dsar)
    subscription = NewsletterSubscription.objects.get()
    assert subscription.restricted_at is not None
    assert "claim-2026" in subscription.restriction_ground
    subject.refresh_from_db()
    assert subject.restricted_at is not None
    assert subject.restriction_ground.startswith("Art. 17(3)(b)")
    assert subject.phone  # a specific hold keeps everything until its date


def test_a_person_kept_only_for_held_invoices_keeps_just_name_and_e_mail():
    subject = f.DataSubjectFactory(
        email="klant@example.nl",
        phone="0612345678",
        street_address="Hoofdstraat 1",
        postcode="7201 AA",
        city="Zutphen",
    )
    f.InvoiceFactory(subject=subject)
    # Restricted while the accuracy is checked (Art. 18(1)(a)): no reason to keep it.
    DataSubject.objects.filter(pk=subject.pk).update(
        restricted_at=timezone.now(), restriction_ground="Art. 18(1)(a) AVG (V-EARLIER) onjuist"
    )
    dsar = DsarRequest.objects.create(
        reference="V-KEEP", request_type="erasure", name="x", email=subject.email, status="new"
    )
    dsar.subjects.add(subject)
    erasure_carry_out(actor=None, request=dsar)
    kept = DataSubject.objects.get(pk=subject.pk)
    assert (kept.first_name, kept.last_name, kept.email) == (
        subject.first_name,
        subject.last_name,
        "klant@example.nl",
    )
    assert (kept.phone, kept.street_address, kept.postcode, kept.city) == ("", "", "", "")
    # A legal hold now, no longer an Art. 18 restriction: lifting Art. 18 leaves it.
    assert kept.restriction_ground.startswith("Art. 17(3)(b)")
    assert kept.restricted_at is not None


def test_restriction_grounds_under_art_18_start_with_art_18(officer):
    from requests_dsar.fulfilment.restriction import restriction_apply

    subject = f.DataSubjectFactory()
    subscription = f.NewsletterSubscriptionFactory(subject=subject)
    dsar = DsarRequest.objects.create(
        reference="V-R18", request_type="restriction", name="x", email=subject.email, status="new"
    )
    dsar.subjects.add(subject)
    restriction_apply(actor=officer, request=dsar, ground="a", reason="De gegevens kloppen niet.")
    subject.refresh_from_db()
    subscription.refresh_from_db()
    assert subject.restriction_ground.startswith("Art. 18")
    assert subscription.restriction_ground.startswith("Art. 18")
    assert not subject.restriction_ground.startswith("Art. 17(3)(b)")


def test_erasing_a_mentor_unlinks_them_without_erasing_the_trainees_participation():
    participation = f.TrajectoryParticipantFactory(mentor=f.DataSubjectFactory())
    mentor = participation.mentor
    dsar = DsarRequest.objects.create(
        reference="V-MENTOR",
        request_type="erasure",
        name="x",
        email=mentor.email,
        status="in-progress",
    )
    dsar.subjects.add(mentor)
    erasure_carry_out(actor=None, request=dsar)
    participation = TrajectoryParticipant.objects.get(pk=participation.pk)
    assert participation.mentor is None
    assert not DataSubject.objects.filter(pk=mentor.pk).exists()


def test_erasure_runs_in_the_future_after_the_hold_has_ended():
    subject = f.DataSubjectFactory()
    f.InvoiceFactory(subject=subject, issued_on=datetime.date(2026, 6, 1))
    dsar = DsarRequest.objects.create(
        reference="V-LATER",
        request_type="erasure",
        name="x",
        email=subject.email,
        status="in-progress",
    )
    dsar.subjects.add(subject)
    with time_machine.travel(datetime.datetime(2034, 1, 2, 12, tzinfo=datetime.UTC)):
        erasure_carry_out(actor=None, request=dsar)
    assert not Invoice.objects.exists()
    assert not DataSubject.objects.filter(pk=subject.pk).exists()


def test_recipients_of_kept_records_are_asked_to_keep_them_restricted_not_to_erase():
    from requests_dsar.models import RecipientTask

    client, _invoices = _client_with_invoices()
    dsar = DsarRequest.objects.create(
        reference="V-TASKS",
        request_type="erasure",
        name="x",
        email=client.email,
        status="in-progress",
    )
    dsar.subjects.add(client)
    erasure_carry_out(actor=None, request=dsar)
    tasks = {t.recipient.key: t.instruction for t in RecipientTask.objects.filter(request=dsar)}
    assert tasks["mailchimp"].startswith("Vragen de gegevens van de betrokkene te verwijderen")
    assert tasks["gallup"].startswith("Vragen de gegevens van de betrokkene te verwijderen")
    assert tasks["financial-administration"].startswith("Vragen de gegevens alleen te bewaren")


# The erasure answer says exactly what was done, never more.


def _erasure_request(person, email: str):
    requester = person(email)
    requester.submit("erasure")
    requester.verify()
    return DsarRequest.objects.get()


def _draft(desk, dsar) -> str:
    page = desk.client.get(f"/staff/requests/{dsar.pk}/")
    return page.context["forms"]["complete"].initial["answer"]


def test_erasing_for_an_unknown_address_is_refused_and_points_to_no_data(person, desk):
    dsar = _erasure_request(person, "nobody@example.nl")
    page = desk.client.get(f"/staff/requests/{dsar.pk}/").content.decode()
    assert f"/staff/requests/{dsar.pk}/erase/" not in page
    errors = desk.errors_after(dsar, "erase")
    assert any("niets te verwijderen" in e and "geen gegevens" in e for e in errors), errors
    assert not ErasureRecord.objects.exists()
    dsar.refresh_from_db()
    assert dsar.fulfilled_at is None

    desk.act(dsar, "no-data")
    draft = _draft(desk, dsar)
    assert "hebben onder dit e-mailadres geen gegevens" in draft
    assert "verwijderd" not in draft
    assert draft == desk.complete(dsar)


def test_when_the_law_keeps_everything_the_answer_says_nothing_could_be_erased(person, desk):
    subject = f.DataSubjectFactory(
        email="klant@example.nl", phone="0612345678", street_address="Hoofdstraat 1"
    )
    f.InvoiceFactory(subject=subject)
    dsar = _erasure_request(person, "klant@example.nl")
    desk.act(dsar, "erase")
    for task in dsar.recipient_tasks.all():
        desk.act(dsar, "task", task_id=task.pk, state="done", reason="")
    draft = desk.complete(dsar)
    body = draft.split("\n\n", 1)[1]
    assert body.startswith("We konden je persoonsgegevens niet verwijderen, omdat de wet ")
    assert "als volgt verwijderd" not in draft
    assert "- Facturen (1): bewaard en beperkt" in draft
    assert "- Je persoonlijke gegevens (1): bewaard en beperkt" in draft
    # What was blanked on the kept person is named.
    assert "Van wat we bewaren, hebben we verwijderd: " in draft
    removed = draft.split("hebben we verwijderd: ", 1)[1].split(".")[0]
    assert {"telefoonnummer", "adres", "postcode", "plaats"} <= set(removed.split(", "))
    assert "voornaam" not in removed and "e-mailadres" not in removed
    record = ErasureRecord.objects.get(request=dsar)
    line = next(ln for ln in record.lines if ln["model"] == "subjects.DataSubject")
    assert set(line["blanked"]) == {"phone", "street_address", "postcode", "city"}


def test_a_partial_erasure_says_what_was_erased_then_what_the_law_keeps(person, desk):
    subject = f.DataSubjectFactory(email="klant@example.nl")
    f.InvoiceFactory(subject=subject)
    f.NewsletterSubscriptionFactory(subject=subject)
    dsar = _erasure_request(person, "klant@example.nl")
    desk.act(dsar, "erase")
    body = _draft(desk, dsar).split("\n\n", 1)[1]
    lines = body.splitlines()
    assert lines[0] == "We hebben je persoonsgegevens als volgt verwijderd:"
    erased = lines.index("- Nieuwsbriefinschrijvingen (1): verwijderd.")
    keep_heading = lines.index("Wat de wet ons verplicht te bewaren, bewaren we beperkt:")
    kept = next(i for i, ln in enumerate(lines) if ln.startswith("- Facturen (1): bewaard"))
    assert erased < keep_heading < kept


def test_a_full_erasure_keeps_nothing_and_blanks_nothing(person, desk):
    subject = f.DataSubjectFactory(email="weg@example.nl")
    f.NewsletterSubscriptionFactory(subject=subject)
    dsar = _erasure_request(person, "weg@example.nl")
    desk.act(dsar, "erase")
    body = _draft(desk, dsar).split("\n\n", 1)[1]
    assert body.startswith("We hebben je persoonsgegevens als volgt verwijderd:")
    assert "- Je persoonlijke gegevens (1): verwijderd." in body
    assert "bewaard" not in body and "Van wat we bewaren" not in body
    assert not DataSubject.objects.filter(pk=subject.pk).exists()


def _erasure_of(*subjects) -> DsarRequest:
    dsar = DsarRequest.objects.create(
        reference="V-MON1",
        request_type="erasure",
        name="M",
        email=subjects[0].email,
        status="in-progress",
    )
    dsar.subjects.add(*subjects)
    return dsar


def test_a_monitor_participation_without_research_consent_is_said_to_be_deleted(officer):
    from requests_dsar.fulfilment.answers import answer_draft
    from subjects.models import CoachingMonitorParticipation

    subject = f.DataSubjectFactory(email="m@example.nl")
    participation = f.CoachingMonitorParticipationFactory(subject=subject, research_consent=False)
    dsar = _erasure_of(subject)
    erasure_carry_out(actor=officer, request=dsar)
    assert not CoachingMonitorParticipation.objects.filter(pk=participation.pk).exists()
    lines = [
        ln
        for ln in dsar.erasure_record.lines
        if ln["model"] == "subjects.CoachingMonitorParticipation"
    ]
    assert [(ln["action"], ln["erased"]) for ln in lines] == [("delete", 1)]
    draft = answer_draft(dsar)
    assert "- Deelnames Coaching Monitor (1): verwijderd." in draft
    assert "geanonimiseerd" not in draft


def test_deleted_and_anonymised_monitor_participations_get_a_line_each(officer):
    from requests_dsar.fulfilment.answers import answer_draft

    subject = f.DataSubjectFactory(email="m@example.nl")
    f.CoachingMonitorParticipationFactory(subject=subject, research_consent=False)
    f.CoachingMonitorParticipationFactory(
        subject=subject, research_consent=True, answers={"q1": 3, "toelichting": "x"}
    )
    dsar = _erasure_of(subject)
    erasure_carry_out(actor=officer, request=dsar)
    lines = sorted(
        (ln["action"], ln["erased"])
        for ln in dsar.erasure_record.lines
        if ln["model"] == "subjects.CoachingMonitorParticipation"
    )
    assert lines == [("anonymise", 1), ("delete", 1)]
    draft = answer_draft(dsar)
    assert "- Deelnames Coaching Monitor (1): geanonimiseerd" in draft
    assert "- Deelnames Coaching Monitor (1): verwijderd." in draft
