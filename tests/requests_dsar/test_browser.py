"""A person fills in the public request form in a real browser, in Dutch and in
English, and the pages load nothing from another host."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail

from requests_dsar.models import DsarRequest, Status

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _fill(page, name: str, email: str) -> None:
    page.check("input[name=request_type][value=access]")
    page.fill("input[name=name]", name)
    page.fill("input[name=email]", email)
    page.click("button[type=submit]:not([name=language])")


def test_a_person_files_a_request_in_dutch_and_in_english(page, live_server):
    page.goto(live_server.url + "/")
    page.click("a[href='/verzoek/']")
    assert page.locator("h1").inner_text() == "Oefen je privacyrechten uit"
    _fill(page, "Sanne de Vries", "sanne@example.nl")
    assert page.locator("h1").inner_text() == "Kijk in je e-mail"

    link = re.search(r"http://\S+/verzoek/bevestigen/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link.replace("http://testserver", live_server.url))
    page.click("text=Mijn verzoek bevestigen")
    assert page.locator("h1").inner_text() == "Status van je verzoek"
    assert DsarRequest.objects.get(email="sanne@example.nl").status == Status.NEW

    page.goto(live_server.url + "/en/verzoek/")
    assert page.locator("h1").inner_text() == "Exercise your privacy rights"
    # Only the questions of the chosen right are shown.
    assert page.locator("#group-consents").is_hidden()
    page.check("input[name=request_type][value=consent-withdrawal]")
    assert page.locator("#group-consents").is_visible()
    _fill(page, "Sam Jansen", "sam@example.nl")
    assert page.locator("h1").inner_text() == "Check your e-mail"
    assert DsarRequest.objects.get(email="sam@example.nl").language == "en"

    own_host = urlsplit(live_server.url).netloc
    foreign = [u for u in page.requested_urls if urlsplit(u).netloc != own_host]
    assert page.requested_urls and foreign == []


def test_the_accounts_to_delete_are_asked_only_for_an_erasure_of_accounts(page, live_server):
    page.goto(live_server.url + "/verzoek/")
    assert page.locator("#group-erasure_scope").is_hidden()
    page.check("input[name=request_type][value=erasure]")
    assert page.locator("#group-erasure_scope").is_visible()
    assert page.locator("legend", has_text="Wat wil je laten verwijderen?").is_visible()
    assert page.locator("#group-erasure_accounts").is_hidden()
    page.check("input[name=erasure_scope][value=accounts]")
    assert page.locator("#group-erasure_accounts").is_visible()
    page.check("input[name=erasure_accounts][value=e2grow]")
    # Back to everything: the tick left behind is not sent and does not narrow it.
    page.check("input[name=erasure_scope][value=everything]")
    assert page.locator("#group-erasure_accounts").is_hidden()
    page.fill("input[name=name]", "Sanne de Vries")
    page.fill("input[name=email]", "sanne@example.nl")
    page.click("button[type=submit]:not([name=language])")
    assert page.locator("h1").inner_text() == "Kijk in je e-mail"
    assert DsarRequest.objects.get(email="sanne@example.nl").activities == []

    page.goto(live_server.url + "/en/verzoek/")
    page.check("input[name=request_type][value=erasure]")
    page.check("input[name=erasure_scope][value=accounts]")
    page.check("input[name=erasure_accounts][value=clifton-strengths]")
    page.fill("input[name=name]", "Sam Jansen")
    page.fill("input[name=email]", "sam@example.nl")
    page.click("button[type=submit]:not([name=language])")
    assert page.locator("h1").inner_text() == "Check your e-mail"
    assert DsarRequest.objects.get(email="sam@example.nl").activities == ["clifton-strengths"]


def test_an_error_about_the_accounts_stays_in_view(page, live_server):
    page.goto(live_server.url + "/verzoek/")
    # What a browser without JavaScript would send: everything, and an account ticked.
    page.evaluate("document.querySelector('script[src*=request-form]').remove()")
    page.check("input[name=request_type][value=erasure]")
    page.evaluate(
        "document.querySelectorAll('[hidden]').forEach(e => { e.hidden = false; });"
        "document.querySelectorAll('input').forEach(e => { e.disabled = false; });"
    )
    page.check("input[name=erasure_accounts][value=e2grow]")
    page.fill("input[name=name]", "Sanne de Vries")
    page.fill("input[name=email]", "sanne@example.nl")
    page.click("button[type=submit]:not([name=language])")
    assert page.locator("#group-erasure_accounts").is_visible()
    assert (
        page.locator("#group-erasure_accounts .text-danger")
        .inner_text()
        .startswith("Je koos ervoor alles te laten verwijderen")
    )
    assert not DsarRequest.objects.exists()
