"""The review queue of restricted rows: what an Art. 18 restriction keeps past its limit,
with the rule that would have acted and the ground as a label, and the restrictions
whose ground is not recorded yet."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from requests_dsar.fulfilment.restriction import restriction_apply
from requests_dsar.models import DsarRequest
from retention.models import RetentionRule
from subjects import models as m
from tests import factories as f
from tests.retention.conftest import utc

pytestmark = pytest.mark.django_db

URL = reverse("retention:restricted_queue")
LATER = utc(2026, 12, 1)
LABEL_EN = "Art. 18(1)(c): we no longer need the data, but the person needs them for a legal claim"
# Dutch needs the translations of issue 9 (/work/tr/art18.json) in the catalogue.
LABEL_NL = (
    "Art. 18 lid 1 onder c AVG: we hebben de gegevens niet meer nodig, maar de betrokkene "
    "heeft ze nodig voor een rechtsvordering"
)


def _restricted_subscription(n: int = 0, ground: str = "c"):
    subscription = f.NewsletterSubscriptionFactory(unsubscribed_at=utc(2026, 1, 1))
    dsar = DsarRequest.objects.create(
        reference=f"V-Q{n}",
        request_type="restriction",
        name="x",
        email=subscription.email,
        status="in-progress",
    )
    dsar.subjects.add(subscription.subject)
    restriction_apply(actor=None, request=dsar, ground=ground)
    return subscription


def _get(client, url=URL):
    with time_machine.travel(LATER, tick=False):
        return client.get(url)


def test_it_shows_the_kept_row_with_its_rule_and_ground_in_english(staff_client):
    subscription = _restricted_subscription()
    checked = _restricted_subscription(1, ground="a")  # temporary: not kept, not listed
    content = _get(staff_client, "/en" + URL).content.decode()
    assert "Kept because of a restriction (Art. 18)" in content
    assert RetentionRule.objects.get(key="unsubscribe-6w").name_en in content
    assert LABEL_EN in content
    assert f"<bdi>{subscription.subject.full_name}</bdi>" in content
    assert "1 record kept" in content
    assert checked.subject.full_name not in content


def test_it_shows_the_ground_in_dutch(staff_client):
    """Needs the Dutch translations of issue 9 (art18.json) in the catalogue."""
    _restricted_subscription()
    content = _get(staff_client).content.decode()
    assert "Bewaard vanwege een beperking (art. 18 AVG)" in content
    assert LABEL_NL in content


def test_it_lists_restrictions_without_a_recorded_ground_with_their_request(staff_client):
    subscription = f.NewsletterSubscriptionFactory()
    dsar = DsarRequest.objects.create(
        reference="V-OLD", request_type="restriction", name="x", email="x@example.nl"
    )
    m.NewsletterSubscription.objects.filter(pk=subscription.pk).update(
        restricted_at=utc(2025, 1, 1), restriction_ground="Art. 18 AVG (V-OLD) onjuist"
    )
    content = _get(staff_client, "/en" + URL).content.decode()
    assert "Restrictions without a recorded ground" in content
    assert reverse("requests_dsar:staff_detail", kwargs={"pk": dsar.pk}) in content


def test_it_says_so_when_nothing_is_kept(staff_client):
    content = _get(staff_client, "/en" + URL).content.decode()
    assert "No record is kept past its limit because of a restriction." in content
    assert "Restrictions without a recorded ground" not in content


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = _get(client)
    assert response.status_code == 200
    return len(queries)


def test_it_uses_a_fixed_number_of_queries(staff_client):
    """A few per rule and kind of data, however many rows are kept."""
    _restricted_subscription(0)
    one = _queries(staff_client)
    for n in range(1, 9):
        _restricted_subscription(n)
    assert _queries(staff_client) == one
    assert one <= 60


def test_the_overview_links_to_it(staff_client):
    assert URL in staff_client.get(reverse("retention:overview")).content.decode()


def test_it_refuses_outsiders(outsider_client):
    assert outsider_client.get(URL).status_code == 403


def test_it_sends_anonymous_visitors_to_the_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_privacy_officer_sees_it_too(officer_client):
    _restricted_subscription()
    assert _get(officer_client).status_code == 200


def test_a_run_counts_what_waits_and_the_overview_shows_it(staff_client):
    _restricted_subscription()
    with time_machine.travel(LATER, tick=False):
        from retention.services import retention_rule_apply

        run = retention_rule_apply(rule_key="unsubscribe-6w")
    assert run.due_for_review == 1
    later = LATER + datetime.timedelta(minutes=1)
    with time_machine.travel(later, tick=False):
        rules = {r.key: r for r in staff_client.get(reverse("retention:overview")).context["rules"]}
    assert rules["unsubscribe-6w"].last_run.due_for_review == 1
