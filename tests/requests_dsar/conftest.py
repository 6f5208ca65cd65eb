"""Fixtures for rights requests: private files in a temporary folder, a fresh rate-limit
cache per test, and helpers that walk the public flow like a person would."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.cache import cache


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    settings.SITE_URL = "http://testserver"
    return settings.PRIVATE_STORAGE_ROOT


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


LINK = re.compile(r"http://testserver(/\S+)")


def links_in(message) -> list[str]:
    return LINK.findall(message.body)


class Person:
    """Someone using the public pages with their own browser (test client)."""

    def __init__(self, client, mailoutbox, email: str, name: str = "Sanne de Vries") -> None:
        self.client = client
        self.mailoutbox = mailoutbox
        self.email = email
        self.name = name

    def submit(self, right: str, prefix: str = "", **fields) -> object:
        data = {"request_type": right, "name": self.name, "email": self.email, **fields}
        return self.client.post(f"{prefix}/verzoek/", data)

    def mails(self) -> list:
        return [m for m in self.mailoutbox if self.email in m.to]

    def verify(self) -> str:
        """Open the link of the last verification e-mail and confirm; returns the
        status page path."""
        link = links_in(self.mails()[-1])[0]
        assert self.client.get(link).status_code == 200
        response = self.client.post(link)
        assert response.status_code == 302
        return response["Location"]


@pytest.fixture
def person(client, mailoutbox, db):
    def make(email: str = "sanne@example.nl", name: str = "Sanne de Vries") -> Person:
        return Person(client, mailoutbox, email, name)

    return make


class StaffDesk:
    """A staff member working a request through the dashboard."""

    def __init__(self, client) -> None:
        self.client = client

    def act(self, dsar, action: str, **data) -> object:
        """Press the action's button; an irreversible action first shows what will go,
        which the staff member reads and confirms."""
        url = f"/staff/requests/{dsar.pk}/{action}/"
        response = self.client.post(url, data)
        if response.status_code == 200 and "preview" in response.context:
            response = self.client.post(url, {**data, "confirmed": "yes"})
        assert response.status_code == 302, response
        return response

    def errors_after(self, dsar, action: str, **data) -> list[str]:
        url = f"/staff/requests/{dsar.pk}/{action}/"
        response = self.client.post(url, data, follow=True)
        if "preview" in response.context:
            response = self.client.post(url, {**data, "confirmed": "yes"}, follow=True)
        return [str(m) for m in response.context["messages"] if m.level_tag == "error"]

    def complete(self, dsar) -> str:
        page = self.client.get(f"/staff/requests/{dsar.pk}/")
        draft = page.context["forms"]["complete"].initial["answer"]
        self.act(dsar, "complete", answer=draft)
        dsar.refresh_from_db()
        assert dsar.status == "completed"
        answer = [m for m in mail.outbox if m.to == [dsar.email]][-1]
        assert draft.splitlines()[0] in answer.body
        assert "Autoriteit Persoonsgegevens" in answer.body
        return draft


@pytest.fixture
def desk(officer_client) -> StaffDesk:
    return StaffDesk(officer_client)
