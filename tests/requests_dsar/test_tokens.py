"""Verification, status and download links: expired, reused and tampered links are
refused with a clear page; unverified requests and old answer files are deleted."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from requests_dsar.fulfilment.access import access_package_build
from requests_dsar.fulfilment.packages import answer_package_link_issue, private_root
from requests_dsar.models import AnswerPackage, DsarRequest, Status
from requests_dsar.tasks import delete_expired_answer_packages, expire_unverified_requests
from tests.requests_dsar.conftest import links_in

pytestmark = pytest.mark.django_db


def _link(person):
    return links_in(person.mails()[-1])[0]


def test_a_verification_link_expires_after_72_hours(person):
    sanne = person()
    sanne.submit("access")
    link = _link(sanne)
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=72, minutes=1)):
        page = sanne.client.get(link)
        posted = sanne.client.post(link)
    assert page.status_code == 410 and posted.status_code == 410
    assert "verlopen" in page.content.decode()
    assert DsarRequest.objects.get().status == Status.UNVERIFIED


def test_a_verification_link_works_just_before_72_hours(person):
    sanne = person()
    sanne.submit("access")
    link = _link(sanne)
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=71, minutes=59)):
        assert sanne.client.post(link).status_code == 302
    assert DsarRequest.objects.get().status == Status.NEW


def test_a_verification_link_works_only_once(person):
    sanne = person()
    sanne.submit("access")
    link = _link(sanne)
    assert sanne.client.post(link).status_code == 302
    again = sanne.client.post(link)
    assert again.status_code == 410
    assert "al gebruikt" in again.content.decode()
    assert sanne.client.get(link).status_code == 410


def test_a_tampered_verification_link_is_refused(person):
    sanne = person()
    sanne.submit("access")
    link = _link(sanne)
    tampered = link[:-3] + ("A" if link[-3] != "A" else "B") + link[-2:]
    response = sanne.client.post(tampered)
    assert response.status_code == 404
    assert "niet geldig" in response.content.decode()
    assert DsarRequest.objects.get().status == Status.UNVERIFIED


def test_the_status_page_refuses_an_unknown_token(client):
    response = client.get("/en/verzoek/status/not-a-real-token/")
    assert response.status_code == 404
    assert "This link is not valid" in response.content.decode()


def test_unverified_requests_are_deleted_once_their_link_expired(person):
    sanne = person()
    sanne.submit("access")
    other = person("ander@example.nl")
    other.submit("erasure")
    other.verify()
    assert expire_unverified_requests() == 0
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=73)):
        assert expire_unverified_requests() == 1
    assert list(DsarRequest.objects.values_list("email", flat=True)) == ["ander@example.nl"]


def _completed_access(person, officer):
    sanne = person()
    sanne.submit("access")
    status = sanne.verify()
    dsar = DsarRequest.objects.get()
    package, token = access_package_build(actor=officer, request=dsar)
    return sanne, status, dsar, package, token


def test_download_links_expire_after_seven_days_and_the_files_are_deleted(person, officer):
    sanne, _status, _dsar, package, token = _completed_access(person, officer)
    url = f"/verzoek/download/{token}/report.html"
    assert sanne.client.get(url).status_code == 200
    folder = private_root() / package.directory
    assert folder.is_dir()
    later = timezone.now() + datetime.timedelta(days=7, minutes=1)
    with time_machine.travel(later):
        assert sanne.client.get(url).status_code == 410
        assert delete_expired_answer_packages() == 1
    assert not folder.exists()
    assert AnswerPackage.objects.get().deleted_at is not None


def test_a_download_link_cannot_reach_other_files(person, officer):
    sanne, _status, _dsar, _package, token = _completed_access(person, officer)
    for name in ("..%2F..%2Fsettings.py", "secret.txt", "report.html%00"):
        assert sanne.client.get(f"/verzoek/download/{token}/{name}").status_code == 404


def test_answer_files_are_stored_outside_static_and_media(person, officer, settings):
    _sanne, _status, _dsar, package, _token = _completed_access(person, officer)
    folder = private_root() / package.directory
    assert str(folder).startswith(str(settings.PRIVATE_STORAGE_ROOT))
    assert not str(folder).startswith(str(settings.MEDIA_ROOT))
    assert not str(folder).startswith(str(settings.STATIC_ROOT))


def test_a_reissued_download_link_replaces_the_old_one(person, officer):
    sanne, _status, _dsar, package, token = _completed_access(person, officer)
    fresh = answer_package_link_issue(package=package)
    assert sanne.client.get(f"/verzoek/download/{token}/").status_code == 404
    assert sanne.client.get(f"/verzoek/download/{fresh}/").status_code == 200


def test_pages_behind_personal_links_are_not_cached_or_indexed(person, officer):
    sanne, status, _dsar, _package, token = _completed_access(person, officer)
    for url in (status, f"/verzoek/download/{token}/", f"/verzoek/download/{token}/data.json"):
        response = sanne.client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "no-store"
        assert "noindex" in response["X-Robots-Tag"]


def test_the_website_visit_log_never_holds_a_working_link(person, officer):
    from subjects.models import WebsiteVisit

    sanne, status, _dsar, _package, token = _completed_access(person, officer)
    sanne.client.get(status)
    sanne.client.get(f"/verzoek/download/{token}/")
    sanne.client.get(f"{status}bestand/1/data.json")
    sanne.client.get("/verzoek/bevestigen/some-token-that-does-not-exist/")
    paths = list(WebsiteVisit.objects.values_list("path", flat=True))
    status_token = status.rstrip("/").rsplit("/", 1)[-1]
    assert paths and not [p for p in paths if token in p or status_token in p]
    assert not [p for p in paths if "some-token-that-does-not-exist" in p]
    assert "/verzoek/status/-/" in paths


def test_a_verification_post_refused_by_the_csrf_check_leaves_no_working_link_in_the_log(
    person,
):
    from urllib.parse import urlsplit

    from django.test import Client

    from subjects.models import WebsiteVisit

    sanne = person()
    sanne.submit("access")
    link = _link(sanne)
    token = link.rstrip("/").rsplit("/", 1)[-1]
    response = Client(enforce_csrf_checks=True).post(urlsplit(link).path)
    assert response.status_code == 403
    assert DsarRequest.objects.get().verified_at is None
    paths = list(WebsiteVisit.objects.values_list("path", flat=True))
    assert paths and not [p for p in paths if token in p]
