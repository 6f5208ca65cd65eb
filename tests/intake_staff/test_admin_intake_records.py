"""Admin pages of what came in: newsletter subscriptions (the token hash never shown, the
opt-out moment never changed), MeetIn referrals passed on by an action, and the
suppression list, view only and without addresses."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from requests_dsar.tokens import token_new
from subjects.models import AuditEvent, StudyTripReferral, SuppressedAddress
from subjects.newsletter import newsletter_soft_opt_in_record
from subjects.suppression import address_suppress
from tests import factories as f

pytestmark = pytest.mark.django_db


def en(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


# Newsletter subscriptions -------------------------------------------------------------


def test_the_link_token_hash_is_never_shown(officer_client):
    token, hashed = token_new()
    subscription = f.NewsletterSubscriptionFactory(token_hash=hashed)
    for url in [
        en("admin:subjects_newslettersubscription_changelist"),
        en("admin:subjects_newslettersubscription_change", subscription.pk),
    ]:
        body = officer_client.get(url).content.decode()
        assert hashed not in body
        assert token not in body
        assert "token_hash" not in body


def test_the_opt_out_moment_and_the_basis_cannot_be_changed(officer_client, officer):
    client = f.SubjectRoleFactory().subject
    subscription = newsletter_soft_opt_in_record(
        actor=officer, subject=client, sale=f.InvoiceFactory(subject=client)
    )
    offered = subscription.opt_out_offered_at
    response = officer_client.post(
        en("admin:subjects_newslettersubscription_change", subscription.pk),
        {
            "first_name": "Karel",
            "language": "en",
            "basis": "consent",
            "email": "ander@example.nl",
            "opt_out_offered_at_0": "2020-01-01",
            "opt_out_offered_at_1": "10:00:00",
            "unsubscribed_at_0": "2020-01-01",
            "unsubscribed_at_1": "10:00:00",
        },
    )
    assert response.status_code == 302
    subscription.refresh_from_db()
    assert (subscription.first_name, subscription.language) == ("Karel", "en")
    assert subscription.opt_out_offered_at == offered
    assert (subscription.basis, subscription.email) == ("soft-opt-in", client.email)
    assert subscription.unsubscribed_at is None


def test_the_subscription_pages_are_for_staff_only(client, outsider_client):
    for c in (client, outsider_client):
        response = c.get(en("admin:subjects_newslettersubscription_add"))
        assert response.status_code == 302
        assert "login" in response["Location"]


# MeetIn referrals ---------------------------------------------------------------------


@pytest.mark.parametrize("client_fixture", ["staff_client", "officer_client"])
def test_passing_a_referral_on_to_meetin_is_recorded_by_the_action(request, client_fixture):
    client = request.getfixturevalue(client_fixture)
    referral = f.StudyTripReferralFactory()
    before = timezone.now()
    response = client.post(
        en("admin:subjects_studytripreferral_changelist"),
        {"action": "record_shared", "_selected_action": [referral.pk]},
        follow=True,
    )
    assert "1 referral recorded as passed on to MeetIn." in response.content.decode()
    referral.refresh_from_db()
    assert referral.shared_at >= before
    assert AuditEvent.objects.get(action="study-trip-referral.shared").subject == referral.subject


def test_a_referral_passed_on_keeps_its_moment(officer_client):
    referral = f.StudyTripReferralFactory()
    shared_at = timezone.now() - timezone.timedelta(days=3)
    StudyTripReferral.objects.filter(pk=referral.pk).update(shared_at=shared_at)
    officer_client.post(
        en("admin:subjects_studytripreferral_changelist"),
        {"action": "record_shared", "_selected_action": [referral.pk]},
    )
    referral.refresh_from_db()
    assert referral.shared_at == shared_at


def test_the_moment_passed_on_is_not_typed_in_the_form(officer_client):
    referral = f.StudyTripReferralFactory()
    page = officer_client.get(en("admin:subjects_studytripreferral_change", referral.pk))
    assert 'name="shared_at_0"' not in page.content.decode()


def test_an_outsider_cannot_record_a_referral_as_passed_on(outsider_client):
    referral = f.StudyTripReferralFactory()
    outsider_client.post(
        en("admin:subjects_studytripreferral_changelist"),
        {"action": "record_shared", "_selected_action": [referral.pk]},
    )
    referral.refresh_from_db()
    assert referral.shared_at is None


def test_the_withdrawn_meetin_consent_deletes_a_referral_and_tells_meetin(officer_client):
    referral = f.StudyTripReferralFactory()
    officer_client.post(
        en("admin:subjects_studytripreferral_changelist"),
        {"action": "record_shared", "_selected_action": [referral.pk]},
    )
    officer_client.post(
        en("admin:processing_consent_changelist"),
        {"action": "withdraw_selected", "_selected_action": [referral.consent_id]},
    )
    assert not StudyTripReferral.objects.filter(pk=referral.pk).exists()
    task = referral.consent.recipient_tasks.get()
    assert (task.recipient.key, task.request_id) == ("meetin", None)


# The suppression list -----------------------------------------------------------------


@pytest.mark.parametrize("client_fixture", ["staff_client", "officer_client"])
def test_the_suppression_list_shows_reason_and_date_never_an_address(request, client_fixture):
    client = request.getfixturevalue(client_fixture)
    entry = address_suppress(email="weg@example.nl", reason="objected")
    listing = client.get(en("admin:subjects_suppressedaddress_changelist")).content.decode()
    detail = client.get(en("admin:subjects_suppressedaddress_change", entry.pk)).content.decode()
    for body in (listing, detail):
        assert "objected to direct marketing" in body
        assert "weg@example.nl" not in body
        assert entry.digest not in body
    assert str(entry.created_at.year) in detail


def test_the_suppression_list_is_found_by_address(officer_client):
    entry = address_suppress(email="weg@example.nl", reason="objected")
    address_suppress(email="ander@example.nl", reason="unsubscribed")
    url = en("admin:subjects_suppressedaddress_changelist")
    response = officer_client.get(url, {"q": " Weg@Example.nl "})
    assert list(response.context["cl"].result_list) == [entry]
    response = officer_client.get(url, {"q": "niemand@example.nl"})
    assert list(response.context["cl"].result_list) == []


def test_the_suppression_list_cannot_be_added_to_changed_or_deleted(officer_client):
    entry = address_suppress(email="weg@example.nl", reason="objected")
    assert officer_client.get(en("admin:subjects_suppressedaddress_add")).status_code == 403
    response = officer_client.post(
        en("admin:subjects_suppressedaddress_change", entry.pk), {"reason": "unsubscribed"}
    )
    assert response.status_code == 403
    response = officer_client.post(
        en("admin:subjects_suppressedaddress_delete", entry.pk), {"post": "yes"}
    )
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.reason == "objected"
    assert SuppressedAddress.objects.count() == 1


def test_the_suppression_list_is_for_staff_only(outsider_client):
    response = outsider_client.get(en("admin:subjects_suppressedaddress_changelist"))
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("name", "make"),
    [
        (
            "subjects_suppressedaddress",
            lambda i: address_suppress(email=f"p{i}@x.nl", reason="objected"),
        ),
        ("processing_consenttext", None),
        ("subjects_newslettersubscription", lambda i: f.NewsletterSubscriptionFactory()),
    ],
)
def test_the_new_lists_cost_the_same_number_of_queries_with_more_rows(officer_client, name, make):
    url = en(f"admin:{name}_changelist")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert officer_client.get(url).status_code == 200
        return len(ctx)

    if make is None:  # the wordings come from the register; more versions of each
        from processing.consent_texts import consent_text_new_version
        from processing.models import ConsentText

        few = count()
        for text in list(ConsentText.objects.all()):
            consent_text_new_version(actor=None, text=text)
        assert count() == few
        return
    for i in range(5):
        make(i)
    few = count()
    for i in range(5, 60):
        make(i)
    assert count() == few
