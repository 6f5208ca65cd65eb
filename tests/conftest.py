"""Shared fixtures: the three people every permission test uses.

- ``officer``: the privacy officer (staff, every permission of this application)
- ``staff``: a staff member (staff, no health data, cannot change the register)
- ``outsider``: a logged-in user who is not staff
"""

from __future__ import annotations

import os
import shutil

import pytest
from django.test import Client

from subjects.permissions import staff_groups_ensure
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in Dutch, the default language: a request to an /en/ page leaves
    English active in the thread, which would change what a later test's ``reverse``
    returns."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def verified_device(user):
    """The user's authenticator app (a confirmed TOTP device named as the library's
    default), made once."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="default", defaults={"confirmed": True}
    )
    return device


@pytest.fixture(autouse=True)
def force_login_passes_the_second_factor(request, monkeypatch):
    """``Client.force_login`` signs in with both factors, as the staff login does: the
    session holds the user's verified authenticator app (django-otp's session key), so
    the many tests that log in staff this way keep reaching staff pages. A test marked
    ``password_only`` gets what a stolen password alone gives: a session without it."""
    if request.node.get_closest_marker("password_only"):
        return
    from django_otp import DEVICE_ID_SESSION_KEY

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = verified_device(user).persistent_id
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture
def groups(db):
    return staff_groups_ensure()


@pytest.fixture
def officer(groups):
    user = UserFactory(username="officer", is_staff=True)
    user.groups.add(groups[0])
    return user


@pytest.fixture
def staff(groups):
    user = UserFactory(username="staff", is_staff=True)
    user.groups.add(groups[1])
    return user


@pytest.fixture
def outsider(db):
    return UserFactory(username="outsider", is_staff=False)


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def officer_client(officer) -> Client:
    return _client_for(officer)


@pytest.fixture
def staff_client(staff) -> Client:
    return _client_for(staff)


@pytest.fixture
def outsider_client(outsider) -> Client:
    return _client_for(outsider)


@pytest.fixture
def database_restored_afterwards(request, django_db_blocker):
    """A transactional test ends with a flush, which also empties what the migrations
    loaded (the register, permissions). Ask for the post-migration contents to be loaded
    again after teardown, so later tests find the database as it was. Use it with
    ``django_db(transaction=True, serialized_rollback=True)``: the serialized rollback
    keeps the flush from re-creating content types under new numbers, which would clash
    with the next transactional test's restored ones (whatever order tests run in)."""
    request.node.restore_db_blocker = django_db_blocker


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield
    blocker = getattr(item, "restore_db_blocker", None)
    # After the last test the test database is gone already (the session's teardown ran
    # with this test's): there is nothing to restore, and the connection points at the
    # project's own database again.
    if blocker is None or nextitem is None:
        return
    from django.db import connections

    with blocker.unblock():
        for connection in connections.all():
            contents = getattr(connection, "_test_serialized_contents", None)
            if contents:
                connection.creation.deserialize_db_from_string(contents)


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def page(live_server, monkeypatch, database_restored_afterwards):
    """A headless page in Debian's chromium (Playwright drives it) against the live
    server; every URL it requests is kept in ``page.requested_urls``. Fails in CI when
    chromium is missing, skips elsewhere."""
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing in CI")
        pytest.skip(f"{CHROMIUM} is not installed")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright runs an event loop
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        page = browser.new_page()
        page.requested_urls = []
        page.on("request", lambda request: page.requested_urls.append(request.url))
        yield page
        browser.close()
        # Queries made while Playwright's loop runs use their own connection; close it so
        # the test database can be dropped.
        from django.db import connections

        connections.close_all()
