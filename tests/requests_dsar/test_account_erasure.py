"""Erasing only a tool account (the privacy statement: a CliftonStrengths or E2Grow
account can be deleted at any time): through the public form, the confirmation, the
staff action and the answer, in Dutch and in English. Only that account goes; the
person and everything else stay, and only that tool's recipient is asked to erase."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from processing.models import ProcessingActivity
from requests_dsar.forms import PublicRequestForm
from requests_dsar.fulfilment.erasure import ACCOUNT_TOOLS, erasure_carry_out
from requests_dsar.models import DsarRequest, ErasureRecord, RecipientTask
from subjects.models import (
    AuditEvent,
    CliftonStrengthsAccount,
    DataSubject,
    E2GrowAccount,
    TraineeProfile,
    TrajectoryParticipant,
)
from subjects.registry import registry
from tests import factories as f
from tests.requests_dsar.conftest import links_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainee():
    """A trainee with trajectory data and an account at both tools."""
    subject = f.DataSubjectFactory(email="lotte@example.nl", first_name="Lotte")
    profile = f.TraineeProfileFactory(participation__participant=subject)
    f.ConsentFactory(subject=subject, activity=ProcessingActivity.objects.get(key="e2grow"))
    return {
        "subject": subject,
        "profile": profile,
        "clifton": f.CliftonStrengthsAccountFactory(subject=subject),
        "e2grow": f.E2GrowAccountFactory(subject=subject),
    }


def _resolve_tasks(desk, dsar) -> None:
    for task in dsar.recipient_tasks.all():
        desk.act(dsar, "task", task_id=task.pk, state="done", reason="")


def test_deleting_only_the_e2grow_account_in_dutch_keeps_the_person_and_everything_else(
    person, desk, officer_client, trainee
):
    lotte = person("lotte@example.nl", "Lotte")
    response = lotte.submit("erasure", erasure_scope="accounts", erasure_accounts=["e2grow"])
    assert response.status_code == 302
    dsar = DsarRequest.objects.get()
    assert dsar.activities == ["e2grow"]

    mail = lotte.mails()[-1]
    assert "Wat je wilt laten verwijderen:\n  * Je E2Grow-account" in mail.body
    assert "CliftonStrengths" not in mail.body and "Alles wat we" not in mail.body
    confirm = lotte.client.get(links_in(mail)[0]).content.decode()
    assert "Wat je wilt laten verwijderen" in confirm and "<li>Je E2Grow-account</li>" in confirm
    lotte.verify()

    page = officer_client.get(f"/staff/requests/{dsar.pk}/").content.decode()
    assert "Alleen het account of de accounts bij: E2Grow." in page
    assert "Alleen het account of de accounts verwijderen bij: E2Grow" in page
    assert "De betrokkene en al zijn of haar andere gegevens blijven" in page
    # The draft claims nothing before the erasure is carried out.
    assert "Je E2Grow-account is nog niet verwijderd." in page

    desk.act(dsar, "erase")
    assert not E2GrowAccount.objects.filter(pk=trainee["e2grow"].pk).exists()
    subject = DataSubject.objects.get(pk=trainee["subject"].pk)
    assert subject.restricted_at is None and subject.phone == trainee["subject"].phone
    assert CliftonStrengthsAccount.objects.filter(pk=trainee["clifton"].pk).exists()
    assert TraineeProfile.objects.get(pk=trainee["profile"].pk).allergies == "Pinda's"
    assert TrajectoryParticipant.objects.filter(participant=subject).exists()
    # The allergy and E2Grow consents stay as proof of what was agreed.
    assert subject.consents.count() == 2
    assert dsar.subjects.get() == subject  # still linked: the person was not erased

    record = ErasureRecord.objects.get(request=dsar)
    assert [(ln["model"], ln["erased"], ln["kept"]) for ln in record.lines] == [
        ("subjects.E2GrowAccount", 1, 0)
    ]
    assert not record.subject_kept
    assert AuditEvent.objects.filter(action="subject.erase-accounts", subject=subject).exists()
    assert not AuditEvent.objects.filter(action="subject.erase").exists()

    tasks = list(dsar.recipient_tasks.select_related("recipient"))
    assert [t.recipient.key for t in tasks] == ["e2grow"]
    assert tasks[0].instruction.startswith("Vragen de gegevens van de betrokkene te verwijderen")

    _resolve_tasks(desk, dsar)
    answer = desk.complete(dsar)
    assert "Je E2Grow-account is verwijderd." in answer
    assert "De rest van je persoonsgegevens viel niet onder dit verzoek" in answer
    assert "CliftonStrengths" not in answer
    assert "We hebben je persoonsgegevens als volgt verwijderd" not in answer
    sent = [m for m in lotte.mails() if "Je E2Grow-account is verwijderd." in m.body]
    assert len(sent) == 1


def test_deleting_only_the_cliftonstrengths_account_in_english(
    person, desk, officer_client, trainee
):
    lotte = person("lotte@example.nl", "Lotte")
    lotte.submit(
        "erasure", prefix="/en", erasure_scope="accounts", erasure_accounts=["clifton-strengths"]
    )
    dsar = DsarRequest.objects.get()
    assert (dsar.language, dsar.activities) == ("en", ["clifton-strengths"])
    mail = lotte.mails()[-1]
    assert "What you want erased:\n  * Your CliftonStrengths account" in mail.body
    lotte.verify()

    desk.act(dsar, "erase")
    assert not CliftonStrengthsAccount.objects.filter(subject=trainee["subject"]).exists()
    assert E2GrowAccount.objects.filter(pk=trainee["e2grow"].pk).exists()
    assert DataSubject.objects.filter(pk=trainee["subject"].pk).exists()
    assert [t.recipient.key for t in dsar.recipient_tasks.select_related("recipient")] == ["gallup"]

    page = officer_client.get(f"/en/staff/requests/{dsar.pk}/").content.decode()
    assert "Only the account(s) at: CliftonStrengths." in page
    _resolve_tasks(desk, dsar)
    answer = desk.complete(dsar)
    assert "Your CliftonStrengths account has been deleted." in answer
    assert "The rest of your personal data was not part of this request" in answer
    assert "E2Grow" not in answer
    assert "We have also informed these recipients of your data: Gallup" in answer


def test_both_accounts_can_go_in_one_request_and_an_account_not_held_is_said_so(person, desk):
    subject = f.DataSubjectFactory(email="sam@example.nl")
    f.CliftonStrengthsAccountFactory(subject=subject)
    sam = person("sam@example.nl", "Sam")
    sam.submit(
        "erasure", erasure_scope="accounts", erasure_accounts=["e2grow", "clifton-strengths"]
    )
    sam.verify()
    dsar = DsarRequest.objects.get()
    assert dsar.activities == ["clifton-strengths", "e2grow"]
    desk.act(dsar, "erase")
    assert not CliftonStrengthsAccount.objects.exists()
    # No E2Grow account was held, so E2Grow is not asked to erase anything.
    assert [t.recipient.key for t in dsar.recipient_tasks.select_related("recipient")] == ["gallup"]
    _resolve_tasks(desk, dsar)
    answer = desk.complete(dsar)
    assert "Je CliftonStrengths-account is verwijderd." in answer
    assert "We hadden geen E2Grow-account van je." in answer


def test_a_full_erasure_through_the_form_still_erases_the_person_and_both_accounts(
    person, desk, trainee
):
    lotte = person("lotte@example.nl", "Lotte")
    lotte.submit("erasure", erasure_scope="everything")
    mail = lotte.mails()[-1]
    assert "Alles wat we over je hebben, behalve wat we volgens de wet moeten bewaren" in mail.body
    lotte.verify()
    dsar = DsarRequest.objects.get()
    assert dsar.activities == []
    desk.act(dsar, "erase")
    assert not DataSubject.objects.filter(pk=trainee["subject"].pk).exists()
    assert not CliftonStrengthsAccount.objects.exists() and not E2GrowAccount.objects.exists()
    assert not TraineeProfile.objects.exists()
    keys = {t.recipient.key for t in dsar.recipient_tasks.select_related("recipient")}
    assert {"gallup", "e2grow"} <= keys and len(keys) > 2
    _resolve_tasks(desk, dsar)
    answer = desk.complete(dsar)
    assert "We hebben je persoonsgegevens als volgt verwijderd" in answer
    assert "De rest van je persoonsgegevens" not in answer


def test_a_legal_hold_on_the_person_keeps_the_account_restricted(person, desk, trainee):
    f.LegalHoldFactory(subject=trainee["subject"])
    lotte = person("lotte@example.nl", "Lotte")
    lotte.submit("erasure", erasure_scope="accounts", erasure_accounts=["e2grow"])
    lotte.verify()
    dsar = DsarRequest.objects.get()
    desk.act(dsar, "erase")
    account = E2GrowAccount.objects.get(pk=trainee["e2grow"].pk)
    assert account.restricted_at is not None
    assert account.restriction_ground.startswith("Art. 17(3)(b)")
    assert CliftonStrengthsAccount.objects.get(pk=trainee["clifton"].pk).restricted_at is None
    tasks = list(dsar.recipient_tasks.select_related("recipient"))
    assert [t.recipient.key for t in tasks] == ["e2grow"]
    assert tasks[0].instruction.startswith("Vragen de gegevens alleen te bewaren")
    _resolve_tasks(desk, dsar)
    answer = desk.complete(dsar)
    assert "We konden je E2Grow-account niet verwijderen" in answer
    assert "is verwijderd" not in answer


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"erasure_scope": "accounts"}, "Kies minstens één account."),
        (
            {"erasure_scope": "everything", "erasure_accounts": ["e2grow"]},
            "Je koos ervoor alles te laten verwijderen en vinkte ook een account aan.",
        ),
        ({"erasure_scope": "accounts", "erasure_accounts": ["invoicing"]}, "geldige keuze"),
    ],
)
def test_an_unclear_scope_is_explained_on_the_form_and_nothing_is_saved(
    person, mailoutbox, fields, error
):
    response = person().submit("erasure", **fields)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not DsarRequest.objects.exists() and mailoutbox == []


def test_the_accounts_count_only_for_an_erasure(person):
    person().submit("access", erasure_scope="accounts", erasure_accounts=["e2grow"])
    assert DsarRequest.objects.get().activities == []


def test_the_form_offers_the_choice_in_dutch_and_in_english(client):
    dutch = client.get("/verzoek/").content.decode()
    assert "Wat wil je laten verwijderen?" in dutch
    assert "Je CliftonStrengths-account" in dutch and "Je E2Grow-account" in dutch
    everything = re.search(r'<input[^>]*value="everything"[^>]*>', dutch).group(0)
    assert "checked" in everything  # everything is the default
    english = client.get("/en/verzoek/").content.decode()
    assert "What do you want erased?" in english and "Your E2Grow account" in english


def test_known_and_unknown_addresses_get_the_same_page_and_e_mail(person, mailoutbox):
    f.E2GrowAccountFactory(subject__email="bekend@example.nl")
    known = person("bekend@example.nl", "Sam Jansen")
    unknown = person("onbekend@example.nl", "Sam Jansen")
    scope = {"erasure_scope": "accounts", "erasure_accounts": ["e2grow"]}
    first, second = known.submit("erasure", **scope), unknown.submit("erasure", **scope)
    assert (first.status_code, first["Location"]) == (second.status_code, second["Location"])
    known_mail, unknown_mail = known.mails()[-1], unknown.mails()[-1]
    token = r"/verzoek/bevestigen/[^/\s]+/"

    assert re.sub(token, "T", known_mail.body) == re.sub(token, "T", unknown_mail.body)
    assert len(mailoutbox) == 2


def test_outsiders_and_anonymous_visitors_cannot_erase_an_account(
    outsider_client, staff_client, trainee
):
    from tests.requests_dsar.factories import verified_request

    dsar = verified_request(email="lotte@example.nl", right="erasure", activities=["e2grow"])
    url = f"/staff/requests/{dsar.pk}/erase/"
    assert outsider_client.post(url).status_code == 403
    response = Client().post(url)
    assert response.status_code == 302 and "/account/login/" in response["Location"]
    assert E2GrowAccount.objects.filter(pk=trainee["e2grow"].pk).exists()
    assert not ErasureRecord.objects.exists()
    # A staff member who handles requests may, once they have read what will go.
    assert staff_client.post(url).status_code == 200
    assert E2GrowAccount.objects.filter(pk=trainee["e2grow"].pk).exists()
    assert outsider_client.post(url, {"confirmed": "yes"}).status_code == 403
    assert E2GrowAccount.objects.filter(pk=trainee["e2grow"].pk).exists()
    assert staff_client.post(url, {"confirmed": "yes"}).status_code == 302
    assert not E2GrowAccount.objects.filter(pk=trainee["e2grow"].pk).exists()
    assert CliftonStrengthsAccount.objects.filter(pk=trainee["clifton"].pk).exists()


def test_a_request_naming_anything_but_a_tool_account_is_refused_and_nothing_is_erased(trainee):
    dsar = DsarRequest.objects.create(
        reference="V-SCOPE1",
        request_type="erasure",
        name="Lotte",
        email="lotte@example.nl",
        status="in-progress",
        activities=["e2grow", "traineeship-participants"],
    )
    dsar.subjects.add(trainee["subject"])
    with pytest.raises(ValidationError, match="Nothing was erased|Er is niets verwijderd"):
        erasure_carry_out(actor=None, request=dsar)
    assert E2GrowAccount.objects.exists() and TraineeProfile.objects.exists()
    assert not ErasureRecord.objects.exists() and not RecipientTask.objects.exists()


def test_the_tool_accounts_are_those_the_statement_lets_people_delete_at_any_time():
    on_demand = {e.activity for e in registry.for_rule("tools-on-demand")}
    assert set(ACCOUNT_TOOLS) == on_demand
    recipients = {
        a.key: {r.key for r in a.recipients.all()}
        for a in ProcessingActivity.objects.filter(key__in=ACCOUNT_TOOLS)
    }
    assert recipients == {"clifton-strengths": {"gallup"}, "e2grow": {"e2grow"}}
    choices = dict(PublicRequestForm().fields["erasure_accounts"].choices)
    assert set(choices) == set(ACCOUNT_TOOLS)
