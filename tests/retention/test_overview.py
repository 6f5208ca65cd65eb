"""The staff overview of retention: every rule with its last run."""

from __future__ import annotations

import pytest
from django.urls import reverse

from retention.models import RetentionRule, RetentionRun

pytestmark = pytest.mark.django_db

URL = reverse("retention:overview")


def test_it_shows_every_rule_with_its_last_run(staff_client):
    rule = RetentionRule.objects.get(key="ip-4w")
    RetentionRun.objects.create(rule=rule, outcome="success", total_rows=1)
    RetentionRun.objects.create(rule=rule, outcome="failed", error="boom", total_rows=7)
    response = staff_client.get(URL)
    assert response.status_code == 200
    rules = {r.key: r for r in response.context["rules"]}
    assert len(rules) == RetentionRule.objects.count()
    assert rules["ip-4w"].last_run.outcome == "failed"
    assert rules["nobco-5y"].last_run is None
    content = response.content.decode()
    assert "mislukt" in content and "IP-adressen na 4 weken" in content


def test_it_uses_a_fixed_number_of_queries(staff_client, django_assert_max_num_queries):
    for rule in RetentionRule.objects.all():
        for _ in range(3):
            RetentionRun.objects.create(rule=rule, outcome="success")
    # 12: ten for the page and its session, one for the session's second factor, one
    # for the trajectories due for review.
    with django_assert_max_num_queries(12):
        staff_client.get(URL)


def test_it_refuses_outsiders(outsider_client):
    assert outsider_client.get(URL).status_code == 403


def test_it_sends_anonymous_visitors_to_the_login(client):
    assert client.get(URL).status_code == 302


@pytest.mark.parametrize("url", [URL, reverse("retention:review_queue")])
def test_the_retention_pages_carry_the_staff_navigation(staff_client, url):
    content = staff_client.get(url).content.decode()
    assert f'href="{reverse("requests_dsar:staff_queue")}"' in content
    assert f'href="{reverse("staff_dashboard")}"' in content
