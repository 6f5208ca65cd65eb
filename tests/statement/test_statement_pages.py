"""The public privacy statement page: Dutch first, English under /en/, the current
version with its date, the history, the changes between two versions, linked from every
public page and intake form, nothing loaded from another host, never a 500."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from processing.models import ProcessingActivity, Recipient, StatementVersion
from processing.statement import statement_draft, statement_version_publish

pytestmark = pytest.mark.django_db

PAGE = "/privacyverklaring/"


def _publish(officer, when: str):
    with time_machine.travel(timezone.datetime.fromisoformat(when), tick=False):
        return statement_version_publish(actor=officer)


@pytest.fixture
def three_versions(officer):
    """Version 1 (1 March 2026), 2 (IP addresses 3 weeks, 1 May), 3 (Zoom renamed, 1 June)."""
    first = _publish(officer, "2026-03-01T10:00:00+01:00")
    ProcessingActivity.objects.filter(key="website-security").update(
        retention_nl="IP-adres maximaal 3 weken.", retention_en="IP address at most 3 weeks."
    )
    second = _publish(officer, "2026-05-01T10:00:00+02:00")
    Recipient.objects.filter(key="zoom").update(name="Zoom Video Communications")
    third = _publish(officer, "2026-06-01T10:00:00+02:00")
    return first, second, third


def test_the_page_is_dutch_by_default_and_english_under_en(client, officer):
    statement_version_publish(actor=officer)
    dutch = client.get(PAGE).content.decode()
    english = client.get("/en" + PAGE).content.decode()
    assert 'lang="nl"' in dutch and "Beveiliging van de website" in dutch
    assert 'lang="en"' in english and "Website security" in english
    assert '<h1 class="h2">Privacy statement of Leafspring B.V.</h1>' in english


def test_it_shows_the_current_version_with_its_date_and_the_history(client, three_versions):
    body = client.get("/en" + PAGE).content.decode()
    assert "Version 3, published on 1 June 2026." in body
    assert "IP address at most 3 weeks." in body
    assert "Zoom Video Communications" in body
    history = body.split('id="history"')[1]
    assert "Version 3 of 1 June 2026" in history
    for number, date in ((2, "1 May 2026"), (1, "1 March 2026")):
        link = f'<a href="/en/privacyverklaring/versie/{number}/">'
        assert f"{link}Version {number} of {date}</a>" in history
    assert 'href="/en/privacyverklaring/wijzigingen/"' in history


def test_the_page_shows_the_published_text_not_the_register_as_it_is_now(client, officer):
    statement_version_publish(actor=officer)
    ProcessingActivity.objects.filter(key="mentor").update(name_en="Workplace mentor")
    body = client.get("/en" + PAGE).content.decode()
    assert "10. Mentor" in body
    assert "Workplace mentor" not in body


def test_an_earlier_version_is_shown_as_it_was_and_marked_as_earlier(client, three_versions):
    body = client.get("/en/privacyverklaring/versie/1/").content.decode()
    assert "Version 1, published on 1 March 2026." in body
    assert "This is an earlier version." in body
    assert "IP address at most 4 weeks." in body
    assert "Zoom Video Communications" not in body


@pytest.mark.parametrize(
    "url",
    [
        "/privacyverklaring/versie/9/",
        "/privacyverklaring/versie/0/",
        "/privacyverklaring/versie/" + "9" * 30 + "/",
        "/privacyverklaring/versie/-1/",
    ],
)
def test_an_unknown_version_is_not_found(client, three_versions, url):
    assert client.get(url).status_code == 404


def test_the_changes_between_the_last_two_versions_are_shown_word_by_word(client, three_versions):
    response = client.get("/en/privacyverklaring/wijzigingen/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "From version 2 (1 May 2026) to version 3 (1 June 2026)" in body
    assert "- Zoom <ins>Video Communications</ins> (processor," not in body  # no markup
    assert "Zoom <ins>Video Communications</ins> (processor, United States" in body
    assert "IP address at most 3 weeks" not in body.split("From version")[1]


def test_any_two_versions_can_be_compared(client, three_versions):
    body = client.get(
        "/en/privacyverklaring/wijzigingen/", {"van": "1", "naar": "2"}
    ).content.decode()
    assert "From version 1 (1 March 2026) to version 2 (1 May 2026)" in body
    assert "Under “1. Website security”" in body
    assert "How long: IP address at most <del>4</del> <ins>3</ins> weeks." in body
    assert "Zoom Video Communications" not in body.split("From version")[1]


@pytest.mark.parametrize(
    "params",
    [
        {"van": "abc", "naar": "2"},
        {"van": "99", "naar": "1"},
        {"van": "2", "naar": "2"},
        {"van": "1", "naar": "-1"},
        {"van": "1\x00", "naar": "2"},
        {"van": "9" * 40, "naar": "2"},
    ],
)
def test_a_bad_comparison_gets_a_clear_message_and_never_a_500(client, three_versions, params):
    response = client.get("/en/privacyverklaring/wijzigingen/", params)
    assert response.status_code == 400
    body = response.content.decode()
    assert "text-danger" in body or "alert-danger" in body
    assert "statement-change" not in body


def test_with_one_version_there_is_nothing_to_compare_yet(client, officer):
    statement_version_publish(actor=officer)
    body = client.get("/en/privacyverklaring/wijzigingen/").content.decode()
    assert "There is no earlier version to compare with yet." in body


def test_before_anything_is_published_the_register_draft_is_shown_and_says_so(client):
    body = client.get("/en" + PAGE).content.decode()
    assert "No version of this statement has been published yet" in body
    assert "1. Website security" in body
    assert StatementVersion.objects.count() == 0


@pytest.mark.parametrize(
    "url", ["/", "/contact/", "/brochure/", "/nieuwsbrief/", "/verzoek/", "/toestemmingen/", PAGE]
)
def test_every_public_page_links_to_the_statement_in_its_footer(client, url):
    footer = client.get(url).content.decode().split("<footer", 1)[1]
    assert 'href="/privacyverklaring/"' in footer
    footer_en = client.get("/en" + url).content.decode().split("<footer", 1)[1]
    assert 'href="/en/privacyverklaring/"' in footer_en


@pytest.mark.parametrize(
    "url,anchor",
    [
        ("/contact/", "#contact-form"),
        ("/brochure/", "#brochure"),
        ("/nieuwsbrief/", "#newsletter"),
        ("/verzoek/", "#rights"),
        ("/toestemmingen/", ""),
    ],
)
def test_every_intake_form_links_to_the_statement(client, url, anchor):
    main = client.get(url).content.decode().split("<footer", 1)[0]
    assert f'href="/privacyverklaring/{anchor}"' in main


def test_the_anchors_intake_forms_link_to_exist_on_the_statement_page(client, officer):
    statement_version_publish(actor=officer)
    body = client.get(PAGE).content.decode()
    for anchor in ("contact-form", "brochure", "newsletter", "rights", "traineeship-participants"):
        assert f'id="{anchor}"' in body


LOADED_FROM_ELSEWHERE = re.compile(
    r'(?:src|srcset|action)="(?:https?:)?//|<link[^>]+href="(?:https?:)?//|url\((?:https?:)?//'
)


@pytest.mark.parametrize(
    "url",
    [
        PAGE,
        "/en" + PAGE,
        "/privacyverklaring/versie/1/",
        "/privacyverklaring/wijzigingen/",
        "/en/privacyverklaring/wijzigingen/?van=1&naar=3",
    ],
)
def test_no_statement_page_loads_anything_from_another_host(client, three_versions, url):
    body = client.get(url).content.decode()
    assert LOADED_FROM_ELSEWHERE.findall(body) == []
    # Links to other hosts (the supervisory authority, the Data Privacy Framework list)
    # are only links: nothing is fetched from them, and no referrer is sent.
    assert '<meta name="referrer" content="same-origin">' in body


def test_text_from_the_register_is_escaped(client, officer):
    Recipient.objects.filter(key="zoom").update(name='Zoom <script>alert("x")</script>')
    statement_version_publish(actor=officer)
    body = client.get(PAGE).content.decode()
    assert "<script>alert" not in body
    assert "&lt;script&gt;alert" in body


def test_the_page_costs_the_same_number_of_queries_with_more_versions(client, officer):
    statement_version_publish(actor=officer)
    ProcessingActivity.objects.filter(key="mentor").update(name_en="Mentor 1")
    statement_version_publish(actor=officer)
    client.get(PAGE)
    urls = [PAGE, "/privacyverklaring/versie/1/", "/privacyverklaring/wijzigingen/"]
    few = {}
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        few[url] = len(queries)
    for n in range(2, 8):
        ProcessingActivity.objects.filter(key="mentor").update(name_en=f"Mentor {n}")
        statement_version_publish(actor=officer)
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        assert len(queries) == few[url], url


def test_the_staff_page_and_the_public_page_agree_on_what_is_published(officer, officer_client):
    statement_version_publish(actor=officer)
    assert officer_client.get(reverse("statement:staff")).context["status"].unpublished is False
    assert StatementVersion.objects.get().text_en == statement_draft()["en"]
