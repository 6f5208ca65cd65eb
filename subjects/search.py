"""Find a person: one search over name, e-mail address, phone number and organisation.

Only these plain fields are searched, never an encrypted or special-category field.
Results come as people expect them: the exact e-mail address first, then people whose
address or surname starts with what was typed, then the other matches, by name.

Each kind of search has an index on PostgreSQL (migration
``0013_person_search_indexes``): ``lower(email)`` with ``text_pattern_ops`` serves the
exact and the prefix match of an address, trigram (pg_trgm) GIN indexes on
``lower(first_name)``, ``lower(last_name)``, ``lower(phone)`` and the organisation's
``lower(name)`` serve the contains-searches. The queries below use exactly those
expressions (``Lower(...)``) so the planner can use them."""

from __future__ import annotations

import re

from django.db.models import (
    Case,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Lower

from subjects.models import DataSubject, SubjectRole

QUERY_MAX = 200
# A query of digits (with the signs people type in a phone number) searches the phone.
_PHONE = re.compile(r"^\+?[\d\s\-().]{4,}$")
_TOKEN_MIN = 2


def people_search(query: str) -> QuerySet[DataSubject]:
    """The data subjects matching ``query`` (see the module's docstring), best first; none
    for an empty query. Each word must match the first name, surname, e-mail address or
    organisation; a query that looks like a phone number matches the phone number."""
    text = " ".join(query.split())[:QUERY_MAX].lower()
    people = DataSubject.objects.annotate(
        email_lower=Lower("email"),
        first_lower=Lower("first_name"),
        last_lower=Lower("last_name"),
        phone_lower=Lower("phone"),
    )
    if len(text) < _TOKEN_MIN:
        return people.none()
    if "@" in text:
        condition = Q(email_lower__startswith=text)
    elif _PHONE.match(text):
        condition = Q(phone_lower__contains=text)
    else:
        condition = Q()
        for word in text.split():
            # One arm per index: names and address on the person, the organisation through
            # their roles; a union, so each arm is served by its own index.
            by_name = (
                people.filter(
                    Q(first_lower__contains=word)
                    | Q(last_lower__contains=word)
                    | Q(email_lower__startswith=word)
                )
                .values("pk")
                .order_by()
            )
            by_organisation = (
                SubjectRole.objects.annotate(name_lower=Lower("organisation__name"))
                .filter(name_lower__contains=word)
                .values("subject_id")
                .order_by()
            )
            condition &= Q(pk__in=by_name.union(by_organisation))
    first_word = text.split()[0]
    return (
        people.filter(condition)
        .annotate(
            rank=Case(
                When(email_lower=text, then=Value(0)),
                When(email_lower__startswith=text, then=Value(1)),
                When(last_lower__startswith=first_word, then=Value(2)),
                When(first_lower__startswith=first_word, then=Value(2)),
                default=Value(3),
                output_field=IntegerField(),
            )
        )
        .order_by("rank", "last_name", "first_name", "pk")
        .prefetch_related(
            Prefetch(
                "roles",
                queryset=SubjectRole.objects.select_related("category", "organisation").order_by(
                    "-started_on", "pk"
                ),
            )
        )
    )
