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


def _visit_from(client_kwargs: dict, **headers: str) -> str | None:
    from django.test import Client

    WebsiteVisit.objects.all().delete()
    Client(**client_kwargs).get("/", **headers)
    return WebsiteVisit.objects.get().ip_address


@pytest.mark.parametrize(
    "proxies,forwarded,expected",
    [
        # No proxy configured: the header is the sender's own and never believed.
        (0, "203.0.113.9", "10.0.0.1"),
        # One proxy: the entry it appended (the rightmost) is the visitor.
        (1, "203.0.113.9", "203.0.113.9"),
        # A visitor who sends their own X-Forwarded-For cannot choose their address.
        (1, "1.1.1.1, 203.0.113.9", "203.0.113.9"),
        (1, "1.1.1.1,2.2.2.2 , 203.0.113.9", "203.0.113.9"),
        # Two proxies (e.g. a load balancer and nginx): the second entry from the right.
        (2, "1.1.1.1, 203.0.113.9, 10.0.0.7", "203.0.113.9"),
        # Fewer entries than proxies, no header, or garbage: the connecting address.
        (2, "203.0.113.9", "10.0.0.1"),
        (1, "", "10.0.0.1"),
        (1, "1.1.1.1, not-an-address", "10.0.0.1"),
        # IPv6, and addresses with a port.
        (1, "2001:db8::1", "2001:db8::1"),
        (1, "[2001:db8::2]:443", "2001:db8::2"),
        (1, "203.0.113.9:51234", "203.0.113.9"),
    ],
)
def test_the_visit_log_takes_the_visitor_address_behind_trusted_proxies(
    settings, proxies, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    assert _visit_from({"REMOTE_ADDR": "10.0.0.1"}, **headers) == expected


def _submit(client, n: int, visitor: str, spoofed: str):
    data = {
        "request_type": "access",
        "name": "Sanne",
        "email": f"sanne{n}@example.nl",
        "website": "",
    }
    return client.post(
        "/verzoek/",
        data,
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR=f"{spoofed}, {visitor}",
    )


def test_behind_a_proxy_the_rate_limit_counts_per_visitor_not_per_proxy(settings, client):
    """M5: every visitor arrives from the proxy's address; without the setting the 21st
    form of anyone in an hour was refused. With it, the limit is per visitor, the same
    address the visit log records, and a spoofed X-Forwarded-For entry does not help."""
    settings.TRUSTED_PROXY_COUNT = 1
    settings.DSAR_RATE_PER_IP = "3/h"
    for n in range(3):
        assert _submit(client, n, "203.0.113.9", f"1.1.1.{n}").status_code == 302
    assert _submit(client, 3, "203.0.113.9", "1.1.1.99").status_code == 429
    assert _submit(client, 4, "198.51.100.4", "1.1.1.1").status_code == 302
    assert set(WebsiteVisit.objects.values_list("ip_address", flat=True)) == {
        "203.0.113.9",
        "198.51.100.4",
    }


def test_the_rate_limit_has_an_address_even_when_none_is_known(settings):
    from django.test import RequestFactory

    from leafspring.client_ip import client_ip, client_ip_for_ratelimit

    request = RequestFactory().get("/", REMOTE_ADDR="")
    assert client_ip(request) is None
    assert client_ip_for_ratelimit(request) == "0.0.0.0"
    assert settings.RATELIMIT_IP_META_KEY == "leafspring.client_ip.client_ip_for_ratelimit"
