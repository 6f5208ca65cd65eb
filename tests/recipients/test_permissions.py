"""Who may do what on the recipient pages: everyone on staff reads them (and the agreement
document), only the privacy officer (or a superuser) records an agreement, evidence or a
check; outsiders and anonymous visitors reach nothing, the document included."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from processing.models import Recipient, RecipientCheck
from processing.recipients import can_manage_recipients
from tests.factories import UserFactory
from tests.recipients.conftest import PDF_BYTES, files_under, pdf_upload

pytestmark = pytest.mark.django_db

READ_PAGES = [
    ("recipients:list", []),
    ("recipients:detail", ["mailchimp"]),
]


@pytest.fixture
def document(officer_client):
    today = timezone.localdate()
    response = officer_client.post(
        reverse("recipients:agreement", args=["mailchimp"]),
        {
            "signed_on": today.isoformat(),
            "version": "2023",
            "review_on": (today + datetime.timedelta(days=365)).isoformat(),
            "document": pdf_upload(),
        },
    )
    assert response.status_code == 302
    return reverse("recipients:agreement_document", args=["mailchimp"])


def _writes() -> list[tuple[str, dict]]:
    today = timezone.localdate().isoformat()
    later = (timezone.localdate() + datetime.timedelta(days=365)).isoformat()
    return [
        (
            reverse("recipients:agreement", args=["mailchimp"]),
            {"signed_on": today, "version": "9", "review_on": later, "document": pdf_upload()},
        ),
        (
            reverse("recipients:transfer", args=["mailchimp"]),
            {"transfer_mechanism": "dpf", "dpf_checked_on": today, "dpf_listed_as": "X"},
        ),
        (
            reverse("recipients:check", args=["mailchimp"]),
            {
                "checked_on": today,
                "checked_by_name": "Iemand",
                "outcome": "compliant",
                "findings": "Gecontroleerd.",
                "next_check_on": later,
            },
        ),
    ]


def _state() -> tuple:
    mailchimp = Recipient.objects.filter(key="mailchimp").values().get()
    return mailchimp, RecipientCheck.objects.count()


@pytest.mark.parametrize("name,args", READ_PAGES)
def test_anonymous_visitors_are_sent_to_login(client, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("name,args", READ_PAGES)
def test_outsiders_are_refused(outsider_client, name, args):
    assert outsider_client.get(reverse(name, args=args)).status_code == 403


@pytest.mark.parametrize("name,args", READ_PAGES)
def test_staff_and_the_officer_read_them(staff_client, officer_client, name, args):
    assert staff_client.get(reverse(name, args=args)).status_code == 200
    assert officer_client.get(reverse(name, args=args)).status_code == 200


def test_an_unknown_recipient_is_not_found(staff_client):
    assert staff_client.get(reverse("recipients:detail", args=["nobody"])).status_code == 404


def test_only_the_officer_sees_the_forms(staff_client, officer_client):
    url = reverse("recipients:detail", args=["mailchimp"])
    staff_page = staff_client.get(url).content.decode()
    officer_page = officer_client.get(url).content.decode()
    for form in ("agreement-form", "transfer-form", "check-form"):
        assert form not in staff_page
        assert form in officer_page


def test_the_transfer_form_is_only_for_recipients_outside_the_eea(officer_client):
    page = officer_client.get(reverse("recipients:detail", args=["hosting"])).content.decode()
    assert "transfer-form" not in page
    response = officer_client.post(
        reverse("recipients:transfer", args=["hosting"]), {"transfer_mechanism": "dpf"}
    )
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["staff_client", "outsider_client"])
def test_staff_and_outsiders_cannot_change_anything(request, who, settings):
    client = request.getfixturevalue(who)
    before = _state()
    for url, data in _writes():
        assert client.post(url, data).status_code == 403, url
    assert _state() == before
    assert files_under(settings.PRIVATE_STORAGE_ROOT) == []


def test_anonymous_visitors_cannot_change_anything(client, settings):
    before = _state()
    for url, data in _writes():
        response = client.post(url, data)
        assert response.status_code == 302 and "login" in response["Location"]
    assert _state() == before


def test_the_officer_and_a_superuser_can(officer_client, db):
    superuser = Client()
    superuser.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    for client in (officer_client, superuser):
        for url, data in _writes():
            assert client.post(url, data).status_code == 302, url
    assert RecipientCheck.objects.filter(recipient__key="mailchimp").count() == 2


def test_writes_need_post(officer_client):
    for url, _data in _writes():
        assert officer_client.get(url).status_code == 405


def test_the_helper_names_who_may_manage(officer, staff, outsider):
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    inactive = UserFactory(username="gone", is_staff=True, is_superuser=True, is_active=False)
    assert can_manage_recipients(officer)
    assert can_manage_recipients(superuser)
    assert not can_manage_recipients(staff)
    assert not can_manage_recipients(outsider)
    assert not can_manage_recipients(inactive)


def test_staff_and_the_officer_download_the_document(staff_client, officer_client, document):
    for client in (staff_client, officer_client):
        response = client.get(document)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]
        assert "attachment" in response["Content-Disposition"]
        assert b"".join(response.streaming_content) == PDF_BYTES


def test_outsiders_and_anonymous_visitors_never_reach_the_document(
    client, outsider_client, document
):
    assert outsider_client.get(document).status_code == 403
    response = client.get(document)
    assert response.status_code == 302 and "login" in response["Location"]


def test_no_document_is_not_found(staff_client):
    url = reverse("recipients:agreement_document", args=["zoom"])
    assert staff_client.get(url).status_code == 404


def test_the_document_is_not_served_as_media(client, document, settings):
    (stored,) = files_under(settings.PRIVATE_STORAGE_ROOT)
    relative = stored.relative_to(settings.PRIVATE_STORAGE_ROOT)
    for prefix in ("/media/", "/private/", "/static/"):
        assert client.get(f"{prefix}{relative}").status_code == 404
        assert client.get(f"{prefix}agreements/{relative}").status_code == 404


def test_the_admin_links_the_document_and_shows_the_checks_read_only(officer_client, document):
    mailchimp = Recipient.objects.get(key="mailchimp")
    RecipientCheck.objects.create(
        recipient=mailchimp,
        checked_on=timezone.localdate(),
        checked_by_name="M. Jansen",
        outcome="compliant",
        findings="Audiences nagelopen.",
        next_check_on=timezone.localdate() + datetime.timedelta(days=365),
    )
    url = reverse("admin:processing_recipient_change", args=[mailchimp.pk])
    page = officer_client.get(url).content.decode()
    assert document in page
    assert "Audiences nagelopen." in page
    assert 'name="checks-0-findings"' not in page


def test_an_officer_group_made_before_the_checks_existed_can_record_them(officer, officer_client):
    group = officer.groups.get()
    group.permissions.remove(
        *group.permissions.filter(content_type__model="recipientcheck").exclude(
            codename="view_recipientcheck"
        )
    )
    url, data = _writes()[2]
    assert officer_client.post(url, data).status_code == 302
    assert RecipientCheck.objects.filter(recipient__key="mailchimp").exists()
