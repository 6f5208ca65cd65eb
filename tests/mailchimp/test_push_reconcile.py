"""``manage.py mailchimp push`` and ``reconcile [--fix]``, the nightly reconcile and the
dashboard's Mailchimp lines, against the Mailchimp on 127.0.0.1 (real HTTP)."""

from __future__ import annotations

import io
import logging

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from processing.connectors import mailchimp as connector
from processing.mailchimp_reconcile import (
    AUDIT_NEEDS_RECONFIRMATION,
    AUDIT_RECONCILE,
    CACHE_KEY,
    reconcile_last,
)
from processing.tasks import mailchimp_reconcile_nightly
from subjects.models import AuditEvent, NewsletterSubscription, SuppressedAddress
from subjects.suppression import address_suppress
from tests import factories as f
from tests.mailchimp.server import AUDIENCE, member_hash

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_kept_reconcile():
    """The cache outlives a test's database: start and end without a kept reconcile."""
    cache.delete(CACHE_KEY)
    yield
    cache.delete(CACHE_KEY)


def subscriber(email: str, first_name: str = "", **extra) -> NewsletterSubscription:
    subject = f.DataSubjectFactory(email=email, first_name=first_name or email.split("@")[0])
    return f.NewsletterSubscriptionFactory(subject=subject, **extra)


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("mailchimp", *args, stdout=out)
    return out.getvalue()


def writes(server) -> list:
    return [r for r in server.requests if r.method != "GET"]


# Push ---------------------------------------------------------------------------------


def test_push_sends_exactly_the_audience_in_batches_with_only_address_and_name(
    mailchimp, monkeypatch
):
    monkeypatch.setattr(connector, "BATCH_SIZE", 2)
    audience = [subscriber(f"lid{i}@example.nl", f"Lid{i}") for i in range(5)]
    subscriber("weg@example.nl", unsubscribed_at=timezone.now())
    subscriber("wacht@example.nl", confirmed_at=None)
    suppressed = subscriber("nooit@example.nl")
    address_suppress(email=suppressed.email, reason=SuppressedAddress.Reason.UNSUBSCRIBED)
    restricted = subscriber("beperkt@example.nl")
    restricted.subject.restricted_at = timezone.now()
    restricted.subject.save()

    output = run("push")

    posts = mailchimp.calls("POST")
    assert [len(p.body["members"]) for p in posts] == [2, 2, 1]
    assert all(p.path == f"/3.0/lists/{AUDIENCE}" for p in posts)
    assert all(p.body["update_existing"] is True for p in posts)
    sent = [m for p in posts for m in p.body["members"]]
    assert sent == [
        {
            "email_address": s.email,
            "status_if_new": "subscribed",
            "status": "subscribed",
            "merge_fields": {"FNAME": s.first_name},
        }
        for s in sorted(audience, key=lambda s: s.email)
    ]
    assert writes(mailchimp) == posts
    assert {mailchimp.status_of(s.email) for s in audience} == {"subscribed"}
    assert "Batch 1 of 3: 2 sent, 2 new" in output
    assert "Batch 3 of 3: 1 sent" in output
    assert "Pushed 5 of 5 subscribers in 3 batches: 5 new, 0 updated." in output


def test_members_mailchimp_refuses_need_re_confirmation_and_are_never_sent_again(mailchimp, caplog):
    fine = subscriber("fijn@example.nl")
    left = subscriber("uitgeschreven@example.nl")
    forgotten = subscriber("vergeten@example.nl")
    mailchimp.add(left.email, "unsubscribed")
    mailchimp.forgotten.add(member_hash(forgotten.email))

    with caplog.at_level(logging.INFO):
        output = run("push")

    assert "2 need re-confirmation through Mailchimp" in output
    assert "2 members need re-confirmation through Mailchimp" in output
    assert mailchimp.status_of(fine.email) == "subscribed"
    assert mailchimp.status_of(left.email) == "unsubscribed"
    assert mailchimp.status_of(forgotten.email) is None
    marked = AuditEvent.objects.filter(action=AUDIT_NEEDS_RECONFIRMATION)
    assert {e.target for e in marked} == {
        f"subjects.NewsletterSubscription #{s.pk}" for s in (left, forgotten)
    }
    assert all("@" not in e.note for e in marked)
    assert "@" not in caplog.text

    # Not retried: a second push leaves them out and says so.
    again = run("push")
    (_first, second) = mailchimp.calls("POST")
    assert [m["email_address"] for m in second.body["members"]] == [fine.email]
    assert "2 not sent: waiting for re-confirmation through Mailchimp" in again


