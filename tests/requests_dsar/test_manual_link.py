"""Linking a data subject by hand: a requester proves control of their
own e-mail address only. A data subject under another address may be someone else, so
nothing of theirs is disclosed or changed before staff record an identity check."""

from __future__ import annotations

import pytest
from django.utils import translation

from requests_dsar.models import DsarRequest, Status
from subjects.models import DataSubject, Invoice
from tests import factories as f
from tests.requests_dsar.conftest import StaffDesk

pytestmark = pytest.mark.django_db


@pytest.fixture
def victim():
    subject = f.DataSubjectFactory(email="victim@example.nl", first_name="Vera", phone="0611111111")
    f.InvoiceFactory(subject=subject, number="F-VICTIM")
    return subject


def _attacker_request(person, right: str, **fields) -> DsarRequest:
    attacker = person("attacker@example.org", name="Vera")
    attacker.submit(right, **fields)
    attacker.verify()
    return DsarRequest.objects.get()


def test_a_request_linked_by_hand_to_another_address_discloses_nothing_before_a_check(
    person, staff_client, victim, mailoutbox
):
    desk = StaffDesk(staff_client)  # a staff member without special-category access
    dsar = _attacker_request(person, "access")
    assert not dsar.needs_staff_verification
    desk.act(dsar, "link", subject_id=victim.pk)
    dsar.refresh_from_db()
    assert dsar.needs_staff_verification and dsar.staff_verified_at is None

    errors = desk.errors_after(dsar, "access")
    assert any("identiteitscontrole" in e and "ander e-mailadres" in e for e in errors), errors
    assert not dsar.packages.exists()
    errors = desk.errors_after(dsar, "complete", answer="Hier is je inzage.")
    assert "Eerst moet een medewerker de verzoeker extra controleren." in errors
    dsar.refresh_from_db()
    assert dsar.status != Status.COMPLETED
    assert not [m for m in mailoutbox if "attacker@example.org" in m.to and "/download/" in m.body]

    # The page warns next to the link form and in the request's details.
    page = staff_client.get(f"/staff/requests/{dsar.pk}/").content.decode()
    assert "ander e-mailadres dan het bevestigde" in page
    assert "Vereist voordat een recht wordt uitgevoerd of beantwoord" in page
    assert f'action="/staff/requests/{dsar.pk}/verify/"' in page  # any handler may check

    # The trail says why.
    linked = dsar.events.get(action="subject-linked")
    assert linked.params == {"subject": victim.pk, "other_address": True}
    with translation.override("en"):
        assert "differs from the verified one" in linked.what
    assert "victim@example.nl" not in linked.what  # the trail names actions, not data

    desk.act(dsar, "verify", method="call-back", note="Teruggebeld op het bekende nummer")
    desk.act(dsar, "access")
    assert dsar.packages.count() == 1
    desk.complete(dsar)


def test_a_link_by_the_same_address_needs_no_check(person, desk):
    sanne = person("sanne@example.nl")
    sanne.submit("access")
    sanne.verify()
    dsar = DsarRequest.objects.get()
    # Known only after the request came in, under the same address (other capitals).
    subject = f.DataSubjectFactory(email="Sanne@Example.nl")
    desk.act(dsar, "link", subject_id=subject.pk)
    dsar.refresh_from_db()
    assert not dsar.needs_staff_verification
    assert dsar.events.get(action="subject-linked").params["other_address"] is False
    desk.act(dsar, "access")
    assert dsar.packages.count() == 1


@pytest.mark.parametrize(
    ("right", "action", "fields", "data"),
    [
        ("erasure", "erase", {}, {}),
        ("restriction", "restrict", {"details": "Klopt niet"}, {"ground": "a"}),
        (
            "objection",
            "marketing-objection",
            {"objection_kind": "direct-marketing"},
            {},
        ),
        (
            "objection",
            "objection-decision",
            {
                "objection_kind": "legitimate-interest",
                "objection_activities": ["newsletter"],
                "details": "Ik wil dit niet",
            },
            {"decision": "upheld", "reasons": "Geen zwaarwegend belang"},
        ),
        ("consent-withdrawal", "withdraw-consent", {"consents": ["newsletter"]}, {}),
    ],
)
def test_no_right_changes_anything_of_a_subject_linked_by_hand_before_a_check(
    person, desk, victim, right, action, fields, data
):
    f.NewsletterSubscriptionFactory(subject=victim)
    dsar = _attacker_request(person, right, **fields)
    desk.act(dsar, "link", subject_id=victim.pk)
    errors = desk.errors_after(dsar, action, **data)
    assert any("identiteitscontrole" in e for e in errors), errors
    dsar.refresh_from_db()
    assert dsar.fulfilled_at is None
    victim.refresh_from_db()
    assert victim.restricted_at is None and victim.marketing_objection_at is None
    assert Invoice.objects.filter(subject=victim).exists()
    assert victim.newsletter_subscriptions.get().unsubscribed_at is None
    assert not hasattr(dsar, "erasure_record") or dsar.erasure_record is None


def test_a_rectification_for_a_subject_linked_by_hand_waits_for_the_check(person, desk, victim):
    dsar = _attacker_request(person, "rectification", details="Mijn adres klopt niet")
    desk.act(dsar, "link", subject_id=victim.pk)
    prefix = f"s{victim.pk}"
    fields = {
        "subject_id": victim.pk,
        "first_name": victim.first_name,
        "last_name": victim.last_name,
        "email": "attacker@example.org",
        "phone": victim.phone,
        "language": "nl",
    }
    errors = desk.errors_after(
        dsar, "rectify", prefix=prefix, **{f"{prefix}-{k}": v for k, v in fields.items()}
    )
    assert any("identiteitscontrole" in e for e in errors), errors
    assert DataSubject.objects.get(pk=victim.pk).email == "victim@example.nl"


