"""Text typed by the public is shown to staff as inert text, isolated for direction: a
name with a right-to-left override (U+202E) cannot make the e-mail address beside it
read backwards, on any staff page or admin list that shows it."""

from __future__ import annotations

import datetime
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from requests_dsar.models import DsarRequest
from subjects.bidi import FSI, PDI
from tests import factories as f
from tests.requests_dsar.factories import verified_request

pytestmark = pytest.mark.django_db

RLO = "\u202e"
NAME = f"Eve {RLO}lmth.exe"
VOID = {"br", "input", "img", "meta", "link", "hr", "wbr", "source", "col", "area", "base"}


class _Isolation(HTMLParser):
    """Every piece of text holding an override, and whether a <bdi> encloses it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.outside: list[str] = []
        self.inside = 0

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack.pop() != tag:
                pass

    def handle_data(self, data):
        if RLO in data:
            # A form field is a paragraph of its own: an override stays inside it.
            if "bdi" in self.stack or "textarea" in self.stack:
                self.inside += 1
            else:
                self.outside.append(data)


def assert_isolated(html: str, expected: int = 1) -> None:
    parser = _Isolation()
    parser.feed(html)
    assert parser.outside == [], "text with an override outside <bdi>"
    assert parser.inside >= expected, "the text is not on the page"
    assert "<script>" not in html  # inert: escaped


def test_the_staff_request_page_isolates_the_name_from_the_verified_address(staff_client):
    subject = f.DataSubjectFactory(email="sanne@example.nl", first_name=NAME)
    dsar = verified_request(details=f"Mijn naam is {RLO}<script>x</script>")
    DsarRequest.objects.filter(pk=dsar.pk).update(name=NAME)
    html = staff_client.get(f"/staff/requests/{dsar.pk}/?q=Eve").content.decode()
    # The name, the details, the linked data subject and the search result.
    assert_isolated(html, expected=4)
    assert "<bdi>sanne@example.nl</bdi>" in html
    assert subject.email in html


def test_the_queue_isolates_names(staff_client):
    dsar = verified_request()
    DsarRequest.objects.filter(pk=dsar.pk).update(name=NAME)
    assert_isolated(staff_client.get("/staff/requests/").content.decode())


def test_the_intake_and_review_pages_isolate_what_the_public_typed(staff_client, officer_client):
    subject = f.DataSubjectFactory(first_name=NAME)
    f.ContactMessageFactory(
        subject=subject,
        message=f"Bel me {RLO}terug",
        received_at=timezone.now() - datetime.timedelta(days=120),
    )
    assert_isolated(staff_client.get(reverse("retention:review_queue")).content.decode(), 2)
    assert_isolated(officer_client.get(reverse("subjects_staff:intake")).content.decode(), 2)


def test_the_retention_overview_isolates_names(officer_client):
    f.SubjectRoleFactory(subject=f.DataSubjectFactory(first_name=NAME))
    html = officer_client.get(reverse("retention:overview")).content.decode()
    assert_isolated(html)


@pytest.mark.parametrize(
    "admin_url",
    [
        "admin:subjects_datasubject_changelist",
        "admin:subjects_contactmessage_changelist",
        "admin:subjects_brochurerequest_changelist",
        "admin:subjects_subjectrole_changelist",
    ],
)
def test_admin_lists_isolate_text_typed_by_the_public(officer_client, admin_url):
    subject = f.DataSubjectFactory(first_name=NAME, last_name=f"{RLO}x")
    f.ContactMessageFactory(subject=subject)
    f.BrochureRequestFactory(subject=subject, first_name=NAME)
    f.SubjectRoleFactory(subject=subject)
    response = officer_client.get(reverse(admin_url))
    assert response.status_code == 200
    assert_isolated(response.content.decode())


def test_admin_lists_still_sort_by_an_isolated_column(officer_client):
    f.DataSubjectFactory(last_name="Bakker")
    f.DataSubjectFactory(last_name="Appel")
    url = reverse("admin:subjects_datasubject_changelist")
    html = officer_client.get(url, {"o": "0"}).content.decode()  # the first column
    assert html.index("Appel") < html.index("Bakker")
    html = officer_client.get(url, {"o": "-0"}).content.decode()
    assert html.index("Bakker") < html.index("Appel")


def test_a_message_naming_a_person_isolates_the_name(officer_client):
    from tests.intake_staff.helpers import brochure_request

    row = brochure_request(first_name=NAME)
    response = officer_client.post(
        reverse("subjects_staff:brochure_follow_up", args=[row.pk]), {"note": ""}, follow=True
    )
    shown = [str(m) for m in response.context["messages"]]
    assert any(f"{FSI}{NAME}" in m and PDI in m for m in shown), shown
