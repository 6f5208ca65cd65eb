from __future__ import annotations

from django.db.models import QuerySet

from subjects.models import DataSubject
from subjects.services import normalise_email


def data_subjects_by_email(email: str) -> QuerySet[DataSubject]:
    return DataSubject.objects.filter(email=normalise_email(email))
