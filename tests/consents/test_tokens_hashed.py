"""No working token is stored in plain form anywhere: the consent page's link and manage
tokens, the newsletter's link token and the request form's verification and status
tokens are stored only as their SHA-256 hash. Every row of every table is scanned for
the raw token (the website-visit log included)."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.apps import apps

from processing.models import ConsentPageLink
from requests_dsar.models import DsarRequest
from subjects.models import NewsletterSubscription
from subjects.newsletter import newsletter_sign_up
from tests import factories as f

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://testserver(/\S+)")


def database_holds(text: str) -> list[str]:
    """Every table and column whose stored value contains ``text``."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        names = [field.attname for field in model._meta.concrete_fields]
        for row in model._base_manager.values_list(*names):
            found += [
                f"{model._meta.db_table}.{name}"
                for name, value in zip(names, row, strict=True)
                if value is not None and text in str(value)
            ]
    return found


def sha256(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def test_the_consent_page_stores_only_hashes_of_its_tokens(visitor, sanne):
    f.ConsentFactory(subject=sanne, purpose="meetin")
    person = visitor()
    manage = person.open_page()
    token = person.token()
    manage_token = manage.split("/")[-2]
    person.client.get(manage)
    link = ConsentPageLink.objects.get(token_hash=sha256(token))
    assert link.manage_token_hash == sha256(manage_token)
    assert database_holds(token) == []
    assert database_holds(manage_token) == []


def test_the_newsletter_link_token_is_stored_only_as_its_hash(client, mailoutbox):
    subscription = newsletter_sign_up(email="sanne@example.nl", first_name="Sanne")
    message = mailoutbox[-1]
    token = re.search(r"/nieuwsbrief/afmelden/(\S+)>", message.extra_headers["List-Unsubscribe"])
    token = token.group(1)
    assert f"/nieuwsbrief/afmelden/{token}" in message.body
    assert subscription.token_hash == sha256(token)
    client.get(f"/nieuwsbrief/afmelden/{token}")
    assert NewsletterSubscription.objects.get().token_hash == sha256(token)
    assert database_holds(token) == []


def test_the_request_form_stores_only_hashes_of_its_tokens(client, mailoutbox):
    client.post(
        "/verzoek/",
        {"request_type": "access", "name": "Sanne de Vries", "email": "sanne@example.nl"},
    )
    link = LINK.findall(mailoutbox[-1].body)[0]
    verification = link.rstrip("/").rsplit("/", 1)[-1]
    assert client.get(link).status_code == 200
    status_path = client.post(link)["Location"]
    status = status_path.rstrip("/").rsplit("/", 1)[-1]
    client.get(status_path)
    dsar = DsarRequest.objects.get()
    assert dsar.verification_token_hash == sha256(verification)
    assert dsar.status_token_hash == sha256(status)
    assert database_holds(verification) == []
    assert database_holds(status) == []


def test_the_scan_would_find_a_token_stored_in_plain_form(sanne):
    f.ConsentFactory(subject=sanne, purpose="meetin", given_via="token-abc123")
    assert database_holds("token-abc123") == ["processing_consent.given_via"]