def test_push_tries_a_batch_again_after_a_server_error(mailchimp):
    subscriber("lid@example.nl")
    mailchimp.fail("POST", f"/lists/{AUDIENCE}", 503, retry_after="0")
    run("push")
    assert len(mailchimp.calls("POST")) == 2
    assert mailchimp.status_of("lid@example.nl") == "subscribed"


def test_push_stops_with_an_error_on_a_refused_call_and_does_not_retry_it(mailchimp):
    subscriber("lid@example.nl")
    mailchimp.fail("POST", f"/lists/{AUDIENCE}", 401, "API Key Invalid")
    with pytest.raises(CommandError, match="Mailchimp 401: API Key Invalid"):
        run("push")
    assert len(mailchimp.calls("POST")) == 1


# Reconcile ----------------------------------------------------------------------------


@pytest.fixture
def both_sides(mailchimp):
    """One of each kind of difference, and one member that agrees."""
    agrees = subscriber("klopt@example.nl")
    mailchimp.add(agrees.email)
    missing = subscriber("ontbreekt@example.nl", "Ontbreekt")  # here, unknown there
    archived = subscriber("gearchiveerd@example.nl")  # here, archived there
    mailchimp.add(archived.email, "archived")
    pending = subscriber("wachtend@example.nl")  # here, pending there
    mailchimp.add(pending.email, "pending")
    left = subscriber("uitgeschreven@example.nl")  # here, unsubscribed there (refused)
    mailchimp.add(left.email, "unsubscribed")
    suppressed = subscriber("onderdrukt@example.nl", unsubscribed_at=timezone.now())
    address_suppress(email=suppressed.email, reason=SuppressedAddress.Reason.UNSUBSCRIBED)
    mailchimp.add("Onderdrukt@Example.nl")  # subscribed there, suppressed here
    stopped = subscriber("gestopt@example.nl", unsubscribed_at=timezone.now())
    mailchimp.add(stopped.email)  # subscribed there, unsubscribed here
    restricted = subscriber("beperkt@example.nl")
    restricted.subject.restricted_at = timezone.now()
    restricted.subject.save()
    mailchimp.add(restricted.email)  # subscribed there, restricted here
    mailchimp.add("onbekend@example.nl")  # subscribed there, unknown here
    mailchimp.add("oud@example.nl", "unsubscribed")  # neither: no difference
    return {
        "agrees": agrees,
        "missing": missing,
        "archived": archived,
        "pending": pending,
        "left": left,
        "suppressed": suppressed,
        "stopped": stopped,
        "restricted": restricted,
    }


def test_reconcile_reports_each_kind_of_difference_and_changes_nothing(
    mailchimp, both_sides, monkeypatch, caplog
):
    monkeypatch.setattr(connector, "PAGE_SIZE", 3)  # the audience is read page by page
    before = {h: dict(m) for h, m in mailchimp.members.items()}

    with caplog.at_level(logging.INFO):
        output = run("reconcile")

    assert writes(mailchimp) == []
    assert mailchimp.members == before
    assert len(mailchimp.calls("GET")) == 3  # 9 members listed (not the archived one)
    assert "5 may be mailed here, 5 subscribed in Mailchimp" in output
    assert "Here but not there: 2" in output
    assert (
        "There but not here: 4 (1 suppressed, 1 restricted, 1 not subscribed here, "
        "1 unknown here)" in output
    )
    assert "Status differences: 2 (1 pending there, 1 unsubscribed there)" in output
    assert "Explained (needs re-confirmation through Mailchimp): 0" in output
    assert "8 differences. Nothing was changed; run with --fix" in output
    assert "@" not in output  # counts only, without -v 2
    assert "@" not in caplog.text

    last = reconcile_last()
    assert (last.missing_there, last.there_not_here, last.status_differences) == (2, 4, 2)
    assert (last.suppressed_there, last.repaired, last.fix) == (1, 0, "none")


