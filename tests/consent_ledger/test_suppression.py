"""The suppression list (Art. 21(3)): an objection to direct marketing or an unsubscribe
outlives erasure and retention as a keyed hash of the address, nothing else; only the
owner of the address can subscribe it again, through the double opt-in."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings

from requests_dsar.fulfilment.erasure import erasure_carry_out
from requests_dsar.models import DsarRequest
from subjects import models as m
from subjects.newsletter import newsletter_confirm, newsletter_sign_up
from subjects.services import marketing_objection_record
from subjects.suppression import address_is_suppressed, address_suppress, suppression_entries
from tests import factories as f

pytestmark = pytest.mark.django_db

EMAIL = "noor@example.nl"


def _erase(subject) -> None:
    dsar = DsarRequest.objects.create(
        reference="V-ERASE1",
        request_type="erasure",
        name="Noor",
        email=subject.email,
        status="in-progress",
    )
    dsar.subjects.add(subject)
    erasure_carry_out(actor=None, request=dsar)


def _token_from_last_mail() -> str:
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/bevestigen/" in line)
    return link.strip().rstrip("/").rsplit("/", 1)[-1]


def test_after_erasure_of_an_objector_only_the_keyed_hash_remains():
    subject = f.DataSubjectFactory(email=EMAIL, first_name="Noor", phone="0612345678")
    f.NewsletterSubscriptionFactory(subject=subject)
    marketing_objection_record(actor=None, subject=subject)
    _erase(subject)
    assert not m.DataSubject.objects.filter(email=EMAIL).exists()
    assert not m.NewsletterSubscription.objects.filter(email=EMAIL).exists()
    entry = suppression_entries(EMAIL).get()
    assert entry.reason == m.SuppressedAddress.Reason.OBJECTED
    assert EMAIL not in str(entry.__dict__) and "Noor" not in str(entry.__dict__)


def test_after_erasure_nobody_else_can_subscribe_the_address_again():
    subject = f.DataSubjectFactory(email=EMAIL)
    marketing_objection_record(actor=None, subject=subject)
    _erase(subject)
    newcomer = f.DataSubjectFactory(email=EMAIL)
    with pytest.raises(ValidationError):
        f.NewsletterSubscriptionFactory(subject=newcomer)
    with pytest.raises(ValidationError):
        m.NewsletterSubscription.objects.create(
            subject=newcomer, email=EMAIL, basis="consent", confirmed_at="2026-11-27T10:00Z"
        )
    # A sign-up by anyone stays pending: it receives nothing but the confirmation e-mail.
    pending = newsletter_sign_up(email=EMAIL)
    assert pending.is_pending and address_is_suppressed(EMAIL)


def test_the_owner_can_come_back_through_their_own_double_opt_in():
    address_suppress(email=EMAIL, reason=m.SuppressedAddress.Reason.UNSUBSCRIBED)
    newsletter_sign_up(email=EMAIL, first_name="Noor")
    outcome = newsletter_confirm(token=_token_from_last_mail())
    assert outcome.result == "confirmed"
    assert not address_is_suppressed(EMAIL)
    assert outcome.subscription.is_active


def test_an_entry_made_under_an_older_key_is_still_recognised_after_a_new_key_is_added():
    with override_settings(SUPPRESSION_HASH_KEYS=["v1:first-key"]):
        address_suppress(email=EMAIL, reason=m.SuppressedAddress.Reason.OBJECTED)
    with override_settings(SUPPRESSION_HASH_KEYS=["v2:second-key", "v1:first-key"]):
        assert address_is_suppressed(EMAIL)
        assert address_suppress(email=EMAIL, reason="objected").key_version == "v1"
        address_suppress(email="ander@example.nl", reason="objected")
        assert suppression_entries("ander@example.nl").get().key_version == "v2"
    assert m.SuppressedAddress.objects.count() == 2


def test_the_hash_is_keyed_so_it_cannot_be_recomputed_from_the_address_alone():
    import hashlib

    entry = address_suppress(email=EMAIL, reason="objected")
    assert entry.digest != hashlib.sha256(EMAIL.encode()).hexdigest()
    with override_settings(SUPPRESSION_HASH_KEYS=["other:another-key"]):
        assert not address_is_suppressed(EMAIL)


def test_a_badly_written_key_setting_is_a_clear_error():
    from django.core.exceptions import ImproperlyConfigured

    with (
        override_settings(SUPPRESSION_HASH_KEYS=["no-version-here"]),
        pytest.raises(ImproperlyConfigured, match="version:key"),
    ):
        address_is_suppressed(EMAIL)


def test_suppressed_among_finds_the_suppressed_addresses_in_batches(monkeypatch):
    from subjects import suppression
    from subjects.suppression import suppressed_among

    monkeypatch.setattr(suppression, "LOOKUP_BATCH", 2)
    for email in ("b@example.nl", "e@example.nl"):
        address_suppress(email=email, reason="unsubscribed")
    emails = [f"{c}@example.nl" for c in "abcde"]
    assert suppressed_among(emails) == {"b@example.nl", "e@example.nl"}
    assert suppressed_among([]) == set()
