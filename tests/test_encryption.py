"""Special-category data (allergies, coaching notes) is encrypted at rest."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from subjects.fields import PREFIX, _cipher
from subjects.models import CoachingNote, TraineeProfile
from tests.factories import CoachingNoteFactory, TraineeProfileFactory

pytestmark = pytest.mark.django_db


def _raw(model, field: str, pk: int) -> str:
    table = model._meta.db_table
    column = model._meta.get_field(field).column
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_allergies_are_not_stored_in_plain_text_and_read_back_through_the_model():
    profile = TraineeProfileFactory(allergies="Pinda's en schaaldieren")
    raw = _raw(TraineeProfile, "allergies", profile.pk)
    assert raw.startswith(PREFIX)
    assert "Pinda" not in raw
    assert TraineeProfile.objects.get(pk=profile.pk).allergies == "Pinda's en schaaldieren"


def test_coaching_notes_are_not_stored_in_plain_text():
    note = CoachingNoteFactory(content="Spreekt over slapeloosheid.")
    raw = _raw(CoachingNote, "content", note.pk)
    assert "slapeloosheid" not in raw
    assert CoachingNote.objects.get(pk=note.pk).content == "Spreekt over slapeloosheid."


def test_the_same_text_encrypts_differently_each_time():
    first = TraineeProfileFactory(allergies="Gluten")
    second = TraineeProfileFactory(allergies="Gluten")
    assert _raw(TraineeProfile, "allergies", first.pk) != _raw(
        TraineeProfile, "allergies", second.pk
    )


def test_empty_values_stay_empty():
    profile = TraineeProfileFactory(allergies="")
    assert _raw(TraineeProfile, "allergies", profile.pk) == ""
    assert TraineeProfile.objects.get(pk=profile.pk).allergies == ""


def test_a_rotated_key_still_reads_old_values(settings):
    profile = TraineeProfileFactory(allergies="Lactose")
    old_keys = list(settings.FIELD_ENCRYPTION_KEYS)
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *old_keys]
    _cipher.cache_clear()
    try:
        assert TraineeProfile.objects.get(pk=profile.pk).allergies == "Lactose"
    finally:
        settings.FIELD_ENCRYPTION_KEYS = old_keys
        _cipher.cache_clear()


def test_a_wrong_key_fails_loudly_instead_of_returning_garbage(settings):
    profile = TraineeProfileFactory(allergies="Lactose")
    old_keys = list(settings.FIELD_ENCRYPTION_KEYS)
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    _cipher.cache_clear()
    try:
        with pytest.raises(ImproperlyConfigured):
            TraineeProfile.objects.get(pk=profile.pk)
    finally:
        settings.FIELD_ENCRYPTION_KEYS = old_keys
        _cipher.cache_clear()


def test_encrypted_fields_refuse_searches_that_could_never_match():
    with pytest.raises(NotImplementedError):
        list(TraineeProfile.objects.filter(allergies__icontains="pinda"))
