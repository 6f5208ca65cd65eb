"""Settings: safe development defaults, and no start in production without secrets."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _import_settings(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {
        "DEBUG", "SECRET_KEY", "FIELD_ENCRYPTION_KEY", "DATABASE_URL", "DJANGO_SETTINGS_MODULE",
        "SUPPRESSION_HASH_KEYS",
    }}  # fmt: skip
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import leafspring.settings as s; print(s.LANGUAGE_CODE, s.TIME_ZONE)",
        ],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_mode_refuses_to_start_without_a_secret_key():
    result = _import_settings(DEBUG="false", FIELD_ENCRYPTION_KEY="a-real-key")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_mode_refuses_to_start_without_an_encryption_key():
    result = _import_settings(DEBUG="false", SECRET_KEY="a-real-secret")
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEY must be set" in result.stderr


def test_production_mode_refuses_the_development_secret():
    from leafspring.settings import _DEV_SECRET_KEY

    result = _import_settings(
        DEBUG="false", SECRET_KEY=_DEV_SECRET_KEY, FIELD_ENCRYPTION_KEY="a-real-key"
    )
    assert result.returncode != 0


def test_production_mode_refuses_to_start_without_suppression_keys():
    result = _import_settings(DEBUG="false", SECRET_KEY="a-real-secret", FIELD_ENCRYPTION_KEY="k")
    assert result.returncode != 0
    assert "SUPPRESSION_HASH_KEYS must be set" in result.stderr


def test_production_mode_starts_with_all_secrets():
    result = _import_settings(
        DEBUG="false",
        SECRET_KEY="a-real-secret",
        FIELD_ENCRYPTION_KEY="k",
        SUPPRESSION_HASH_KEYS="v1:a-real-suppression-key",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["nl", "Europe/Amsterdam"]


def test_development_mode_starts_with_no_configuration_at_all():
    result = _import_settings(DEBUG="true")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "name",
    [
        "DATABASE_URL",
        "SECRET_KEY",
        "DEBUG",
        "ALLOWED_HOSTS",
        "CELERY_BROKER_URL",
        "EMAIL_URL",
        "FIELD_ENCRYPTION_KEY",
        "SUPPRESSION_HASH_KEYS",
    ],
)
def test_readme_documents_every_environment_variable(name):
    assert f"`{name}`" in (ROOT / "README.md").read_text()


def test_manage_py_explains_a_missing_secret_instead_of_a_traceback():
    clean = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DJANGO_SETTINGS_MODULE"}
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**clean, "DEBUG": "false"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "Configuration error: SECRET_KEY must be set" in result.stderr
    assert "Traceback" not in result.stderr
