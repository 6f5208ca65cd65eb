"""An upheld objection to a legitimate interest (Art. 21(1)) stops the
processing for good: the newsletter is stopped so its six-week clock starts, other rows
are erased through the erasure plan (a legal hold keeps rows restricted, as in an
erasure), no Art. 21 restriction keeps the person for ever, and the answer says exactly
what was done."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone, translation

from requests_dsar.fulfilment.objection import objection_decide
from requests_dsar.models import DsarRequest, Status
from subjects.models import BrochureRequest, Correspondence, DataSubject, NewsletterSubscription
from subjects.registry import LEGAL_HOLD_GROUND
from tests import factories as f
from tests.retention.conftest import apply_at, utc

pytestmark = pytest.mark.django_db

DECIDED_AT = utc(2026, 10, 1, 12, 0)
# unsubscribe-6w: gone a daily run before six weeks after unsubscribing.
NEWSLETTER_GONE_AT = utc(2026, 11, 11, 12, 0)


def _objection(person, activities: list[str]) -> DsarRequest:
    sanne = person()
    sanne.submit(
        "objection",
        objection_kind="legitimate-interest",
        objection_activities=activities,
        details="Ik wil dit niet meer.",
    )
    sanne.verify()
    return DsarRequest.objects.get()


def _draft(desk, dsar) -> str:
    page = desk.client.get(f"/staff/requests/{dsar.pk}/")
    return page.context["forms"]["complete"].initial["answer"]


def _no_art21_restriction_left() -> None:
    for model in (DataSubject, NewsletterSubscription, BrochureRequest, Correspondence):
        assert not model.objects.filter(restriction_ground__startswith="Art. 21").exists()


def test_an_upheld_newsletter_objection_stops_it_and_the_data_go_six_weeks_later(person, desk):
    subject = f.DataSubjectFactory(email="sanne@example.nl")
    subscription = f.NewsletterSubscriptionFactory(subject=subject)
    with time_machine.travel(DECIDED_AT - datetime.timedelta(days=1), tick=False):
        dsar = _objection(person, ["newsletter"])
    with time_machine.travel(DECIDED_AT, tick=False):
        desk.act(dsar, "objection-decision", decision="upheld", reasons="Geen zwaarder belang.")
        subscription.refresh_from_db()
        assert subscription.unsubscribed_at == DECIDED_AT
        assert subscription.restricted_at is None
        _no_art21_restriction_left()
        draft = _draft(desk, dsar)
        assert "We hebben deze verwerking gestopt:" in draft
        assert "- Nieuwsbriefinschrijvingen: direct gestopt; wat we ervoor hebben" in draft
        for task in dsar.recipient_tasks.all():
            desk.act(dsar, "task", task_id=task.pk, state="done", reason="")
        desk.complete(dsar)
    assert DsarRequest.objects.get().status == Status.COMPLETED

    apply_at(NEWSLETTER_GONE_AT - datetime.timedelta(seconds=1), "unsubscribe-6w")
    assert NewsletterSubscription.objects.filter(pk=subscription.pk).exists()
    apply_at(NEWSLETTER_GONE_AT, "unsubscribe-6w")
    assert not NewsletterSubscription.objects.filter(pk=subscription.pk).exists()
    # The newsletter is direct marketing: the objection is kept for good (Art. 21(3)) as
    # a keyed hash of the address, so a later import never mails the person again;
    # nothing else of them is kept.
    from subjects.suppression import address_is_suppressed

    assert not DataSubject.objects.filter(pk=subject.pk).exists()
    assert address_is_suppressed("sanne@example.nl")


def test_an_upheld_objection_erases_other_rows_and_a_legal_hold_keeps_them_restricted(officer):
    subject = f.DataSubjectFactory(email="sanne@example.nl")
    brochure = f.BrochureRequestFactory(subject=subject)
    letter = f.CorrespondenceFactory(subject=subject, sent_at=timezone.now())
    dsar = DsarRequest.objects.create(
        reference="V-OBJ1",
        request_type="objection",
        objection_kind="legitimate-interest",
        activities=["brochure", "email-correspondence"],
        name="Sanne",
        email="sanne@example.nl",
        status=Status.IN_PROGRESS,
    )
    dsar.subjects.add(subject)
    objection_decide(actor=officer, request=dsar, decision="upheld", reasons="Geen belang.")
    assert not BrochureRequest.objects.filter(pk=brochure.pk).exists()
    letter.refresh_from_db()
    assert letter.restricted_at is not None
    assert letter.restriction_ground.startswith(LEGAL_HOLD_GROUND)
    subject.refresh_from_db()
    assert subject.restricted_at is None
    _no_art21_restriction_left()
    lines = {ln["model"]: ln for ln in dsar.erasure_record.lines}
    assert lines["subjects.BrochureRequest"]["erased"] == 1
    assert lines["subjects.Correspondence"]["kept"] == 1
    from requests_dsar.fulfilment.answers import answer_draft

    draft = answer_draft(dsar)
    assert "We hebben deze verwerking gestopt:\n- Brochure-aanvragen (1): verwijderd.\n" in draft
    kept = draft.split("Wat de wet ons verplicht te bewaren, bewaren we beperkt:\n", 1)[1]
    assert kept.startswith("- Zakelijke e-mails (1): bewaard en beperkt, omdat de wet dat vereist")
    # The staff trail says what was done in words, not model labels and codes.
    event = dsar.events.get(action="objection-decided")
    assert event.params["decision"] == "upheld" and event.note == ""
    with translation.override("en"):
        assert event.what == (
            "objection decided: upheld; brochure requests: 1 record erased; business e-mails: "
            "1 record kept and restricted (legal hold)"
        )
    assert "subjects." not in event.what


def test_an_objection_to_the_newsletter_cannot_be_overruled(person, desk):
    """The newsletter is direct marketing: an objection to it is absolute (Art. 21(2)-(3)),
    so staff cannot overrule it."""
    subject = f.DataSubjectFactory(email="sanne@example.nl")
    subscription = f.NewsletterSubscriptionFactory(subject=subject)
    dsar = _objection(person, ["newsletter"])
    errors = desk.errors_after(
        dsar, "objection-decision", decision="overruled", reasons="Zwaarder belang."
    )
    assert any("kan niet worden afgewezen" in e for e in errors), errors
    dsar.refresh_from_db()
    assert dsar.objection_decision == ""
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is None
    assert not dsar.events.filter(action="objection-overruled").exists()


def test_an_overruled_objection_changes_nothing_but_a_named_newsletter_still_stops(person, desk):
    """Overruled, the other activities go on; the newsletter named with them is stopped
    and the person suppressed from marketing all the same."""
    subject = f.DataSubjectFactory(email="sanne@example.nl")
    subscription = f.NewsletterSubscriptionFactory(subject=subject)
    dsar = _objection(person, ["certification-research", "newsletter"])
    desk.act(dsar, "objection-decision", decision="overruled", reasons="Zwaarder belang.")
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is not None
    subject.refresh_from_db()
    assert subject.marketing_objection_at is not None
    assert dsar.events.filter(action="marketing-objection").exists()
    draft = _draft(desk, dsar)
    assert "Zwaarder belang." in draft
    assert "Je ontvangt geen nieuwsbrief of andere direct marketing meer" in draft
    # A decision is taken once.
    assert desk.errors_after(dsar, "objection-decision", decision="upheld", reasons="Toch")
    assert DsarRequest.objects.get().objection_decision == "overruled"


def test_an_overruled_objection_to_other_processing_changes_nothing(person, desk):
    subject = f.DataSubjectFactory(email="sanne@example.nl")
    subscription = f.NewsletterSubscriptionFactory(subject=subject)
    dsar = _objection(person, ["certification-research"])
    desk.act(dsar, "objection-decision", decision="overruled", reasons="Zwaarder belang.")
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is None
    subject.refresh_from_db()
    assert subject.marketing_objection_at is None
    draft = _draft(desk, dsar)
    assert "Zwaarder belang." in draft and "gestopt" not in draft


def test_an_upheld_newsletter_objection_suppresses_marketing_for_good(person, desk):
    subject = f.DataSubjectFactory(email="sanne@example.nl")
    f.NewsletterSubscriptionFactory(subject=subject)
    dsar = _objection(person, ["newsletter"])
    desk.act(dsar, "objection-decision", decision="upheld", reasons="Geen belang.")
    subject.refresh_from_db()
    assert subject.marketing_objection_at is not None
    assert [t.instruction.split(":")[0] for t in dsar.recipient_tasks.all()] == [
        "Vragen de betrokkene uit te schrijven en van marketing uit te sluiten"
    ] * dsar.recipient_tasks.count()


def test_an_upheld_objection_with_nothing_held_says_so(person, desk):
    f.DataSubjectFactory(email="sanne@example.nl")
    dsar = _objection(person, ["newsletter"])
    desk.act(dsar, "objection-decision", decision="upheld", reasons="Geen belang.")
    assert "We hadden geen gegevens over je voor de verwerking" in _draft(desk, dsar)


def test_the_decision_form_offers_only_to_uphold_an_objection_to_the_newsletter_alone(
    person, officer_client
):
    dsar = _objection(person, ["newsletter"])
    form = officer_client.get(f"/staff/requests/{dsar.pk}/").context["forms"]["objection"]
    assert [value for value, _ in form.fields["decision"].choices] == ["upheld"]


def test_the_decision_form_offers_both_decisions_for_other_processing(person, officer_client):
    dsar = _objection(person, ["certification-research"])
    form = officer_client.get(f"/staff/requests/{dsar.pk}/").context["forms"]["objection"]
    assert [value for value, _ in form.fields["decision"].choices] == ["upheld", "overruled"]
