"""What every response obeys: only GET, HEAD and POST; show-only pages refuse POST; a
Content-Security-Policy that allows nothing from another host and no inline code;
staff pages and exports never cached (issue 12, findings 3 and 8)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.url_walk import url_patterns

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent

OTHER_METHODS = ["PUT", "DELETE", "TRACE", "PATCH", "OPTIONS", "FROBNICATE"]


def _paths() -> list[str]:
    """A concrete path for every URL pattern (sample values for its arguments); of the
    admin's model pages, the admin's own pages stand for all of them."""
    found = []
    for text, _pattern, _namespace in url_patterns(
        descend=lambda route, resolver: not ("admin" in route and route.count("/") > 1)
    ):
        path = re.sub(r"<int:\w+>", "1", text)
        path = re.sub(r"<(?:str|slug|path):\w+>", "abc", path)
        path = re.sub(r"[\^$]", "", path)
        found.append("/" + path.lstrip("/"))
    return sorted(set(found))


ALL_PATHS = _paths()


def test_the_url_list_covers_the_site():
    assert "/healthz" in ALL_PATHS and "/verzoek/verstuurd/" in ALL_PATHS
    assert any(p.startswith("/staff/") for p in ALL_PATHS)


@pytest.mark.parametrize("path", ALL_PATHS)
def test_no_url_answers_other_methods(client, officer_client, path):
    for method in OTHER_METHODS:
        for who in (client, officer_client):
            response = who.generic(method, path)
            assert response.status_code == 405, (method, path, response.status_code)
            assert response["Allow"] == "GET, HEAD, POST"


SHOW_ONLY_PUBLIC = [
    "/healthz",
    "/",
    "/verzoek/verstuurd/",
    "/contact/verstuurd/",
    "/brochure/verstuurd/",
    "/nieuwsbrief/verstuurd/",
    "/verzoek/status/abc/",
    "/verzoek/download/abc/",
    "/verzoek/download/abc/report.html",
]
SHOW_ONLY_STAFF = [
    "/staff/",
    "/staff/requests/",
    "/staff/register/",
    "/staff/register.csv",
    "/staff/retention/",
]


@pytest.mark.parametrize("path", SHOW_ONLY_PUBLIC)
def test_public_pages_that_only_show_refuse_post(client, path):
    assert client.get(path).status_code in {200, 404, 410}
    assert client.post(path).status_code == 405


@pytest.mark.parametrize("path", SHOW_ONLY_STAFF)
def test_staff_pages_that_only_show_refuse_post(officer_client, path):
    assert officer_client.get(path).status_code == 200
    assert officer_client.post(path).status_code == 405


@pytest.mark.parametrize("path", ["/", "/verzoek/", "/contact/", "/admin/login/", "/staff/"])
def test_every_page_has_a_policy_that_allows_no_other_host(officer_client, path):
    policy = officer_client.get(path, follow=True)["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    for name in ("default-src", "script-src", "style-src", "font-src", "connect-src"):
        assert directives[name] == "'self'", (name, policy)
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "http" not in policy


# Rendered into files, not served as pages: the access report inside the answer package
# (opened from the person's own disk) and the PDFs WeasyPrint makes.
FILE_TEMPLATES = {"report.html", "register_pdf.html", "demo_agreement.html"}


def _templates() -> list[Path]:
    return [
        p
        for p in ROOT.glob("**/templates/**/*.html")
        if ".venv" not in p.parts and p.name not in FILE_TEMPLATES
    ]


def test_no_template_served_as_a_page_has_inline_style_or_script():
    """The CSP forbids inline code: a style attribute or an inline script would be
    silently ignored by the browser (``FILE_TEMPLATES`` are files, not pages)."""
    offenders = []
    for template in _templates():
        text = template.read_text()
        if re.search(r"\sstyle=\"|<style[\s>]|\son[a-z]+=\"", text):
            offenders.append(str(template.relative_to(ROOT)))
        for script in re.findall(r"<script([^>]*)>", text):
            if "src=" not in script and "application/json" not in script:
                offenders.append(str(template.relative_to(ROOT)))
    assert _templates() and not offenders


@pytest.mark.parametrize(
    "path", ["/staff/", "/staff/requests/", "/staff/register.csv", "/admin/", "/en/staff/"]
)
def test_staff_pages_and_exports_are_never_cached(officer_client, path):
    response = officer_client.get(path, follow=True)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_public_pages_for_anonymous_visitors_may_be_cached(client):
    assert "no-store" not in client.get("/contact/").get("Cache-Control", "")


def test_the_health_check_is_exempt_from_the_https_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/contact/").status_code == 301


def test_check_deploy_with_production_settings_warns_only_about_preload(tmp_path):
    import os
    import subprocess
    import sys

    from cryptography.fernet import Fernet

    env = {
        **os.environ,
        "DEBUG": "false",
        "DJANGO_SETTINGS_MODULE": "leafspring.settings",
        "SECRET_KEY": "x" * 20 + "a-long-random-production-secret-key-value",
        "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "SUPPRESSION_HASH_KEYS": "v1:" + "k" * 40,
        "ALLOWED_HOSTS": "privacy.example.nl",
        "SECURE_SSL_REDIRECT": "true",
        "SECURE_HSTS_SECONDS": "31536000",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    output = result.stdout + result.stderr
    warnings = set(re.findall(r"\(([a-z_.]+\.[EW]\d+)\)", output))
    assert warnings == {"security.W021"}, output
