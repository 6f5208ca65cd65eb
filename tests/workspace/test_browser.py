"""A privacy officer finds a demo person, opens their page and records a request they
made by phone, in a real browser, at a desktop and at a phone width: screenshots under
var/screenshots/, and no horizontal overflow on the phone."""

from __future__ import annotations

import datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from requests_dsar.demo import demo_requests_load
from requests_dsar.models import DsarRequest
from subjects.demo import demo_data_load
from subjects.models import DataSubject

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
WIDTHS = {"desktop": 1280, "phone": 390}


def _log_in(page, live_server, user) -> None:
    """The test client's session, handed to the browser as its cookie."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def _no_horizontal_overflow(page, width: int) -> None:
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{scroll_width} px wide at {width} px"


def test_an_officer_finds_a_demo_person_and_opens_their_page(page, live_server, officer):
    demo_data_load()
    demo_requests_load()
    person = DataSubject.objects.get(first_name="Lotte", last_name="Smit")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    _log_in(page, live_server, officer)
    for name, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server.url + "/staff/")
        if width < 992:  # the navigation collapses behind its toggler on a phone
            assert page.locator("#person-search-q").is_hidden()
            page.click(".navbar-toggler")
        page.fill("#person-search-q", "lotte smit")
        page.press("#person-search-q", "Enter")
        page.wait_for_selector("#people-results")
        page.screenshot(path=str(SCREENSHOTS / f"people-search-{name}.png"), full_page=True)
        _no_horizontal_overflow(page, width)
        page.click(f"a[href$='/staff/people/{person.pk}/']")
        assert page.locator("#person-name").inner_text().startswith("Lotte Smit")
        assert page.locator("#activity-traineeship-participants").is_visible()
        assert page.locator("#start-request").is_visible()
        page.screenshot(path=str(SCREENSHOTS / f"person-{name}.png"), full_page=True)
        _no_horizontal_overflow(page, width)
        # The request made by phone, started from the person's page.
        page.click("#start-request")
        page.wait_for_selector("form #id_request_type")
        assert page.locator("#id_name").input_value() == "Lotte Smit"
        page.screenshot(path=str(SCREENSHOTS / f"record-request-{name}.png"), full_page=True)
        _no_horizontal_overflow(page, width)
    before = set(DsarRequest.objects.values_list("pk", flat=True))
    page.set_viewport_size({"width": WIDTHS["desktop"], "height": 900})
    page.select_option("#id_channel", "phone")
    page.select_option("#id_request_type", "access")
    page.fill("#id_details", "Belde op en vroeg welke gegevens wij van haar hebben.")
    page.select_option("#id_verification_method", "call-back")
    page.click("#record-request")
    page.wait_for_selector("h1:has-text(': ')")
    (made,) = DsarRequest.objects.exclude(pk__in=before)
    assert page.url.endswith(f"/staff/requests/{made.pk}/")
    assert made.channel == "phone" and list(made.subjects.all()) == [person]
    # Four weeks from when the call came in (the form's default: now, to the minute).
    received = timezone.localtime(made.received_at).date()
    assert made.due_on == received + datetime.timedelta(weeks=4)
    assert made.reference in page.locator("h1").inner_text()
    page.screenshot(path=str(SCREENSHOTS / "recorded-request-desktop.png"), full_page=True)

    # Every staff list fits the phone: wide tables scroll within themselves.
    page.set_viewport_size({"width": WIDTHS["phone"], "height": 900})
    for path in ("/staff/", "/staff/requests/", "/staff/intake/", "/staff/retention/"):
        page.goto(live_server.url + path)
        _no_horizontal_overflow(page, WIDTHS["phone"])

    own_host = urlsplit(live_server.url).netloc
    assert [u for u in page.requested_urls if urlsplit(u).netloc != own_host] == []
