"""The public home page: Dutch first, English second, nothing from other hosts, and the
website security log the statement describes."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

from subjects.models import WebsiteVisit

pytestmark = pytest.mark.django_db
ROOT = Path(settings.BASE_DIR)
FIREFOX_ON_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
)


def test_the_home_page_is_dutch_by_default_and_english_under_en(client):
    dutch = client.get("/").content.decode()
    english = client.get("/en/").content.decode()
    assert 'lang="nl"' in dutch and "Jouw privacy bij Leafspring" in dutch
    assert 'lang="en"' in english and "Your privacy at Leafspring" in english


def test_the_footer_names_the_controller_and_the_authority(client):
    body = client.get("/").content.decode()
    assert "Lichtenvoordseweg 28A" in body
    assert "Autoriteit Persoonsgegevens" in body


def test_no_page_loads_anything_from_another_host(client):
    body = client.get("/").content.decode()
    external = re.findall(r'(?:src|href)="(?:https?:)?//[^"]+"', body)
    assert external == []


def test_a_visit_records_ip_operating_system_and_browser_only():
    from django.test import Client

    Client(HTTP_USER_AGENT=FIREFOX_ON_WINDOWS, REMOTE_ADDR="198.51.100.7").get("/")
    visit = WebsiteVisit.objects.get()
    assert (visit.ip_address, visit.operating_system, visit.browser) == (
        "198.51.100.7",
        "Windows",
        "Firefox",
    )


def test_admin_and_health_checks_are_not_logged_as_visits(client):
    client.get("/admin/")
    client.get("/healthz")
    assert not WebsiteVisit.objects.exists()


def test_every_dutch_catalog_is_complete():
    catalogs = list(ROOT.glob("**/locale/nl/LC_MESSAGES/django.po"))
    catalogs = [c for c in catalogs if ".venv" not in c.parts]
    assert catalogs
    for path in catalogs:
        po = polib.pofile(str(path))
        assert po.untranslated_entries() == [], path
        assert po.fuzzy_entries() == [], path
        assert path.with_suffix(".mo").exists(), path


@pytest.mark.parametrize(
    "url,logged",
    [
        ("/%00", "/%00"),
        ("/verzoek/%00abc/", "/verzoek/%00abc/"),
        ("/verzoek/%0D%0Aforged/", "/verzoek/%0D%0Aforged/"),
        ("/%7F%C2%85", "/%7F%C2%85"),
    ],
)
def test_a_visit_with_control_characters_in_the_path_is_still_logged(url, logged):
    """L3: PostgreSQL cannot store a NUL byte in text; the visit must be recorded all the
    same (on whichever database DATABASE_URL names), the characters percent-encoded."""
    from django.test import Client

    response = Client(raise_request_exception=False).get(
        url, HTTP_USER_AGENT="Mozilla/5.0 (Windows NT 10.0)\x00\r\n Firefox/128.0"
    )
    assert response.status_code < 500
    visit = WebsiteVisit.objects.get()
    assert visit.path == logged
    assert (visit.operating_system, visit.browser) == ("Windows", "Firefox")


def test_printable_leaves_ordinary_text_alone_and_encodes_every_control_character():
    from subjects.middleware import printable

    assert printable("/verzoek/é ü/") == "/verzoek/é ü/"
    assert printable("a\x00b\tc\x1bd\x7fe\x9f") == "a%00b%09c%1Bd%7Fe%C2%9F"
