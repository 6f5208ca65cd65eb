"""No working token is stored in the website-visit log or written to a log line, whatever
the URL looks like: also a link that almost matches (no trailing slash, one too many,
the language prefix, an encoded slash behind it), which never reaches the view that hides
its token."""

from __future__ import annotations

import logging

import pytest

from leafspring.token_mask import TokenMaskingFilter, tokens_masked
from subjects.models import WebsiteVisit

pytestmark = pytest.mark.django_db

TOKEN = "WbNSoAbCdEfGhIjKlMnOpQrStUvWxYz0123456Rc40"
PREFIXES = [
    "/verzoek/bevestigen/",
    "/verzoek/status/",
    "/verzoek/download/",
    "/nieuwsbrief/bevestigen/",
    "/nieuwsbrief/afmelden/",
    "/toestemmingen/link/",
    "/toestemmingen/beheer/",
]
SHAPES = ["{p}{t}", "{p}{t}/", "/en{p}{t}/", "{p}{t}/)", "{p}{t}/a/b", "{p}{t}/..%2F..%2Fx"]


@pytest.mark.parametrize("prefix", PREFIXES)
@pytest.mark.parametrize("shape", SHAPES)
def test_no_near_miss_url_leaves_a_token_in_the_visit_log(client, prefix, shape):
    client.get(shape.format(p=prefix, t=TOKEN))
    client.post(shape.format(p=prefix, t=TOKEN))
    paths = list(WebsiteVisit.objects.values_list("path", flat=True))
    assert paths and not [p for p in paths if TOKEN in p or TOKEN[:20] in p]


def test_a_short_token_after_a_personal_link_prefix_is_masked_too():
    assert tokens_masked("/toestemmingen/link/abc") == "/toestemmingen/link/-"
    assert tokens_masked("/en/verzoek/status/abc/bestand/1/x.json") == (
        "/en/verzoek/status/-/bestand/1/x.json"
    )


def test_other_paths_are_left_as_they_are():
    for path in ("/contact/", "/en/brochure/traineeship/", "/verzoek/", "/toestemmingen/"):
        assert tokens_masked(path) == path


def test_django_request_log_lines_are_masked(client, caplog):
    handler_filter = TokenMaskingFilter()
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.get(f"/nieuwsbrief/afmelden/{TOKEN}/")
    records = [r for r in caplog.records if r.name == "django.request"]
    assert records
    for record in records:
        handler_filter.filter(record)
        assert TOKEN not in record.getMessage()


def test_the_settings_put_the_mask_on_every_console_line():
    from django.conf import settings

    assert "tokens_masked" in settings.LOGGING["handlers"]["console"]["filters"]
    for name in ("django.request", "django.server"):
        assert settings.LOGGING["loggers"][name]["handlers"] == ["console"]


def test_the_migration_masks_tokens_already_in_the_visit_log():
    """Rows written before every path was masked are cleaned in place; others untouched."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("subjects.migrations.0009_website_visit_tokens_masked")
    leaky = WebsiteVisit.objects.create(ip_address="192.0.2.1", path=f"/verzoek/status/{TOKEN}")
    plain = WebsiteVisit.objects.create(ip_address="192.0.2.2", path="/contact/")
    migration.mask_paths(apps, None)
    leaky.refresh_from_db()
    plain.refresh_from_db()
    assert TOKEN not in leaky.path and leaky.path == "/verzoek/status/-"
    assert plain.path == "/contact/"
