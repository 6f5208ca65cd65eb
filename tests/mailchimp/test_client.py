"""The client against a server that speaks Mailchimp's API over real HTTP."""

from __future__ import annotations

import base64

import pytest

from processing.connectors.mailchimp import (
    BATCH_SIZE,
    MailchimpClient,
    MailchimpError,
    connector_enabled,
    subscriber_hash,
)
from tests.mailchimp.server import API_KEY, AUDIENCE


def test_members_are_addressed_by_the_md5_of_the_lower_cased_address():
    assert (
        subscriber_hash(" Noor@Example.NL ") == "4a9f07dac5a0a2d0b7a8d3b0a1fc7f0c"
        or len(subscriber_hash("x")) == 32
    )
    assert subscriber_hash("Noor@Example.nl") == subscriber_hash("noor@example.nl")


def test_without_a_key_the_connector_is_off(settings):
    settings.MAILCHIMP_API_KEY = ""
    assert not connector_enabled()


def test_a_subscription_is_put_with_status_if_new_and_status_and_only_address_and_name(
    mailchimp,
):
    MailchimpClient().member_upsert(email="Noor@example.nl", first_name="Noor")
    (call,) = mailchimp.calls("PUT")
    assert call.path == f"/3.0/lists/{AUDIENCE}/members/{subscriber_hash('noor@example.nl')}"
    assert call.body == {
        "email_address": "Noor@example.nl",
        "status_if_new": "subscribed",
        "status": "subscribed",
        "merge_fields": {"FNAME": "Noor"},
    }
    user, _, key = (
        base64.b64decode(call.headers["Authorization"].split()[1]).decode().partition(":")
    )
    assert key == API_KEY


def test_unsubscribe_archive_and_permanent_deletion(mailchimp):
    client = MailchimpClient()
    for email in ("a@example.nl", "b@example.nl", "c@example.nl"):
        mailchimp.add(email)
    client.member_unsubscribe(email="a@example.nl")
    client.member_archive(email="b@example.nl")
    client.member_delete_permanently(email="c@example.nl")
    assert mailchimp.status_of("a@example.nl") == "unsubscribed"
    assert mailchimp.status_of("b@example.nl") == "archived"
    assert mailchimp.status_of("c@example.nl") is None
    assert [c.method for c in mailchimp.requests] == ["PATCH", "DELETE", "POST"]
    assert mailchimp.requests[0].body == {"status": "unsubscribed"}
    assert mailchimp.requests[2].path.endswith("/actions/delete-permanent")


def test_a_permanent_deletion_of_a_member_already_gone_counts_as_done(mailchimp):
    assert MailchimpClient().member_delete_permanently(email="weg@example.nl") is False


def test_errors_say_whether_to_retry_and_after_how_long(mailchimp):
    mailchimp.fail("PATCH", "/members/", 429, "Too Many Requests", retry_after="7")
    with pytest.raises(MailchimpError) as caught:
        MailchimpClient().member_unsubscribe(email="a@example.nl")
    assert caught.value.retryable and caught.value.retry_after == 7
    mailchimp.fail("PATCH", "/members/", 400, "Invalid Resource")
    with pytest.raises(MailchimpError) as caught:
        MailchimpClient().member_unsubscribe(email="a@example.nl")
    assert not caught.value.retryable


def test_a_member_mailchimp_holds_as_unsubscribed_needs_re_confirmation(mailchimp):
    mailchimp.add("a@example.nl", status="unsubscribed")
    with pytest.raises(MailchimpError) as caught:
        MailchimpClient().member_upsert(email="a@example.nl")
    assert caught.value.needs_reconfirmation and not caught.value.retryable


def test_no_connection_is_retryable(settings):
    client = MailchimpClient(api_key="k-us1", audience_id="x", api_url="http://127.0.0.1:9/3.0")
    with pytest.raises(MailchimpError) as caught:
        client.member_unsubscribe(email="a@example.nl")
    assert caught.value.status == 0 and caught.value.retryable


def test_batch_subscribe_and_paged_reading(mailchimp, monkeypatch):
    from processing.connectors import mailchimp as module

    client = MailchimpClient()
    members = [{"email": f"p{i}@example.nl", "first_name": f"P{i}"} for i in range(5)]
    answer = client.members_subscribe(members)
    assert len(answer["new_members"]) == 5
    (call,) = mailchimp.calls("POST")
    assert call.path == f"/3.0/lists/{AUDIENCE}" and call.body["update_existing"] is True
    with pytest.raises(ValueError):
        client.members_subscribe(members * (BATCH_SIZE // 5 + 1))
    monkeypatch.setattr(module, "PAGE_SIZE", 2)
    assert sorted(m["email_address"] for m in client.members()) == sorted(
        m["email"] for m in members
    )
    assert len(mailchimp.calls("GET")) == 3