def test_unlinking_a_wrong_link_removes_the_need_for_a_check(person, desk, victim):
    dsar = _attacker_request(person, "access")
    desk.act(dsar, "link", subject_id=victim.pk)
    desk.act(dsar, "unlink", subject_id=victim.pk)
    dsar.refresh_from_db()
    assert not dsar.needs_staff_verification


def test_an_outsider_cannot_link_or_record_a_check(person, outsider_client, victim):
    dsar = _attacker_request(person, "access")
    url = f"/staff/requests/{dsar.pk}/"
    assert outsider_client.post(url + "link/", {"subject_id": victim.pk}).status_code == 403
    assert outsider_client.post(url + "verify/", {"method": "call-back"}).status_code == 403
    assert not dsar.subjects.exists()


def test_linking_another_person_after_a_check_clears_the_check(person, staff_client, victim):
    """A recorded check covers the person it was done for: linking a second person under
    another address afterwards asks for a new check before anything is built."""
    desk = StaffDesk(staff_client)
    alt = f.DataSubjectFactory(email="vera.alt@example.org", first_name="Vera")
    dsar = _attacker_request(person, "access")
    desk.act(dsar, "link", subject_id=alt.pk)
    desk.act(dsar, "verify", method="call-back", note="Vera (alt) teruggebeld")
    desk.act(dsar, "link", subject_id=victim.pk)
    dsar.refresh_from_db()
    assert dsar.needs_staff_verification
    assert dsar.staff_verified_at is None and dsar.staff_verified_by is None
    assert dsar.staff_verification_method == "" and dsar.staff_verification_note == ""
    cleared = dsar.events.get(action="staff-verification-cleared")
    assert cleared.params == {"reason": "other-address"}
    assert "ander e-mailadres" in cleared.what and "na de controle" in cleared.what
    page = staff_client.get(f"/staff/requests/{dsar.pk}/").content.decode()
    assert "identiteitscontrole niet meer geldig" in page

    errors = desk.errors_after(dsar, "access")
    assert any("identiteitscontrole" in e for e in errors), errors
    assert not dsar.packages.exists()

    desk.act(dsar, "verify", method="call-back", note="Beide teruggebeld")
    desk.act(dsar, "access")
    assert dsar.packages.count() == 1


def test_special_category_data_linked_after_a_check_without_that_access_clears_it(
    person, staff_client, officer_client
):
    """A check recorded by a handler who may not see special-category data does not
    cover coaching notes linked afterwards; only someone with that access may check."""
    desk = StaffDesk(staff_client)
    alt = f.DataSubjectFactory(email="vera.alt@example.org", first_name="Vera")
    dsar = _attacker_request(person, "access")
    desk.act(dsar, "link", subject_id=alt.pk)
    desk.act(dsar, "verify", method="call-back", note="teruggebeld")
    trainee = f.DataSubjectFactory(email="attacker@example.org", first_name="Vera")
    f.TraineeProfileFactory(participation=f.TrajectoryParticipantFactory(participant=trainee))
    f.CoachingNoteFactory(participant=trainee)
    desk.act(dsar, "link", subject_id=trainee.pk)  # same address: special data only
    dsar.refresh_from_db()
    assert dsar.staff_verified_at is None
    assert "bijzondere" in dsar.events.get(action="staff-verification-cleared").what
    assert desk.errors_after(dsar, "access")
    assert not dsar.packages.exists()
    # The handler without special-category access may not record the new check.
    response = staff_client.post(
        f"/staff/requests/{dsar.pk}/verify/", {"method": "call-back", "note": "x"}
    )
    assert response.status_code == 403
    officer = StaffDesk(officer_client)
    officer.act(dsar, "verify", method="call-back", note="teruggebeld")
    officer.act(dsar, "access")
    assert dsar.packages.count() == 1


def test_a_check_by_someone_with_special_category_access_survives_a_same_address_link(
    person, officer_client
):
    desk = StaffDesk(officer_client)
    alt = f.DataSubjectFactory(email="vera.alt@example.org", first_name="Vera")
    dsar = _attacker_request(person, "access")
    desk.act(dsar, "link", subject_id=alt.pk)
    desk.act(dsar, "verify", method="call-back", note="teruggebeld")
    trainee = f.DataSubjectFactory(email="attacker@example.org", first_name="Vera")
    f.CoachingNoteFactory(participant=trainee)
    desk.act(dsar, "link", subject_id=trainee.pk)
    dsar.refresh_from_db()
    assert dsar.staff_verified_at is not None
    assert not dsar.events.filter(action="staff-verification-cleared").exists()
    desk.act(dsar, "access")
    assert dsar.packages.count() == 1


def test_special_category_data_arriving_after_a_check_without_that_access_blocks(
    person, staff_client
):
    """However the special-category data came in, a check by a handler without access
    to it does not cover it."""
    desk = StaffDesk(staff_client)
    alt = f.DataSubjectFactory(email="vera.alt@example.org", first_name="Vera")
    dsar = _attacker_request(person, "access")
    desk.act(dsar, "link", subject_id=alt.pk)
    desk.act(dsar, "verify", method="call-back", note="teruggebeld")
    f.CoachingNoteFactory(participant=alt)
    errors = desk.errors_after(dsar, "access")
    assert any("bijzondere" in e for e in errors), errors
    assert not dsar.packages.exists()
