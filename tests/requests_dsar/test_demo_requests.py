"""The demo requests follow the same rules as requests that came in through the form."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from requests_dsar.models import DsarRequest
from requests_dsar.services.identity import staff_verification_reasons

pytestmark = pytest.mark.django_db


def test_demo_requests_need_a_staff_check_exactly_when_the_rule_says_so():
    call_command("load_demo", stdout=io.StringIO())
    requests = list(DsarRequest.objects.filter(reference__startswith="V-DEMO"))
    assert requests
    for request in requests:
        assert request.needs_staff_verification == bool(staff_verification_reasons(request))
    # Lotte's portability request discloses special-category data.
    assert DsarRequest.objects.get(reference="V-DEMO0003").needs_staff_verification
