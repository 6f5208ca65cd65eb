from __future__ import annotations

import pytest

from requests_dsar.models import DsarRequest, Status

pytestmark = pytest.mark.django_db


def test_a_person_submits_and_verifies_an_access_request(person):
    sanne = person()
    response = sanne.submit("access")
    assert response.status_code == 302
    status_path = sanne.verify()
    page = sanne.client.get(status_path)
    assert page.status_code == 200
    assert DsarRequest.objects.get().status == Status.NEW
