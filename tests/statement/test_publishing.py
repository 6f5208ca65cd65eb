"""Publishing a version of the privacy statement: a privacy officer only; publishing
freezes the full text in both languages with its date; the dashboard says "not yet
published" while the register would change the text."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from processing.models import ProcessingActivity, StatementVersion
from processing.statement import statement_draft, statement_version_publish
from subjects.models import AuditEvent
from subjects.permissions import staff_groups_ensure

pytestmark = pytest.mark.django_db

STAFF_PAGE = "statement:staff"
PUBLISH = "statement:publish"
STAFF_PAGE_EN = "/en/staff/statement/"


def test_anonymous_visitors_are_sent_to_login(client):
    for response in (client.get(reverse(STAFF_PAGE)), client.post(reverse(PUBLISH))):
        assert response.status_code == 302
        assert "login" in response["Location"]
    assert not StatementVersion.objects.exists()


def test_an_outsider_can_neither_see_nor_publish(outsider_client):
    assert outsider_client.get(reverse(STAFF_PAGE)).status_code == 403
    assert outsider_client.post(reverse(PUBLISH)).status_code == 403
    assert not StatementVersion.objects.exists()


def test_a_staff_member_sees_the_draft_but_cannot_publish(staff_client):
    response = staff_client.get(STAFF_PAGE_EN)
    assert response.status_code == 200
    assert response.context["can_publish"] is False
    body = response.content.decode()
    assert "Only a privacy officer can publish a version." in body
    assert "/staff/statement/publish/" not in body
    assert staff_client.post(reverse(PUBLISH)).status_code == 403
    assert not StatementVersion.objects.exists()


def test_the_privacy_officer_publishes_the_full_text_in_both_languages_with_its_date(
    officer, officer_client
):
    moment = datetime.datetime(2026, 9, 1, 9, 30, tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False):
        draft = statement_draft()
        response = officer_client.post(reverse(PUBLISH))
    assert response.status_code == 302
    version = StatementVersion.objects.get()
    assert (version.number, version.published_at, version.published_by) == (1, moment, officer)
    assert (version.text_nl, version.text_en) == (draft["nl"], draft["en"])
    assert "### 1. Beveiliging van de website" in version.text_nl
    assert "### 1. Website security" in version.text_en
    event = AuditEvent.objects.get(action="statement.publish")
    assert (event.actor, event.target) == (officer, f"processing.StatementVersion #{version.pk}")


def test_publishing_what_is_already_published_is_refused_with_a_message(officer, officer_client):
    statement_version_publish(actor=officer)
    response = officer_client.post("/en/staff/statement/publish/", follow=True)
    assert StatementVersion.objects.count() == 1
    assert "nothing to publish" in response.content.decode()
    with pytest.raises(ValidationError):
        statement_version_publish(actor=officer)


def test_publishing_is_a_post_with_a_csrf_token(officer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    assert client.get(reverse(PUBLISH)).status_code == 405
    assert client.post(reverse(PUBLISH)).status_code == 403
    assert not StatementVersion.objects.exists()


def test_a_published_version_never_changes(officer):
    version = statement_version_publish(actor=officer)
    version.text_en = "Something else"
    with pytest.raises(ValidationError):
        version.save()
    assert StatementVersion.objects.get().text_en != "Something else"


def test_only_the_privacy_officer_group_holds_the_publish_permission():
    officer, staff = staff_groups_ensure()
    codenames = {
        group: set(group.permissions.values_list("codename", flat=True))
        for group in (officer, staff)
    }
    assert "publish_statementversion" in codenames[officer]
    assert "publish_statementversion" not in codenames[staff]
    assert "view_statementversion" in codenames[staff]


def test_the_staff_page_shows_what_publishing_would_change(officer, officer_client):
    statement_version_publish(actor=officer)
    ProcessingActivity.objects.filter(key="mentor").update(
        retention_en="Until the end of the trajectory, then deleted."
    )
    body = officer_client.get(STAFF_PAGE_EN).content.decode()
    assert 'id="statement-unpublished"' in body
    assert "<del>trajectory.</del> <ins>trajectory, then deleted.</ins>" in body
    assert 'action="/en/staff/statement/publish/"' in body


# The dashboard.


def test_the_dashboard_says_not_yet_published_until_the_officer_publishes(officer, staff_client):
    url = "/en/staff/"
    assert 'id="statement-not-published"' in staff_client.get(url).content.decode()
    statement_version_publish(actor=officer)
    body = staff_client.get(url).content.decode()
    assert 'id="statement-not-published"' not in body
    assert "Version 1, published on" in body
    ProcessingActivity.objects.filter(key="newsletter").update(purpose_en="News.")
    assert 'id="statement-not-published"' in staff_client.get(url).content.decode()
