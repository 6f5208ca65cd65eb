"""The request fixtures (private files in a temporary folder, fresh rate limits, the
public person and the staff desk) for the tests of requests received another way, and a
Finance user."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from subjects.permissions import FINANCE
from tests.conftest import _client_for
from tests.factories import UserFactory
from tests.requests_dsar.conftest import desk, fresh_rate_limits, person, private_storage

__all__ = ["desk", "fresh_rate_limits", "person", "private_storage"]


@pytest.fixture
def finance(groups):
    user = UserFactory(username="finance", is_staff=True)
    user.groups.add(Group.objects.get(name=FINANCE))
    return user


@pytest.fixture
def finance_client(finance) -> Client:
    # The shared helper logs in as the other roles do (after the two-factor merge it
    # also marks the session verified).
    return _client_for(finance)
