"""Telling the people affected (Art. 34): the notice goes by e-mail to each linked
person in their own language with the contents of Art. 34(2), each once; those without
an address are told another way and that is recorded; or the exception of Art. 34(3)
that applies is recorded with its reasons."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from processing.breaches.models import BreachSubject
from processing.breaches.notice import (
    breach_notice_exception_record,
    breach_notice_other_record,
    breach_notice_send,
)
from subjects.models import AuditEvent
from tests.breaches.factories import BreachSubjectFactory, HighRiskBreachFactory
from tests.factories import DataSubjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def breach():
    return HighRiskBreachFactory(aware_at=timezone.now() - datetime.timedelta(hours=30))


def _link(breach, **person):
    return BreachSubjectFactory(breach=breach, subject=DataSubjectFactory(**person))


def test_each_linked_person_gets_the_notice_in_their_own_language(breach, officer):
    dutch = _link(breach, first_name="Sanne", email="sanne@example.nl", language="nl")
    english = _link(breach, first_name="Oliver", email="oliver@example.com", language="en")
    result = breach_notice_send(actor=officer, breach=breach)
    assert (result.sent, result.failed, result.without_email) == (2, 0, 0)
    by_address = {m.to[0]: m for m in mail.outbox}
    nl, en = by_address["sanne@example.nl"], by_address["oliver@example.com"]
    # Art. 34(2): the nature, the contact point, the likely consequences, the measures.
    for message, language in ((nl, "nl"), (en, "en")):
        assert getattr(breach, f"notice_nature_{language}") in message.body
        assert getattr(breach, f"notice_consequences_{language}") in message.body
        assert getattr(breach, f"notice_measures_{language}") in message.body
        assert breach.contact_point in message.body
    assert breach.notice_nature_en not in nl.body
    assert breach.notice_nature_nl not in en.body
    assert "Sanne" in nl.body and "Oliver" in en.body
    assert "Niet tevreden over hoe wij met je persoonsgegevens omgaan?" in nl.body
    assert "Not satisfied with how we handle your personal data?" in en.body
    assert en.subject == "A personal-data breach at Leafspring that concerns you"
    dutch.refresh_from_db()
    english.refresh_from_db()
    assert (dutch.notified_how, dutch.notice_language) == ("email", "nl")
    assert (english.notified_how, english.notice_language) == ("email", "en")
    breach.refresh_from_db()
    assert breach.subjects_notified_at == dutch.notified_at
    assert AuditEvent.objects.filter(action="breach.notice-sent").count() == 2


def test_nobody_gets_the_notice_twice(breach, officer):
    _link(breach, email="sanne@example.nl")
    breach_notice_send(actor=officer, breach=breach)
    later = _link(breach, email="later@example.nl")
    result = breach_notice_send(actor=officer, breach=breach)
    assert result.sent == 1
    assert [m.to for m in mail.outbox] == [["sanne@example.nl"], ["later@example.nl"]]
    with pytest.raises(ValidationError, match="Nobody linked is waiting"):
        breach_notice_send(actor=officer, breach=breach)
    assert len(mail.outbox) == 2
    assert BreachSubject.objects.get(pk=later.pk).notified_at is not None


def test_an_english_reader_needs_the_english_notice_first(breach, officer):
    breach.notice_measures_en = ""
    breach.save()
    _link(breach, language="en")
    _link(breach, language="nl")
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        breach_notice_send(actor=officer, breach=breach)
    (message,) = refused.value.error_dict["notice_measures_en"][0].messages
    assert message == (
        "Some of the people to tell read English: write notice: measures taken and what the "
        "person can do (English) first."
    )
    assert mail.outbox == []
    assert not BreachSubject.objects.filter(notified_at__isnull=False).exists()


def test_the_risk_must_be_assessed_before_people_are_told(officer):
    breach = HighRiskBreachFactory(risk="")
    _link(breach)
    with pytest.raises(ValidationError, match="Assess the risk first"):
        breach_notice_send(actor=officer, breach=breach)


def test_a_failed_e_mail_is_not_recorded_and_goes_out_on_the_next_try(breach, officer, monkeypatch):
    link = _link(breach, email="sanne@example.nl")
    monkeypatch.setattr(
        "django.core.mail.EmailMessage.send", lambda self: (_ for _ in ()).throw(OSError())
    )
    assert breach_notice_send(actor=officer, breach=breach).failed == 1
    assert BreachSubject.objects.get(pk=link.pk).notified_at is None
    monkeypatch.undo()
    assert breach_notice_send(actor=officer, breach=breach).sent == 1


def test_people_without_an_address_are_told_another_way_and_that_is_recorded(breach, officer):
    _link(breach, email="sanne@example.nl")
    no_email = _link(breach, email="")
    result = breach_notice_send(actor=officer, breach=breach)
    assert (result.sent, result.without_email) == (1, 1)
    with pytest.raises(ValidationError) as refused:
        breach_notice_other_record(actor=officer, breach=breach, notified_at=None, how="")
    assert set(refused.value.error_dict) == {"notified_at", "how"}
    marked = breach_notice_other_record(
        actor=officer,
        breach=breach,
        notified_at=timezone.now(),
        how="Per brief aan het huisadres.",
    )
    assert marked == 1
    no_email.refresh_from_db()
    assert no_email.notified_how == "other"
    breach.refresh_from_db()
    assert "Per brief aan het huisadres." in breach.subjects_notice_how


def test_an_exception_needs_its_reasons(breach, officer):
    with pytest.raises(ValidationError) as refused:
        breach_notice_exception_record(actor=officer, breach=breach, exception="", reasons="")
    assert set(refused.value.error_dict) == {"exception", "reasons"}
    breach_notice_exception_record(
        actor=officer,
        breach=breach,
        exception="34-3-a",
        reasons="De laptop was volledig versleuteld (BitLocker); de sleutel is niet gelekt.",
    )
    breach.refresh_from_db()
    assert breach.notice_exception == "34-3-a"


def test_the_officer_sends_the_notice_from_the_incident_page(breach, officer_client):
    _link(breach, email="sanne@example.nl")
    _link(breach, email="")
    url = reverse("processing:breach_action", args=[breach.pk, "notice-send"])
    response = officer_client.post(url, follow=True)
    body = response.content.decode()
    assert len(mail.outbox) == 1
    assert "1 person has no e-mail address" in body or "1 persoon heeft geen" in body


def test_saving_the_notice_text_from_the_page(breach, officer_client):
    url = reverse("processing:breach_action", args=[breach.pk, "notice-text"])
    fields = {
        f"notice_{part}_{language}": f"{part} {language}"
        for part in ("nature", "consequences", "measures")
        for language in ("nl", "en")
    }
    assert officer_client.post(url, fields).status_code == 302
    breach.refresh_from_db()
    assert breach.notice_nature_en == "nature en"
