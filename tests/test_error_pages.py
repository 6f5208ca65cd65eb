"""Error pages are the site's own, in the visitor's language (Dutch first), and load
nothing from another host."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.utils import translation
from django.views import defaults

pytestmark = pytest.mark.django_db


def _local_only(html: str) -> None:
    assert "http://" not in html.replace("http://testserver", "") and "https://" not in html
    assert "/static/vendor/bootstrap/bootstrap.min.css" in html


def test_a_missing_page_is_explained_in_dutch(client):
    response = client.get("/bestaat-niet/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Pagina niet gevonden" in html and 'lang="nl"' in html
    assert 'href="/verzoek/"' in html  # the way on: the request form
    _local_only(html)


def test_a_missing_page_under_en_is_explained_in_english(client):
    response = client.get("/en/does-not-exist/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in html and 'lang="en"' in html


def test_a_user_without_access_gets_the_no_access_page(outsider_client):
    response = outsider_client.get("/staff/")
    assert response.status_code == 403
    assert "Geen toegang" in response.content.decode()


def test_an_expired_form_says_nothing_was_saved_and_what_to_do():
    from requests_dsar.models import DsarRequest

    client = Client(enforce_csrf_checks=True)
    response = client.post("/verzoek/", {"request_type": "access", "email": "a@example.nl"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "Je formulier is verlopen" in html and "Er is niets opgeslagen" in html
    assert "DEBUG" not in html
    assert not DsarRequest.objects.exists()


def test_the_server_error_page_needs_no_database_and_speaks_the_active_language(
    django_assert_num_queries,
):
    request = RequestFactory().get("/")
    with translation.override("nl"), django_assert_num_queries(0):
        response = defaults.server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert "Er ging iets mis bij ons" in html
    _local_only(html)
    with translation.override("en"):
        assert "Something went wrong on our side" in defaults.server_error(request).content.decode()


def test_a_bad_request_page_is_the_sites_own(rf):
    with translation.override("nl"):
        response = defaults.bad_request(rf.get("/"), exception=ValueError("x"))
    assert response.status_code == 400
    assert "Ongeldig verzoek" in response.content.decode()