def test_reconcile_lists_the_addresses_only_when_asked(mailchimp, both_sides):
    out = io.StringIO()
    call_command("mailchimp", "reconcile", verbosity=2, stdout=out)
    assert "onbekend@example.nl (unknown here)" in out.getvalue()
    assert "ontbreekt@example.nl" in out.getvalue()


def test_fix_repairs_every_difference_and_a_second_reconcile_finds_none(
    mailchimp, both_sides, caplog
):
    s = both_sides
    with caplog.at_level(logging.INFO):
        output = run("reconcile", "--fix")

    assert "Repaired: 3 subscribed there, 3 unsubscribed there, 1 archived there." in output
    for key in ("agrees", "missing", "archived", "pending"):
        assert mailchimp.status_of(s[key].email) == "subscribed"
    missing_put = next(
        c for c in mailchimp.calls("PUT") if c.path.endswith(member_hash(s["missing"].email))
    )
    assert missing_put.body == {
        "email_address": s["missing"].email,
        "status_if_new": "subscribed",
        "status": "subscribed",
        "merge_fields": {"FNAME": "Ontbreekt"},
    }
    # Unsubscribed there, subscribed here: a missed webhook. The subscription ends here
    # too (its 6-week clock starts), and Mailchimp is not asked to subscribe it again.
    assert mailchimp.status_of(s["left"].email) == "unsubscribed"
    s["left"].refresh_from_db()
    assert s["left"].unsubscribed_at is not None
    assert mailchimp.status_of(s["suppressed"].email) == "unsubscribed"
    assert mailchimp.status_of(s["stopped"].email) == "unsubscribed"
    assert mailchimp.status_of("onbekend@example.nl") == "unsubscribed"
    assert mailchimp.status_of(s["restricted"].email) == "archived"
    assert not [c for c in mailchimp.calls("PUT") if c.path.endswith(member_hash(s["left"].email))]
    assert "@" not in caplog.text

    puts = len(mailchimp.calls("PUT"))
    again = run("reconcile")
    assert "Here but not there: 0" in again
    assert "There but not here: 0" in again
    assert "Status differences: 0" in again
    assert "Explained (needs re-confirmation through Mailchimp): 0" in again
    assert "No differences." in again

    # --fix again: nothing to do, and the refused member is not tried again.
    run("reconcile", "--fix")
    assert len(mailchimp.calls("PUT")) == puts


def test_a_member_deleted_for_good_there_is_explained_after_one_refusal(mailchimp):
    gone = subscriber("vergeten@example.nl")
    mailchimp.forgotten.add(member_hash(gone.email))
    assert "Here but not there: 1" in run("reconcile")
    output = run("reconcile", "--fix")
    assert "1 member needs re-confirmation through Mailchimp" in output
    assert len(mailchimp.calls("PUT")) == 1
    assert "Explained (needs re-confirmation through Mailchimp): 1" in run("reconcile")


def test_a_repair_that_fails_is_reported_and_the_rest_goes_on(mailchimp, both_sides):
    mailchimp.fail("PATCH", "/members/", 400, "Invalid Resource")
    with pytest.raises(CommandError, match="1 repair failed"):
        run("reconcile", "--fix")
    assert mailchimp.status_of(both_sides["missing"].email) == "subscribed"
    assert reconcile_last().failed == 1


def test_a_reconcile_that_cannot_read_the_audience_fails_and_says_so(
    mailchimp, both_sides, officer_client
):
    mailchimp.fail("GET", "/members", 500, "Internal Server Error", times=3)
    with pytest.raises(CommandError, match="Mailchimp 500"):
        run("reconcile", "--fix")
    assert writes(mailchimp) == []
    cache.delete(CACHE_KEY)  # as another process sees it: from the audit trail
    body = officer_client.get("/en" + reverse("staff_dashboard")).content.decode()
    assert "failed: Mailchimp 500: Internal Server Error" in body


# The nightly job ----------------------------------------------------------------------


