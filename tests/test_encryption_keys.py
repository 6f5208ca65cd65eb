"""Encryption keys are checked at start and can be rotated without downtime (issue 12,
finding 6): a weak or wrong key is caught by a system check instead of a server error on
every page; rotate_encryption_key re-encrypts under a new key so the old one can go."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.checks import Tags, run_checks
from django.core.management import call_command
from django.core.management.base import CommandError

from subjects.models import CoachingNote, TraineeProfile
from tests.factories import CoachingNoteFactory, TraineeProfileFactory
from tests.test_encryption import _raw

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent
KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()


def _ids(errors) -> set[str]:
    return {e.id for e in errors}


def test_a_weak_key_is_refused_outside_debug(settings):
    settings.DEBUG = False
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A, "abc"]
    errors = run_checks(tags=[Tags.security])
    assert "subjects.E010" in _ids(errors)
    assert "key number 2" in next(e.msg for e in errors if e.id == "subjects.E010")
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A, KEY_B]
    assert "subjects.E010" not in _ids(run_checks(tags=[Tags.security]))


def test_a_wrong_key_is_caught_by_the_database_check(settings):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    TraineeProfileFactory(allergies="Noten")
    assert "subjects.E011" not in _ids(run_checks(tags=[Tags.database], databases=["default"]))
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]
    errors = run_checks(tags=[Tags.database], databases=["default"])
    assert "subjects.E011" in _ids(errors)
    assert any("TraineeProfile.allergies" in e.msg for e in errors)


def test_rotation_end_to_end(settings):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    profiles = [TraineeProfileFactory(allergies=f"Allergie {i}") for i in range(7)]
    note = CoachingNoteFactory(content="Gesprek over loopbaan.")
    before = _raw(TraineeProfile, "allergies", profiles[0].pk)

    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]  # new key in front, old still reads
    out = io.StringIO()
    call_command("rotate_encryption_key", batch_size=3, stdout=out)
    assert "subjects.TraineeProfile.allergies: 7 values re-encrypted" in out.getvalue()
    assert _raw(TraineeProfile, "allergies", profiles[0].pk) != before

    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]  # the old key removed
    assert [TraineeProfile.objects.get(pk=p.pk).allergies for p in profiles] == [
        f"Allergie {i}" for i in range(7)
    ]
    assert CoachingNote.objects.get(pk=note.pk).content == "Gesprek over loopbaan."
    assert "subjects.E011" not in _ids(run_checks(tags=[Tags.database], databases=["default"]))


def test_rotation_goes_on_where_it_stopped(settings):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    profiles = [TraineeProfileFactory(allergies=f"Allergie {i}") for i in range(4)]
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    # One value already under the new key (a run that stopped after it).
    TraineeProfile.objects.bulk_update(
        [TraineeProfile.objects.get(pk=profiles[0].pk)], ["allergies"]
    )
    first = io.StringIO()
    call_command("rotate_encryption_key", stdout=first)
    assert "subjects.TraineeProfile.allergies: 3 values re-encrypted" in first.getvalue()
    again = io.StringIO()
    call_command("rotate_encryption_key", stdout=again)
    assert "subjects.TraineeProfile.allergies: 0 values re-encrypted" in again.getvalue()


def test_rotation_refuses_a_bad_batch_size():
    with pytest.raises(CommandError, match="between 1 and 10000"):
        call_command("rotate_encryption_key", batch_size=0)


def test_migrate_on_an_empty_database_still_runs(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "true",
        "DJANGO_SETTINGS_MODULE": "leafspring.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
