"""Every URL under /staff/, found through the URL resolver, for every role: anonymous
goes to the login page, a logged-in non-staff user gets 403, and each staff role gets
exactly the pages it may see. A new staff URL fails this test until it is classified."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls.resolvers import RoutePattern

from tests.factories import InvoiceFactory, SupplierDetailsFactory
from tests.url_walk import url_patterns

pytestmark = pytest.mark.django_db

ROLES = ("staff", "finance", "officer")
ALL = frozenset(ROLES)
OFFICER = frozenset({"officer"})
# What each staff URL is for, and who may open it. Finance sees no staff page except
# reporting a suspected breach, which every employee may do.
EXPECTED = {
    "staff_dashboard": ALL - {"finance"},
    "staff_register": ALL - {"finance"},
    "staff_register_csv": ALL - {"finance"},
    "staff_register_pdf": ALL - {"finance"},
    "subjects_staff:intake": ALL - {"finance"},
    "subjects_staff:brochure_follow_up": ALL - {"finance"},
    "subjects_staff:newsletter_audience_csv": ALL - {"finance"},
    "subjects_staff:people": ALL - {"finance"},
    "subjects_staff:person": ALL - {"finance"},
    "subjects_staff:person_access_preview": ALL - {"finance"},
    "subjects_staff:person_restrict": ALL - {"finance"},
    "subjects_staff:person_lift": ALL - {"finance"},
    "staff_account_switch_off": OFFICER,
    "statement:staff": ALL - {"finance"},
    "statement:publish": OFFICER,
    "statement:art14": ALL - {"finance"},
    "statement:art14_record": ALL - {"finance"},
    "processing:breach_list": OFFICER,
    "processing:breach_report": ALL,
    "processing:breach_register_csv": OFFICER,
    "processing:breach_detail": OFFICER,
    "processing:breach_edit": OFFICER,
    "processing:breach_export": OFFICER,
    "processing:breach_action": OFFICER,
    "recipients:list": ALL - {"finance"},
    "recipients:detail": ALL - {"finance"},
    "recipients:agreement": OFFICER,
    "recipients:agreement_document": ALL - {"finance"},
    "recipients:transfer": OFFICER,
    "recipients:check": OFFICER,
    "requests_dsar:staff_queue": ALL - {"finance"},
    "requests_dsar:staff_record": ALL - {"finance"},
    "requests_dsar:staff_withdrawal_tasks": ALL - {"finance"},
    "requests_dsar:staff_withdrawal_task_action": ALL - {"finance"},
    "requests_dsar:staff_detail": ALL - {"finance"},
    "requests_dsar:staff_preview": ALL - {"finance"},
    "requests_dsar:staff_action": ALL - {"finance"},
    "retention:overview": ALL - {"finance"},
    "retention:relationship_end": ALL - {"finance"},
    "retention:restricted_queue": ALL - {"finance"},
    "retention:review_queue": ALL - {"finance"},
    "retention:review_keep": ALL - {"finance"},
    "retention:review_delete": ALL - {"finance"},
    "retention:trajectory_review": ALL - {"finance"},
    "retention:trajectory_review_end": ALL - {"finance"},
    "retention:trajectory_review_keep": ALL - {"finance"},
}
# Values for the URL's parameters: objects that do not exist, so that a role that passes
# the permission check gets 404 and nothing is changed.
PARAMETER_VALUES = {"int": "999999", "slug": "not-there", "str": "not-there", "path": "x"}


def _staff_urls():
    for route, pattern, namespace in url_patterns():
        if not route.startswith("staff/") or not pattern.name:
            continue
        for name, converter in RoutePattern(route).converters.items():
            kind = type(converter).__name__.removesuffix("Converter").lower()
            route = route.replace(f"<{kind}:{name}>", PARAMETER_VALUES[kind])
        yield f"{namespace}{pattern.name}", "/" + route


STAFF_URLS = sorted(dict(_staff_urls()).items())


def test_every_staff_url_is_in_the_matrix():
    assert {name for name, _ in STAFF_URLS} == set(EXPECTED)


def _status(client: Client, url: str, method: str) -> int:
    return (client.get(url) if method == "get" else client.post(url, {})).status_code


@pytest.fixture
def clients(staff_client, finance_client, officer_client):
    return {"staff": staff_client, "finance": finance_client, "officer": officer_client}


@pytest.mark.parametrize(("name", "url"), STAFF_URLS)
def test_each_role_gets_exactly_what_it_may_see(name, url, client, outsider_client, clients):
    for method in ("get", "post"):
        response = client.get(url) if method == "get" else client.post(url, {})
        if response.status_code == 405:
            # A method the page never accepts is refused to everyone, before anything.
            for other in (outsider_client, *clients.values()):
                assert _status(other, url, method) == 405, (name, method)
            continue
        assert response.status_code == 302, (name, method)
        assert "/account/login/" in response["Location"], (name, method)
        assert _status(outsider_client, url, method) == 403, (name, method)
        for role in ROLES:
            status = _status(clients[role], url, method)
            if role in EXPECTED[name]:
                # Past the permission check: the page, a redirect after a form, 404 for
                # the object that is not there, or 405 for a method the view refuses.
                assert status in {200, 302, 404, 405}, (name, method, role, status)
            else:
                assert status == 403, (name, method, role, status)


def test_finance_keeps_the_books_in_the_admin_and_nothing_else(finance_client):
    invoice = InvoiceFactory()
    supplier = SupplierDetailsFactory()
    assert finance_client.get("/admin/subjects/invoice/").status_code == 200
    assert finance_client.get(f"/admin/subjects/invoice/{invoice.pk}/change/").status_code == 200
    assert finance_client.get("/admin/subjects/supplierdetails/").status_code == 200
    assert (
        finance_client.get(f"/admin/subjects/supplierdetails/{supplier.pk}/change/").status_code
        == 200
    )
    for other in (
        "/admin/subjects/datasubject/",
        "/admin/requests_dsar/dsarrequest/",
        "/admin/processing/consent/",
        "/admin/subjects/invoice/add/",
        f"/admin/subjects/invoice/{invoice.pk}/delete/",
    ):
        assert finance_client.get(other).status_code == 403, other
    index = finance_client.get("/admin/").content.decode()
    assert "/admin/subjects/invoice/" in index
    assert "/admin/subjects/datasubject/" not in index
