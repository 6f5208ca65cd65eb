"""The consent ledger in the admin: frozen wording and its new version, consents recorded
through ``consent_give`` and withdrawn through ``consent_withdraw``, never edited."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from processing.consent_texts import DRAFT_PUBLISHED_AT
from processing.models import Consent, ConsentMethod, ConsentText
from subjects.models import AuditEvent, TraineeProfile
from tests import factories as f

pytestmark = pytest.mark.django_db


def en(name: str, *args) -> str:
    """The admin in English, so messages are checked in one language."""
    with translation.override("en"):
        return reverse(name, args=args)


def _text_form(text: ConsentText, **changes) -> dict[str, str]:
    published = timezone.localtime(text.published_at)
    data = {
        "activity": str(text.activity_id),
        "purpose": text.purpose,
        "version": str(text.version),
        "text_nl": text.text_nl,
        "text_en": text.text_en,
        "published_at_0": published.strftime("%Y-%m-%d"),
        "published_at_1": published.strftime("%H:%M:%S"),
    }
    data.update(changes)
    return data


def _frozen_text() -> tuple[ConsentText, Consent]:
    consent = f.ConsentFactory(purpose="newsletter")
    return consent.text, consent


# Wording ------------------------------------------------------------------------------


def test_the_wording_pages_are_for_staff_only(client, outsider_client):
    text, _consent = _frozen_text()
    for c in (client, outsider_client):
        response = c.get(en("admin:processing_consenttext_change", text.pk))
        assert response.status_code == 302
        assert "login" in response["Location"]


def test_a_frozen_wording_is_shown_read_only(officer_client, staff_client):
    text, _consent = _frozen_text()
    for c in (officer_client, staff_client):
        response = c.get(en("admin:processing_consenttext_change", text.pk))
        assert response.status_code == 200
        body = response.content.decode()
        assert 'name="text_nl"' not in body
        assert 'name="_save"' not in body
    assert (
        'name="_new_version"'
        in officer_client.get(en("admin:processing_consenttext_change", text.pk)).content.decode()
    )


def test_a_frozen_wording_cannot_be_changed_through_the_admin_form(officer_client):
    text, consent = _frozen_text()
    before = ConsentText.objects.filter(pk=text.pk).values().get()
    response = officer_client.post(
        en("admin:processing_consenttext_change", text.pk),
        _text_form(text, text_nl="Andere woorden", text_en="Other words", version="7"),
        follow=True,
    )
    assert response.status_code == 200
    assert "People agreed to this wording, so it can no longer be changed" in (
        response.content.decode()
    )
    assert ConsentText.objects.filter(pk=text.pk).values().get() == before
    consent.refresh_from_db()
    assert consent.text_id == text.pk


def test_a_frozen_wording_cannot_be_deleted(officer_client):
    text, _consent = _frozen_text()
    response = officer_client.post(
        en("admin:processing_consenttext_delete", text.pk), {"post": "yes"}
    )
    assert response.status_code == 403
    response = officer_client.post(
        en("admin:processing_consenttext_changelist"),
        {"action": "delete_selected", "_selected_action": [text.pk], "post": "yes"},
    )
    assert ConsentText.objects.filter(pk=text.pk).exists()


def test_new_version_makes_the_next_version_and_old_consents_keep_theirs(officer_client):
    text, consent = _frozen_text()
    response = officer_client.post(
        en("admin:processing_consenttext_change", text.pk),
        _text_form(text, text_nl="Genegeerd", _new_version="New version"),
    )
    new = ConsentText.objects.get(purpose=text.purpose, version=text.version + 1)
    assert response.status_code == 302
    assert response["Location"] == en("admin:processing_consenttext_change", new.pk)
    assert (new.activity_id, new.text_nl, new.text_en) == (
        text.activity_id,
        text.text_nl,
        text.text_en,
    )
    assert new.frozen_at is None and not new.is_frozen
    # A draft until published: the old version is still the one shown.
    assert ConsentText.objects.current(text.purpose) == text
    # The draft opens for editing; the new wording is published now.
    page = officer_client.get(response["Location"]).content.decode()
    assert 'name="text_nl"' in page
    now = timezone.localtime()
    edit = officer_client.post(
        response["Location"],
        _text_form(
            new,
            text_nl="Ja, stuur mij de nieuwe nieuwsbrief.",
            text_en="Yes, send me the new newsletter.",
            published_at_0=now.strftime("%Y-%m-%d"),
            published_at_1=now.strftime("%H:%M:%S"),
        ),
    )
    assert edit.status_code == 302
    new.refresh_from_db()
    assert new.text_nl == "Ja, stuur mij de nieuwe nieuwsbrief."
    assert ConsentText.objects.current(text.purpose) == new
    consent.refresh_from_db()
    text.refresh_from_db()
    assert consent.text_id == text.pk
    assert text.text_nl != new.text_nl
    assert AuditEvent.objects.filter(action="consent-text.new-version").exists()


def test_new_version_is_also_an_action_on_the_list(officer_client):
    text, _consent = _frozen_text()
    response = officer_client.post(
        en("admin:processing_consenttext_changelist"),
        {"action": "new_version", "_selected_action": [text.pk]},
    )
    new = ConsentText.objects.get(purpose=text.purpose, version=text.version + 1)
    assert response["Location"] == en("admin:processing_consenttext_change", new.pk)
    assert new.published_at == DRAFT_PUBLISHED_AT


def test_staff_may_not_make_a_new_version(staff_client):
    text, _consent = _frozen_text()
    response = staff_client.post(
        en("admin:processing_consenttext_change", text.pk),
        _text_form(text, _new_version="New version"),
    )
    assert response.status_code == 403
    assert not ConsentText.objects.filter(purpose=text.purpose, version=text.version + 1).exists()


def test_a_wording_nobody_agreed_to_stays_editable_and_deletable(officer_client):
    text, _consent = _frozen_text()
    officer_client.post(
        en("admin:processing_consenttext_changelist"),
        {"action": "new_version", "_selected_action": [text.pk]},
    )
    draft = ConsentText.objects.get(purpose=text.purpose, version=text.version + 1)
    response = officer_client.post(
        en("admin:processing_consenttext_change", draft.pk),
        _text_form(draft, text_en="Changed while still a draft."),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.text_en == "Changed while still a draft."
    response = officer_client.post(
        en("admin:processing_consenttext_delete", draft.pk), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not ConsentText.objects.filter(pk=draft.pk).exists()


# Consents -----------------------------------------------------------------------------


def _consent_form(subject, text: ConsentText, **changes) -> dict[str, str]:
    now = timezone.localtime()
    data = {
        "subject": str(subject.pk),
        "text": str(text.pk),
        "language": "en",
        "given_method": ConsentMethod.PAPER,
        "given_via": "Signed form of 3 March, in the trainee file",
        "given_at_0": now.strftime("%Y-%m-%d"),
        "given_at_1": now.strftime("%H:%M:%S"),
        "keep_until": "",
        "agreed_purpose": "",
    }
    data.update(changes)
    return data


def test_the_consent_pages_are_for_staff_only(client, outsider_client):
    for c in (client, outsider_client):
        response = c.get(en("admin:processing_consent_add"))
        assert response.status_code == 302
        assert "login" in response["Location"]


@pytest.mark.parametrize("client_fixture", ["staff_client", "officer_client"])
def test_a_consent_added_in_the_admin_is_given_through_the_ledger(request, client_fixture):
    client = request.getfixturevalue(client_fixture)
    user = request.getfixturevalue(client_fixture.removesuffix("_client"))
    subject = f.DataSubjectFactory()
    text = ConsentText.objects.current("allergies")
    response = client.post(en("admin:processing_consent_add"), _consent_form(subject, text))
    assert response.status_code == 302, response.content.decode()[:3000]
    consent = Consent.objects.get(subject=subject)
    assert (consent.purpose, consent.text, consent.language) == ("allergies", text, "en")
    assert (consent.given_method, consent.recorded_by) == (ConsentMethod.PAPER, user)
    assert consent.given_via == "Signed form of 3 March, in the trainee file"
    assert AuditEvent.objects.filter(action="consent.give", subject=subject).exists()
    text.refresh_from_db()
    assert text.is_frozen


def test_a_staff_recorded_consent_names_its_document(officer_client):
    subject = f.DataSubjectFactory()
    text = ConsentText.objects.current("allergies")
    response = officer_client.post(
        en("admin:processing_consent_add"), _consent_form(subject, text, given_via="")
    )
    assert response.status_code == 200
    assert not Consent.objects.filter(subject=subject).exists()
    response = officer_client.post(
        en("admin:processing_consent_add"),
        _consent_form(subject, text, given_method=ConsentMethod.WEB_FORM),
    )
    assert response.status_code == 200  # only staff ways of giving are offered
    assert not Consent.objects.filter(subject=subject).exists()


def test_only_the_current_wording_can_be_chosen(officer_client):
    old, _consent = _frozen_text()
    officer_client.post(
        en("admin:processing_consenttext_changelist"),
        {"action": "new_version", "_selected_action": [old.pk]},
    )
    draft = ConsentText.objects.get(purpose=old.purpose, version=old.version + 1)
    subject = f.DataSubjectFactory()
    response = officer_client.post(
        en("admin:processing_consent_add"), _consent_form(subject, draft)
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Consent.objects.filter(subject=subject).exists()


def test_a_consent_already_given_is_not_given_twice(officer_client):
    consent = f.ConsentFactory(purpose="allergies")
    response = officer_client.post(
        en("admin:processing_consent_add"), _consent_form(consent.subject, consent.text)
    )
    assert response.status_code == 200
    assert "already gave this consent" in response.content.decode()
    assert Consent.objects.filter(subject=consent.subject).count() == 1


def test_a_recorded_consent_cannot_be_edited_or_deleted(officer_client):
    consent = f.ConsentFactory(purpose="allergies")
    before = Consent.objects.filter(pk=consent.pk).values().get()
    page = officer_client.get(en("admin:processing_consent_change", consent.pk))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    other = f.DataSubjectFactory()
    response = officer_client.post(
        en("admin:processing_consent_change", consent.pk),
        {"subject": other.pk, "given_via": "changed", "given_at_0": "2020-01-01"},
    )
    assert response.status_code == 403
    response = officer_client.post(
        en("admin:processing_consent_delete", consent.pk), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Consent.objects.filter(pk=consent.pk).values().get() == before


@pytest.mark.parametrize("client_fixture", ["staff_client", "officer_client"])
def test_the_withdraw_action_withdraws_and_removes_the_data(request, client_fixture):
    client = request.getfixturevalue(client_fixture)
    user = request.getfixturevalue(client_fixture.removesuffix("_client"))
    profile = f.TraineeProfileFactory(allergies="Pinda's")
    consent = Consent.objects.get(purpose="allergies")
    response = client.post(
        en("admin:processing_consent_changelist"),
        {"action": "withdraw_selected", "_selected_action": [consent.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "1 consent withdrawn" in response.content.decode()
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert (consent.withdrawn_method, consent.withdrawn_by) == (ConsentMethod.STAFF, user)
    assert consent.withdrawn_via == user.get_username()
    assert TraineeProfile.objects.get(pk=profile.pk).allergies == ""
    assert AuditEvent.objects.filter(action="consent.withdraw", subject=consent.subject).exists()


def test_the_withdraw_action_makes_tasks_for_recipients_holding_a_copy(officer_client):
    account = f.E2GrowAccountFactory(profile_visible_to_colleagues=True)
    consent = Consent.objects.get(purpose="e2grow-visibility")
    response = officer_client.post(
        en("admin:processing_consent_changelist"),
        {"action": "withdraw_selected", "_selected_action": [consent.pk]},
        follow=True,
    )
    body = response.content.decode()
    assert "must be told (Art. 19)" in body
    assert reverse("requests_dsar:staff_withdrawal_tasks") in body
    account.refresh_from_db()
    assert not account.profile_visible_to_colleagues
    assert consent.recipient_tasks.get().recipient.key == "e2grow"


def test_an_outsider_cannot_withdraw(outsider_client):
    consent = f.ConsentFactory(purpose="allergies")
    outsider_client.post(
        en("admin:processing_consent_changelist"),
        {"action": "withdraw_selected", "_selected_action": [consent.pk]},
    )
    consent.refresh_from_db()
    assert consent.withdrawn_at is None
