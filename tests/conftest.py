"""Shared fixtures: the three people every permission test uses.

- ``officer``: the privacy officer (staff, every permission of this application)
- ``staff``: a staff member (staff, no health data, cannot change the register)
- ``outsider``: a logged-in user who is not staff
"""

from __future__ import annotations

import pytest
from django.test import Client

from subjects.permissions import staff_groups_ensure
from tests.factories import UserFactory


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