def test_the_nightly_job_unsubscribes_suppressed_addresses_there_and_keeps_the_counts(
    mailchimp, both_sides
):
    s = both_sides
    counts = mailchimp_reconcile_nightly()

    assert mailchimp.status_of(s["suppressed"].email) == "unsubscribed"
    assert [c.method for c in writes(mailchimp)] == ["PATCH"]
    # Every other difference is only reported.
    assert mailchimp.status_of("onbekend@example.nl") == "subscribed"
    assert mailchimp.status_of(s["missing"].email) is None
    assert counts["suppressed_there"] == counts["unsubscribed"] == 1
    assert counts["there_not_here"] == 4
    last = reconcile_last()
    assert (last.fix, last.unsubscribed, last.differences) == ("suppressed", 1, 8)
    event = AuditEvent.objects.get(action=AUDIT_RECONCILE)
    assert event.params["unsubscribed"] == 1 and event.params["fix"] == "suppressed"
    assert "@" not in str(event.params) and event.note == ""


def test_the_nightly_job_is_on_the_beat_schedule():
    from retention.schedule import beat_schedule

    assert beat_schedule()["mailchimp-reconcile"]["task"] == mailchimp_reconcile_nightly.name


# Connector off ------------------------------------------------------------------------


@pytest.mark.parametrize("args", [("push",), ("reconcile",), ("reconcile", "--fix")])
def test_without_the_connector_the_command_says_so_and_sends_nothing(mailchimp, settings, args):
    subscriber("lid@example.nl")
    mailchimp.add("onbekend@example.nl")
    settings.MAILCHIMP_API_KEY = ""
    with pytest.raises(CommandError, match="not configured"):
        run(*args)
    assert mailchimp.requests == []
    assert mailchimp_reconcile_nightly() == "not configured"
    assert mailchimp.requests == []


# The dashboard ------------------------------------------------------------------------


def test_the_dashboard_says_when_the_connector_is_not_configured(officer_client, settings):
    settings.MAILCHIMP_API_KEY = ""
    response = officer_client.get("/en" + reverse("staff_dashboard"))
    assert response.context["mailchimp"] == {"configured": False, "last": None}
    assert "Mailchimp: not configured" in response.content.decode()


def test_the_dashboard_shows_the_last_reconcile_counts(
    mailchimp, both_sides, officer_client, staff_client
):
    url = "/en" + reverse("staff_dashboard")
    assert "not been reconciled yet" in officer_client.get(url).content.decode()
    mailchimp_reconcile_nightly()
    for client in (officer_client, staff_client):
        response = client.get(url)
        body = response.content.decode()
        last = response.context["mailchimp"]["last"]
        assert (last.missing_there, last.there_not_here, last.status_differences) == (2, 4, 2)
        assert "8 differences" in body
        assert "here but not in Mailchimp: 2" in body
        assert "in Mailchimp but not here: 4 (suppressed here: 1)" in body
        assert "status differences: 2" in body
        assert "repaired: 0 subscribed, 1 unsubscribed and 0 archived in Mailchimp" in body
        assert "@example.nl" not in body
    # Another process (no shared cache) reads the same counts from the audit trail.
    cache.delete(CACHE_KEY)
    again = officer_client.get(url).context["mailchimp"]["last"]
    assert again.differences == 8 and again.unsubscribed == 1


def test_outsiders_do_not_see_the_dashboard(mailchimp, outsider_client, client):
    url = reverse("staff_dashboard")
    assert outsider_client.get(url).status_code == 403
    response = client.get(url)
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_demo_audience_pushed_to_mailchimp_reconciles_with_zero_differences(mailchimp):
    """The issue's 'done when': the nightly reconcile shows no difference on the demo."""
    import io

    from django.core.management import call_command

    from processing.mailchimp_reconcile import mailchimp_push, mailchimp_reconcile
    from subjects.newsletter import audience_rows

    call_command("load_demo", stdout=io.StringIO())
    assert audience_rows()  # the demo has people who may be mailed
    mailchimp_push()
    result = mailchimp_reconcile()
    assert result.differences == 0
    assert result.here == len(audience_rows()) == result.there
