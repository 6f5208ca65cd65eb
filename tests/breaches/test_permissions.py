"""Only privacy officers reach any page of the breach register; any staff member can
report a suspected breach; anyone else is sent to the login page or refused."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from processing.breaches.models import Breach
from subjects.permissions import is_privacy_officer
from tests.breaches.factories import BreachFactory, BreachSubjectFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _register_pages(breach: Breach) -> list[tuple[str, str]]:
    """Every page of the register as (method, url)."""
    link = BreachSubjectFactory(breach=breach)
    pages = [
        ("get", reverse("processing:breach_list")),
        ("get", reverse("processing:breach_register_csv")),
        ("get", reverse("processing:breach_detail", args=[breach.pk])),
        ("get", reverse("processing:breach_edit", args=[breach.pk])),
        ("post", reverse("processing:breach_edit", args=[breach.pk])),
        ("get", reverse("processing:breach_export", args=[breach.pk])),
    ]
    for action in (
        "notify",
        "link",
        "unlink",
        "notice-text",
        "notice-send",
        "notice-other",
        "exception",
        "close",
        "reopen",
    ):
        pages.append(("post", reverse("processing:breach_action", args=[breach.pk, action])))
    assert link.pk
    return pages


def _call(client, method: str, url: str):
    return client.post(url, {}) if method == "post" else client.get(url)


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    breach = BreachFactory()
    pages = [*_register_pages(breach), ("get", reverse("processing:breach_report"))]
    for method, url in pages:
        response = _call(client, method, url)
        assert response.status_code == 302, url
        assert reverse("two_factor:login") in response["Location"], url


def test_logged_in_users_who_are_not_staff_are_refused(outsider_client):
    breach = BreachFactory()
    pages = [*_register_pages(breach), ("get", reverse("processing:breach_report"))]
    for method, url in pages:
        assert _call(outsider_client, method, url).status_code == 403, url


def test_staff_members_may_only_report(staff_client):
    breach = BreachFactory()
    for method, url in _register_pages(breach):
        assert _call(staff_client, method, url).status_code == 403, url
    assert staff_client.get(reverse("processing:breach_report")).status_code == 200
    assert Breach.objects.count() == 1


def test_the_privacy_officer_reaches_every_page(officer_client):
    breach = BreachFactory()
    for method, url in _register_pages(breach):
        response = _call(officer_client, method, url)
        # A POST without its fields is answered with what is missing, never a 403/500.
        assert response.status_code in (200, 302, 400), url
    assert officer_client.get(reverse("processing:breach_report")).status_code == 200


def test_a_superuser_counts_as_privacy_officer(client):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    breach = BreachFactory()
    assert is_privacy_officer(admin)
    assert client.get(reverse("processing:breach_detail", args=[breach.pk])).status_code == 200


def test_the_permission_alone_makes_a_staff_member_privacy_officer(client, groups):
    user = UserFactory(username="deputy", is_staff=True)
    user.groups.add(groups[1])
    client.force_login(user)
    url = reverse("processing:breach_list")
    assert client.get(url).status_code == 403
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="processing", codename="manage_breaches")
    )
    client.force_login(user)
    assert client.get(url).status_code == 200


def test_an_inactive_or_non_staff_holder_of_the_permission_is_no_privacy_officer(groups):
    user = UserFactory(username="former", is_staff=False)
    user.groups.add(groups[0])
    assert not is_privacy_officer(user)
    user.is_staff, user.is_active = True, False
    assert not is_privacy_officer(user)


def test_the_staff_group_holds_no_breach_permission(groups):
    officer_group, staff_group = groups
    codenames = set(staff_group.permissions.values_list("codename", flat=True))
    assert not {c for c in codenames if "breach" in c}
    assert officer_group.permissions.filter(codename="manage_breaches").exists()


def test_staff_see_the_report_link_and_not_the_register(staff_client, officer_client):
    staff_page = staff_client.get(reverse("staff_dashboard")).content.decode()
    register_link = f'href="{reverse("processing:breach_list")}"'
    assert f'href="{reverse("processing:breach_report")}"' in staff_page
    assert register_link not in staff_page
    officer_page = officer_client.get(reverse("staff_dashboard")).content.decode()
    assert register_link in officer_page


def test_an_unknown_incident_is_not_found(officer_client):
    assert officer_client.get(reverse("processing:breach_detail", args=[999])).status_code == 404
    huge = reverse("processing:breach_detail", args=[2**63])
    assert officer_client.get(huge).status_code == 404
