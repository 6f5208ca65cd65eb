"""Fixtures for the consent page and the unsubscribe link: full links in e-mails, a fresh
rate-limit cache per test, and a helper that walks the consent page like a person."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from tests import factories as f

LINK = re.compile(r"http://testserver(/\S+)")
CONSENT_LINK = re.compile(r"http://testserver((?:/en)?/toestemmingen/link/([^/\s]+)/)")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture(autouse=True)
def site_url(settings, tmp_path):
    settings.SITE_URL = "http://testserver"
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def without_csrf(html: str) -> str:
    """A page without its (masked, per-response) CSRF tokens."""
    return CSRF.sub('name="csrfmiddlewaretoken" value="-"', html)


class Visitor:
    """Someone using the consent page with their own browser (test client)."""

    def __init__(self, client, mailoutbox, email: str) -> None:
        self.client = client
        self.mailoutbox = mailoutbox
        self.email = email

    def ask(self, prefix: str = "", **fields):
        return self.client.post(f"{prefix}/toestemmingen/", {"email": self.email, **fields})

    def mails(self) -> list:
        return [m for m in self.mailoutbox if self.email in m.to]

    def link(self) -> str:
        """The path of the link in the last e-mail."""
        return CONSENT_LINK.search(self.mails()[-1].body).group(1)

    def token(self) -> str:
        return CONSENT_LINK.search(self.mails()[-1].body).group(2)

    def use(self, link: str) -> str:
        """Press the button behind ``link``; returns the path of the consent page."""
        response = self.client.post(link)
        assert response.status_code == 302, response
        return response["Location"]

    def open_page(self, prefix: str = "") -> str:
        """Ask for a link, open it and press the button: the consent page's path."""
        self.ask(prefix)
        link = self.link()
        assert self.client.get(link).status_code == 200
        return self.use(link)

    def withdraw(self, manage: str, consent):
        return self.client.post(f"{manage}intrekken/", {"consent": consent.pk})

    def unsubscribe(self, manage: str, subscription):
        return self.client.post(f"{manage}afmelden/", {"subscription": subscription.pk})


@pytest.fixture
def visitor(client, mailoutbox, db):
    def make(email: str = "sanne@example.nl") -> Visitor:
        return Visitor(client, mailoutbox, email)

    return make


@pytest.fixture
def sanne(db):
    return f.DataSubjectFactory(first_name="Sanne", email="sanne@example.nl")


@pytest.fixture
def other_person(db):
    return f.DataSubjectFactory(first_name="Joost", email="joost@example.nl")
