"""The ground of an Art. 18 restriction: the person may give it on the form, staff confirm
it when restricting (or record it later), the rows carry it, the staff page shows it as
a label, and an erasure does not undo a restriction that keeps data for the person."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation

from requests_dsar.fulfilment.answers import answer_draft
from requests_dsar.fulfilment.erasure import erasure_carry_out
from requests_dsar.models import DsarRequest
from subjects import models as m
from tests import factories as f
from tests.requests_dsar.conftest import links_in
from tests.requests_dsar.factories import verified_request

pytestmark = pytest.mark.django_db

LABEL_EN = "Art. 18(1)(c): we no longer need the data, but the person needs them for a legal claim"
# Dutch needs the translations of issue 9 (/work/tr/art18.json) in the catalogue.
LABEL_NL = (
    "Art. 18 lid 1 onder c AVG: we hebben de gegevens niet meer nodig, maar de betrokkene "
    "heeft ze nodig voor een rechtsvordering"
)


def _page(desk, dsar, language: str = "en") -> str:
    prefix = "/en" if language == "en" else ""
    return desk.client.get(f"{prefix}/staff/requests/{dsar.pk}/").content.decode()


def test_the_person_may_give_the_ground_on_the_form_and_confirms_it(person):
    f.DataSubjectFactory(email="sanne@example.nl")
    sanne = person()
    sanne.submit(
        "restriction",
        prefix="/en",
        details="Ik heb ze nodig voor een rechtszaak.",
        restriction_ground="c",
    )
    wording = "You no longer need my data, but I need them for a legal claim"
    mail = sanne.mails()[-1]
    assert f"Why you want your data restricted: {wording}" in mail.body
    link = links_in(mail)[0]
    assert wording in sanne.client.get(link).content.decode()
    sanne.verify()
    dsar = DsarRequest.objects.get()
    assert dsar.restriction_ground_stated == "c"
    assert dsar.restriction_ground == "", "staff confirm it"


def test_the_form_offers_the_grounds_in_the_persons_words(client):
    content = client.get("/en/verzoek/").content.decode()
    assert "You no longer need my data, but I need them for a legal claim" in content
    assert 'name="restriction_ground"' in content


def test_a_ground_sent_with_another_right_is_ignored(person):
    sanne = person()
    sanne.submit("access", restriction_ground="c")
    assert DsarRequest.objects.get().restriction_ground_stated == ""


def test_an_unknown_ground_on_the_form_is_refused_with_a_message(person):
    response = person().submit("restriction", restriction_ground="z")
    assert response.status_code == 200
    assert not DsarRequest.objects.exists()
    assert response.context["form"].errors["restriction_ground"]


def test_staff_confirm_the_ground_and_the_rows_carry_it(desk):
    subject = f.DataSubjectFactory(email="sanne@example.nl")
    subscription = f.NewsletterSubscriptionFactory(subject=subject)
    dsar = verified_request(right="restriction", restriction_ground_stated="c")
    # The person's own choice is offered first.
    response = desk.client.get(f"/en/staff/requests/{dsar.pk}/")
    assert response.context["forms"]["restrict"].initial == {"ground": "c"}
    assert "none: the person left it to us" not in response.content.decode()
    # Without a ground nothing is restricted.
    assert desk.errors_after(dsar, "restrict")
    subject.refresh_from_db()
    assert subject.restricted_at is None
    desk.act(dsar, "restrict", ground="c")
    dsar.refresh_from_db()
    subject.refresh_from_db()
    subscription.refresh_from_db()
    assert dsar.restriction_ground == "c"
    prefix = f"Art. 18(1)(c) AVG ({dsar.reference})"
    assert subject.restriction_ground.startswith(prefix)
    assert subscription.restriction_ground.startswith(prefix)


def test_the_staff_page_shows_the_ground_as_a_label_in_english(desk):
    f.DataSubjectFactory(email="sanne@example.nl")
    dsar = verified_request(right="restriction")
    page = _page(desk, dsar)
    assert "none: the person left it to us" in page and "not recorded yet" in page
    desk.act(dsar, "restrict", ground="c")
    page = _page(desk, dsar)
    assert LABEL_EN in page
    assert "This restriction holds 1 record now." in page  # the person themselves


def test_the_staff_page_shows_the_ground_as_a_label_in_dutch(desk):
    """Needs the Dutch translations of issue 9 (art18.json) in the catalogue."""
    f.DataSubjectFactory(email="sanne@example.nl")
    dsar = verified_request(right="restriction")
    desk.act(dsar, "restrict", ground="c")
    assert LABEL_NL in _page(desk, dsar, "nl")


def test_staff_can_correct_the_ground_and_the_trail_says_so(desk):
    subject = f.DataSubjectFactory(email="sanne@example.nl")
    subscription = f.NewsletterSubscriptionFactory(subject=subject)
    dsar = verified_request(right="restriction", details="Klopt niet")
    desk.act(dsar, "restrict", ground="c")
    desk.act(dsar, "restriction-ground", ground="a")
    dsar.refresh_from_db()
    subscription.refresh_from_db()
    assert dsar.restriction_ground == "a"
    assert subscription.restriction_ground == f"Art. 18(1)(a) AVG ({dsar.reference}) Klopt niet"
    assert dsar.events.filter(action="restriction-ground-set", params__point="a").exists()
    assert m.AuditEvent.objects.filter(
        action="subject.restriction-ground", subject=subject
    ).exists()


def test_recording_a_ground_needs_a_restriction_in_force(desk):
    f.DataSubjectFactory(email="sanne@example.nl")
    dsar = verified_request(right="restriction")
    assert desk.errors_after(dsar, "restriction-ground", ground="c")
    dsar.refresh_from_db()
    assert dsar.restriction_ground == ""


def test_before_the_lift_staff_see_what_the_next_run_removes(desk):
    subject = f.DataSubjectFactory(email="sanne@example.nl")
    subscription = f.NewsletterSubscriptionFactory(
        subject=subject, unsubscribed_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    )
    dsar = verified_request(right="restriction")
    desk.act(dsar, "restrict", ground="c")
    with time_machine.travel(datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC), tick=False):
        page = _page(desk, dsar)
    assert "Kept past their retention limit because of the restriction" in page
    assert "After the lift, the next run of each rule removes these records." in page
    assert subscription._meta.verbose_name_plural.capitalize() in page


def test_the_answer_tells_the_person_what_the_ground_means(desk):
    f.DataSubjectFactory(email="sanne@example.nl")
    dsar = verified_request(right="restriction")
    desk.act(dsar, "restrict", ground="c")
    DsarRequest.objects.filter(pk=dsar.pk).update(language="en")
    dsar.refresh_from_db()
    draft = answer_draft(dsar)
    assert "Because you need your data for a legal claim, we keep them for you" in draft


def _erasure_request(subject) -> DsarRequest:
    dsar = verified_request(email=subject.email, right="erasure")
    assert list(dsar.subjects.all()) == [subject]
    return dsar


@pytest.mark.parametrize("ground", ["b", "c"])
def test_an_erasure_waits_until_a_restriction_that_keeps_data_is_lifted(desk, ground):
    subject = f.DataSubjectFactory(email="sanne@example.nl")
    subscription = f.NewsletterSubscriptionFactory(subject=subject)
    restriction = verified_request(right="restriction")
    desk.act(restriction, "restrict", ground=ground)
    erasure = _erasure_request(subject)
    page = _page(desk, erasure)
    assert "The person asked us to keep data" in page
    assert f"/staff/requests/{restriction.pk}/" in page
    [error] = desk.errors_after(erasure, "erase")
    assert restriction.reference in error
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        erasure_carry_out(actor=None, request=erasure)
    assert "The person asked us to keep these data" in refused.value.messages[0]
    assert "Nothing was erased." in refused.value.messages[0]
    assert m.DataSubject.objects.filter(pk=subject.pk).exists()
    assert m.NewsletterSubscription.objects.filter(pk=subscription.pk).exists()
    assert not hasattr(DsarRequest.objects.get(pk=erasure.pk), "erasure_record")
    # Lifted, after telling the person: the erasure goes ahead.
    desk.act(restriction, "lift", informed_on=datetime.date.today().isoformat(), informed_how="tel")
    assert "The person asked us to keep data" not in _page(desk, erasure)
    desk.act(erasure, "erase")
    assert not m.DataSubject.objects.filter(pk=subject.pk).exists()


def test_an_erasure_is_not_held_up_by_a_temporary_restriction(desk):
    subject = f.DataSubjectFactory(email="sanne@example.nl")
    restriction = verified_request(right="restriction")
    desk.act(restriction, "restrict", ground="a")
    erasure = _erasure_request(subject)
    desk.act(erasure, "erase")
    assert not m.DataSubject.objects.filter(pk=subject.pk).exists()


def test_deleting_an_account_waits_only_for_a_restriction_of_that_account_or_the_person(desk):
    subject = f.DataSubjectFactory(email="sanne@example.nl")
    account = f.CliftonStrengthsAccountFactory(subject=subject)
    m.CliftonStrengthsAccount.objects.filter(pk=account.pk).update(
        restricted_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        restriction_ground="Art. 18(1)(c) AVG (V-CLAIM) rechtszaak",
    )
    erasure = verified_request(right="erasure", activities=["clifton-strengths"])
    assert desk.errors_after(erasure, "erase")
    assert m.CliftonStrengthsAccount.objects.filter(pk=account.pk).exists()
    other = verified_request(right="erasure", activities=["e2grow"])
    assert not desk.errors_after(other, "erase")
