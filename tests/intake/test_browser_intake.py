"""A person uses the intake pages in a real browser (Debian's chromium): the brochure
form's two choices start unticked and record only what was ticked, the newsletter's
double opt-in and unsubscribe work by clicking, the consent page shows the consent
given, and no page loads anything from another host."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail

from processing.models import Consent, ConsentText
from subjects.models import BrochureRequest, NewsletterSubscription

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _link(pattern: str) -> str:
    for message in reversed(mail.outbox):
        found = re.search(rf"https?://\S*{pattern}\S*", message.body)
        if found:
            return found.group(0)
    raise AssertionError(f"no e-mail with a link to {pattern}")


def _on_live_server(live_server, link: str) -> str:
    return live_server.url + urlsplit(link).path


def test_the_brochure_form_records_only_the_choice_that_was_ticked(page, live_server):
    page.goto(f"{live_server.url}/brochure/")
    assert not page.is_checked("input[name=call]")
    assert not page.is_checked("input[name=newsletter]")
    page.fill("input[name=first_name]", "Kim")
    page.fill("input[name=last_name]", "Hendriks")
    page.fill("input[name=email]", "kim@example.nl")
    page.fill("input[name=phone]", "0612345678")
    page.check("input[name=call]")
    page.click("button[type=submit]:not([name=language])")
    page.wait_for_url("**/brochure/verstuurd/")
    request = BrochureRequest.objects.get()
    consent = request.call_consent
    assert consent.purpose == "brochure-call" and consent.language == "nl"
    assert consent.text == ConsentText.objects.current("brochure-call")
    assert not NewsletterSubscription.objects.exists()
    own_host = urlsplit(live_server.url).netloc
    assert [u for u in page.requested_urls if urlsplit(u).netloc != own_host] == []


def test_a_newsletter_sign_up_is_confirmed_shown_and_unsubscribed_by_clicking(page, live_server):
    page.goto(f"{live_server.url}/en/nieuwsbrief/")
    page.fill("input[name=first_name]", "Noor")
    page.fill("input[name=email]", "noor@example.nl")
    page.check("input[name=consent]")
    page.click("button[type=submit]:not([name=language])")
    page.wait_for_url("**/nieuwsbrief/verstuurd/")
    assert NewsletterSubscription.objects.get().is_pending

    page.goto(_on_live_server(live_server, _link("/bevestigen/")))
    assert NewsletterSubscription.objects.get().is_pending  # opening the link is not enough
    page.click("button[type=submit]:not([name=language])")
    page.wait_for_load_state()
    subscription = NewsletterSubscription.objects.get()
    assert subscription.is_active
    assert Consent.objects.get(purpose="newsletter").language == "en"

    page.goto(f"{live_server.url}/en/toestemmingen/")
    page.fill("input[name=email]", "noor@example.nl")
    page.click("button[type=submit]:not([name=language])")
    page.goto(_on_live_server(live_server, _link("/toestemmingen/link/")))
    page.click("button[type=submit]:not([name=language])")
    page.wait_for_url("**/toestemmingen/beheer/**")
    assert ConsentText.objects.current("newsletter").text_en in page.content()

    page.goto(_on_live_server(live_server, _link("/afmelden/")))
    page.click("button[type=submit]:not([name=language])")
    page.wait_for_load_state()
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is not None
    assert Consent.objects.get(purpose="newsletter").withdrawn_method == "unsubscribe-link"
