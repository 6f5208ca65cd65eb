"""Each of the seven rights: public form, e-mail verification, staff handling, answer."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.utils import timezone

from processing.models import Consent
from requests_dsar.models import DsarRequest, RecipientTask, Status
from subjects.models import (
    AuditEvent,
    BrochureRequest,
    DataSubject,
    Invoice,
    NewsletterSubscription,
    StudyTripReferral,
)
from subjects.selectors import newsletter_recipients
from tests import factories as f
from tests.requests_dsar.conftest import links_in

pytestmark = pytest.mark.django_db


def _resolve_tasks(desk, dsar):
    for task in RecipientTask.objects.filter(request=dsar):
        desk.act(dsar, "task", task_id=task.pk, state="done", reason="")


def test_access_from_form_to_download(person, desk, mailoutbox):
    subject = f.DataSubjectFactory(email="sanne@example.nl", first_name="Sanne")
    f.InvoiceFactory(subject=subject, number="F-ACCESS-1")
    subscription = f.NewsletterSubscriptionFactory(subject=subject)
    sanne = person()
    sanne.submit("access")
    status_path = sanne.verify()
    dsar = DsarRequest.objects.get()
    assert list(dsar.subjects.all()) == [subject]
    receipt = sanne.mails()[-1]
    assert dsar.due_on.strftime("%Y") in receipt.body
    assert "Autoriteit Persoonsgegevens" in receipt.body

    desk.act(dsar, "access")
    desk.complete(dsar)
    dsar.refresh_from_db()
    assert dsar.status == Status.COMPLETED

    answer = sanne.mails()[-1]
    download = [link for link in links_in(answer) if "/download/" in link][0]
    listing = sanne.client.get(download)
    assert listing.status_code == 200
    data = json.loads(b"".join(sanne.client.get(download + "data.json").streaming_content))
    models = {section["model"] for section in data["data"]}
    assert {"subjects.DataSubject", "subjects.Invoice", "subjects.NewsletterSubscription"} <= models
    invoicing = next(a for a in data["processing"] if a["key"] == "invoicing")
    assert invoicing["recipients"] and invoicing["retention"] and invoicing["legal_bases"]
    newsletter = next(a for a in data["processing"] if a["key"] == "newsletter")
    assert any(r["outside_eea"] for r in newsletter["recipients"])
    assert data["complaint"]["authority"] == "Autoriteit Persoonsgegevens"
    report = b"".join(sanne.client.get(download + "report.html").streaming_content).decode()
    assert "F-ACCESS-1" in report
    assert "uitdrukkelijke toestemming" in report  # the basis by its name, not its code
    everything = json.dumps(data) + report
    assert subscription.token_hash not in everything  # secrets stay out, even hashed

    status_page = sanne.client.get(status_path).content.decode()
    assert "report.html" in status_page


def test_access_includes_decrypted_health_data_after_staff_verification(person, desk):
    profile = f.TraineeProfileFactory(
        participation__participant__email="trainee@example.nl", allergies="Notenallergie"
    )
    trainee = person("trainee@example.nl")
    trainee.submit("access")
    trainee.verify()
    dsar = DsarRequest.objects.get()
    assert dsar.needs_staff_verification
    errors = desk.errors_after(dsar, "access")
    assert any("bijzondere persoonsgegevens" in e for e in errors)
    assert not dsar.packages.exists()  # nothing with the allergy is built before the check
    errors = desk.errors_after(dsar, "complete", answer="Hier is uw inzage.")
    assert "Eerst moet een medewerker de verzoeker extra controleren." in errors
    assert DsarRequest.objects.get().status != Status.COMPLETED
    desk.act(dsar, "verify", method="call-back", note="Teruggebeld op bekend nummer")
    desk.act(dsar, "access")
    desk.complete(dsar)
    dsar.refresh_from_db()
    assert dsar.status == Status.COMPLETED
    assert dsar.staff_verification_method == "call-back"
    package = dsar.packages.get()
    from requests_dsar.fulfilment.packages import private_root

    content = (private_root() / package.directory / "data.json").read_text()
    assert "Notenallergie" in content
    assert profile.pk


def test_rectification_is_applied_by_staff_and_audited(person, desk):
    subject = f.DataSubjectFactory(email="sanne@example.nl", last_name="de Vris")
    sanne = person()
    sanne.submit("rectification", details="Mijn achternaam is de Vries, niet de Vris.")
    sanne.verify()
    dsar = DsarRequest.objects.get()
    prefix = f"s{subject.pk}"
    fields = {
        "first_name": subject.first_name,
        "last_name": "de Vries",
        "email": subject.email,
        "phone": subject.phone,
        "street_address": "",
        "postcode": "",
        "city": "",
        "language": "nl",
        "subject_id": subject.pk,
    }
    desk.act(dsar, "rectify", prefix=prefix, **{f"{prefix}-{k}": v for k, v in fields.items()})
    _resolve_tasks(desk, dsar)
    desk.complete(dsar)
    subject.refresh_from_db()
    assert subject.last_name == "de Vries"
    event = AuditEvent.objects.get(action="subject.update", subject=subject)
    assert event.changed_fields == ["last_name"]
    assert event.actor.username == "officer"
    assert DsarRequest.objects.get().status == Status.COMPLETED


def test_restriction_keeps_data_out_of_the_newsletter(person, desk):
    subject = f.DataSubjectFactory(email="sanne@example.nl")
    subscription = f.NewsletterSubscriptionFactory(subject=subject)
    assert subscription in newsletter_recipients()
    sanne = person()
    sanne.submit("restriction", details="De gegevens kloppen niet.")
    sanne.verify()
    dsar = DsarRequest.objects.get()
    desk.act(dsar, "restrict", ground="a")
    subject.refresh_from_db()
    subscription.refresh_from_db()
    assert subject.restricted_at and subscription.restricted_at
    assert subscription not in newsletter_recipients()
    assert RecipientTask.objects.filter(request=dsar, recipient__key="mailchimp").exists()
    _resolve_tasks(desk, dsar)
    desk.complete(dsar)
    assert DsarRequest.objects.get().status == Status.COMPLETED


def test_erasure_of_a_person_without_held_records_removes_everything(person, desk):
    subject = f.DataSubjectFactory(email="sanne@example.nl")
    f.NewsletterSubscriptionFactory(subject=subject)
    f.BrochureRequestFactory(subject=subject)
    sanne = person()
    sanne.submit("erasure")
    sanne.verify()
    dsar = DsarRequest.objects.get()
    desk.act(dsar, "erase")
    assert not DataSubject.objects.filter(pk=subject.pk).exists()
    assert not NewsletterSubscription.objects.exists()
    assert not BrochureRequest.objects.exists()
    errors = desk.errors_after(dsar, "complete", answer="Klaar.")
    assert errors  # Mailchimp and others must be handled first (Art. 19)
    _resolve_tasks(desk, dsar)
    desk.complete(dsar)
    assert DsarRequest.objects.get().status == Status.COMPLETED


def test_objection_to_direct_marketing_stops_the_newsletter_at_once(person, desk):
    subject = f.DataSubjectFactory(email="sanne@example.nl")
    subscription = f.NewsletterSubscriptionFactory(subject=subject)
    sanne = person()
    sanne.submit("objection", objection_kind="direct-marketing")
    sanne.verify()
    dsar = DsarRequest.objects.get()
    desk.act(dsar, "marketing-objection")
    subject.refresh_from_db()
    subscription.refresh_from_db()
    assert subject.marketing_objection_at is not None
    assert subscription.unsubscribed_at is not None
    assert not newsletter_recipients().filter(subject=subject).exists()
    _resolve_tasks(desk, dsar)
    desk.complete(dsar)
    assert DsarRequest.objects.get().status == Status.COMPLETED


def test_objection_to_a_legitimate_interest_needs_a_decision_with_reasons(person, desk):
    f.DataSubjectFactory(email="sanne@example.nl")
    sanne = person()
    sanne.submit(
        "objection",
        objection_kind="legitimate-interest",
        objection_activities=["certification-research"],
        details="Ik wil niet in evaluaties voorkomen.",
    )
    sanne.verify()
    dsar = DsarRequest.objects.get()
    assert desk.errors_after(dsar, "objection-decision", decision="upheld", reasons="")
    desk.act(dsar, "objection-decision", decision="upheld", reasons="Geen dwingende gronden.")
    _resolve_tasks(desk, dsar)
    answer = desk.complete(dsar)
    assert "Geen dwingende gronden." in answer
    dsar.refresh_from_db()
    assert dsar.objection_decision == "upheld"
    assert dsar.status == Status.COMPLETED


def test_consent_withdrawal_erases_what_rested_only_on_that_consent(person, desk):
    subject = f.DataSubjectFactory(email="sanne@example.nl")
    # Already passed on to MeetIn: MeetIn holds a copy and is asked to delete it.
    referral = f.StudyTripReferralFactory(subject=subject, shared_at=timezone.now())
    newsletter_consent = f.ConsentFactory(subject=subject)
    sanne = person()
    sanne.submit("consent-withdrawal", consents=["study-trips"])
    sanne.verify()
    dsar = DsarRequest.objects.get()
    desk.act(dsar, "withdraw-consent")
    consent = Consent.objects.get(pk=referral.consent_id)
    assert consent.withdrawn_at is not None and consent.withdrawn_method == "rights-request"
    assert not StudyTripReferral.objects.filter(pk=referral.pk).exists()
    newsletter_consent.refresh_from_db()
    assert newsletter_consent.withdrawn_at is None
    task = RecipientTask.objects.get(request=dsar, recipient__key="meetin")
    assert "studiereizen" in task.instruction  # what the withdrawal means at MeetIn
    _resolve_tasks(desk, dsar)
    desk.complete(dsar)
    assert DsarRequest.objects.get().status == Status.COMPLETED


def test_portability_zip_holds_only_provided_data_and_can_go_to_another_organisation(
    person, desk, mailoutbox
):
    subject = f.DataSubjectFactory(email="sanne@example.nl")
    f.NewsletterSubscriptionFactory(subject=subject)
    f.InvoiceFactory(subject=subject)  # not provided by the person: not portable
    sanne = person()
    sanne.submit("portability", portability_recipient_email="nieuw@organisatie.nl")
    sanne.verify()
    dsar = DsarRequest.objects.get()
    desk.act(dsar, "portability", send_to_organisation="on")
    transfer = [m for m in mailoutbox if "nieuw@organisatie.nl" in m.to][0]
    archive = zipfile.ZipFile(io.BytesIO(transfer.attachments[0][1]))
    names = set(archive.namelist())
    assert "data.json" in names and "je-persoonlijke-gegevens.csv" in names
    data = json.loads(archive.read("data.json"))
    assert "subjects.NewsletterSubscription" in data
    assert "subjects.Invoice" not in data
    # The trail says it was sent; the address stays on the request, not in the trail.
    sent = dsar.events.get(action="portability-sent")
    assert (sent.params, sent.note) == ({}, "") and "@" not in sent.what
    desk.complete(dsar)
    assert DsarRequest.objects.get().status == Status.COMPLETED
    assert Invoice.objects.count() == 1


def test_portability_with_health_data_is_neither_built_nor_sent_before_the_staff_check(
    person, desk, mailoutbox
):
    f.TraineeProfileFactory(participation__participant__email="lotte@example.nl", allergies="pinda")
    lotte = person("lotte@example.nl")
    lotte.submit("portability", portability_recipient_email="hr@other.example")
    lotte.verify()
    dsar = DsarRequest.objects.get()
    assert dsar.needs_staff_verification and dsar.staff_verified_at is None
    errors = desk.errors_after(dsar, "portability", send_to_organisation="on")
    assert any("bijzondere persoonsgegevens" in e for e in errors)
    assert not [m for m in mailoutbox if "hr@other.example" in m.to]
    assert not dsar.packages.exists()
    desk.act(dsar, "verify", method="call-back", note="Teruggebeld")
    desk.act(dsar, "portability", send_to_organisation="on")
    transfer = [m for m in mailoutbox if "hr@other.example" in m.to]
    assert len(transfer) == 1 and dsar.packages.count() == 1


def test_portability_csv_cells_cannot_run_as_spreadsheet_formulas(officer):
    from requests_dsar.fulfilment.portability import portability_zip
    from tests.requests_dsar.factories import verified_request

    f.DataSubjectFactory(email="sanne@example.nl", city="=HYPERLINK(1)")
    dsar = verified_request(right="portability")
    archive = zipfile.ZipFile(io.BytesIO(portability_zip(dsar)))
    csv_text = archive.read("je-persoonlijke-gegevens.csv").decode()
    assert "'=HYPERLINK(1)" in csv_text
    assert (
        json.loads(archive.read("data.json"))["subjects.DataSubject"][0]["city"] == "=HYPERLINK(1)"
    )


def test_portability_csv_cells_are_plain_values_and_a_readme_explains_the_files():
    import csv
    import io
    import json
    import zipfile

    from requests_dsar.fulfilment.portability import portability_zip

    subject = f.DataSubjectFactory(email="sanne@example.nl")
    f.CliftonStrengthsAccountFactory(
        subject=subject, results={"top5": ["Learner", "Achiever"], "score": 7}
    )
    dsar = DsarRequest.objects.create(
        reference="V-PORT0001",
        request_type="portability",
        name="Sanne",
        email=subject.email,
        status="in-progress",
        language="en",
    )
    dsar.subjects.add(subject)
    archive = zipfile.ZipFile(io.BytesIO(portability_zip(dsar)))
    rows = list(csv.DictReader(io.StringIO(archive.read("cliftonstrengths-accounts.csv").decode())))
    # A structured result has a column per part; a list in it is JSON text.
    assert json.loads(rows[0]["Results: Top 5"]) == ["Learner", "Achiever"]
    assert rows[0]["Results: Score"] == "7"
    assert "Results" not in rows[0]
    readme = archive.read("README.txt").decode()
    assert "V-PORT0001" in readme and "data.json" in readme
    assert "cliftonstrengths-accounts.csv" in readme and "year-month-day" in readme


def test_the_portability_readme_is_in_the_persons_language():
    import io
    import zipfile

    from requests_dsar.fulfilment.portability import portability_zip

    subject = f.DataSubjectFactory(email="sanne@example.nl")
    dsar = DsarRequest.objects.create(
        reference="V-PORT0002",
        request_type="portability",
        name="Sanne",
        email=subject.email,
        status="in-progress",
        language="nl",
    )
    dsar.subjects.add(subject)
    readme = zipfile.ZipFile(io.BytesIO(portability_zip(dsar))).read("README.txt").decode()
    assert "Je gegevens bij Leafspring B.V. (verzoek V-PORT0002)" in readme
    assert "Zo lees je de CSV-bestanden" in readme
