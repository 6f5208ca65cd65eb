"""Find a person: one search over name, e-mail address, phone number and organisation.

Only these plain fields are searched, never an encrypted or special-category field.
Results come as people expect them: the exact e-mail address first, then addresses that
start with what was typed, then people whose surname (or whole name) starts with it,
then people whose first name or surname starts with the first word, then the other
matches (a word inside a name, people of an organisation whose name holds every word);
by name within each.

The work is bounded, so a search costs the same at 100,000 people as at 1,000 however
many people match: each way of matching (an "arm") fetches at most ``CANDIDATES``
people through its own index, and only those are ranked and paged; nothing is counted.
When an arm has more, the page says so (type more to narrow the search). The indexes,
on PostgreSQL: ``lower(email)`` with ``text_pattern_ops`` (0013) for addresses;
``lower(last_name)``, ``lower(first_name)`` and the organisation's ``lower(name)`` with
``COLLATE "C"`` (0014), which serve a prefix and its order, so an arm stops after its
candidates; and trigram (pg_trgm) GIN indexes (0013) for a word inside a name or a
phone number. A trigram index needs words of three characters or more: shorter words
("de", "7") only narrow what the other words found. The queries use exactly the
indexed expressions so the planner can use them."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Func,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Collate, Concat, Lower

from subjects.models import DataSubject, Organisation, SubjectRole

QUERY_MAX = 200
# How many people each way of matching contributes at most: the ranked candidates.
CANDIDATES = 200
# A name, an address and an organisation are found well before this many words; more
# words only add work (each is a condition of its own).
WORDS_MAX = 6
# A query of digits (with the signs people type in a phone number) searches the phone.
_PHONE = re.compile(r"^\+?[\d\s\-().]{4,}$")
# The fewest digits of a phone number searched for (after its prefix).
_PHONE_DIGITS_MIN = 4
_TOKEN_MIN = 2
# The shortest word a trigram index can find inside a name.
_TRIGRAM_MIN = 3
# Name splits tried for "first name(s) surname" ("jan de vries": "jan" + "de vries").
_SPLITS = 3


@dataclasses.dataclass(frozen=True)
class Found:
    """The people a search found, best first (a QuerySet: slice it for a page), and
    whether there were more candidates than were ranked."""

    people: QuerySet[DataSubject]
    more: bool


def _bytewise(expression):
    """``expression`` in byte order, as the prefix indexes hold it."""
    return Collate(expression, "C" if connection.vendor == "postgresql" else "BINARY")


class PhoneDigits(Func):
    """The digits of a phone number, whatever spaces, dashes, dots, brackets or plus sign
    it was written with. On PostgreSQL exactly the expression of the trigram index
    ``subjects_datasubject_phone_digits_trgm`` (migration 0018), so that index serves it."""

    output_field = CharField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(
            compiler, connection, template="regexp_replace(%(expressions)s, '[^0-9]', '', 'g')"
        )

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        """Elsewhere (SQLite): the signs people write, replaced one by one."""
        sql, params = compiler.compile(self.source_expressions[0])
        for sign in PHONE_SIGNS:
            sql = f"REPLACE({sql}, %s, '')"
            params = (*params, sign)
        return sql, params


# What people write between the digits of a phone number.
PHONE_SIGNS = (" ", "-", ".", "(", ")", "+", "/")


def phone_digits_typed(text: str) -> str:
    """The digits to look for in a typed phone number: without signs, and without the
    trunk prefix 0 or the country code of the Netherlands (+31, 0031), so that 06 1234
    5678, 0612345678 and +31 6 12345678 find each other."""
    digits = re.sub(r"\D", "", text)
    for prefix in ("0031", "31", "0"):
        if digits.startswith(prefix) and len(digits) - len(prefix) >= _PHONE_DIGITS_MIN:
            return digits[len(prefix) :]
    return digits


def _people() -> QuerySet[DataSubject]:
    return DataSubject.objects.annotate(
        email_lower=Lower("email"),
        first_lower=Lower("first_name"),
        last_lower=Lower("last_name"),
        phone_lower=Lower("phone"),
        phone_digits=PhoneDigits(Lower("phone")),
        first_sort=_bytewise(Lower("first_name")),
        last_sort=_bytewise(Lower("last_name")),
    )


def _ids(queryset: QuerySet) -> list[int]:
    return list(queryset.values_list("pk", flat=True)[:CANDIDATES])


def _arms(text: str, need: int | None = None) -> list[list[int]]:
    """The candidates of every way ``text`` can match, each at most ``CANDIDATES``
    people, each one query served by an index. With ``need``: the wider ways (a word
    inside a name, an organisation) only when the people whose name starts with what
    was typed, who rank before them, are fewer than ``need``."""
    people = _people()
    if "@" in text:
        return [_ids(people.filter(email_lower__startswith=text).order_by("email_lower", "pk"))]
    if _PHONE.match(text):
        digits = phone_digits_typed(text)
        return [_ids(people.filter(phone_digits__contains=digits).order_by())]
    words = text.split()[:WORDS_MAX]
    arms = [
        # The surname, or the first name, starts with what was typed.
        _ids(people.filter(last_sort__startswith=text).order_by("last_sort", "pk")),
        _ids(people.filter(first_sort__startswith=text).order_by("first_sort", "pk")),
    ]
    # First name(s) and the start of the surname: "jan de v".
    for split in range(1, min(len(words), _SPLITS + 1)):
        arms.append(
            _ids(
                people.filter(
                    first_sort__startswith=" ".join(words[:split]),
                    last_sort__startswith=" ".join(words[split:]),
                ).order_by("last_sort", "pk")
            )
        )
    if need is not None and len({pk for arm in arms for pk in arm}) >= need:
        return arms
    if any(len(word) >= _TRIGRAM_MIN for word in words):
        # Every word inside a name or at the start of the address (trigram indexes for
        # the long words; the short ones only narrow).
        inside = Q()
        for word in words:
            inside &= (
                Q(first_lower__contains=word)
                | Q(last_lower__contains=word)
                | Q(email_lower__startswith=word)
            )
        arms.append(_ids(people.filter(inside).order_by()))
        organisations = Organisation.objects.annotate(name_lower=Lower("name"))
        for word in words:
            organisations = organisations.filter(name_lower__contains=word)
    else:
        organisations = Organisation.objects.annotate(name_sort=_bytewise(Lower("name"))).filter(
            name_sort__startswith=text
        )
    # People with a role at an organisation whose name holds every word.
    arms.append(
        list(
            SubjectRole.objects.filter(
                organisation__in=organisations.order_by().values("pk")[:CANDIDATES]
            )
            .order_by()
            .values_list("subject_id", flat=True)
            .distinct()[:CANDIDATES]
        )
    )
    return arms


def people_found(query: str, need: int | None = None) -> Found:
    """The data subjects matching ``query`` (see the module's docstring), best first;
    none for an empty query. ``need``: how many of the best are wanted at most (a page
    and what comes before it); the wider ways of matching are then left out when the
    names that start with the query fill them (see ``_arms``)."""
    # A NUL character cannot be in a PostgreSQL string: what was typed around it counts.
    text = " ".join(query.replace("\x00", " ").split())[:QUERY_MAX].lower()
    people = _people()
    if len(text) < _TOKEN_MIN:
        return Found(people.none(), more=False)
    arms = _arms(text, need)
    ids = {pk for arm in arms for pk in arm}
    first_word = text.split()[0]
    full_name = _bytewise(Lower(Concat("first_name", Value(" "), "last_name")))
    found = (
        people.filter(pk__in=sorted(ids))
        .annotate(
            full_sort=full_name,
            rank=Case(
                When(email_lower=text, then=Value(0)),
                When(email_lower__startswith=text, then=Value(1)),
                When(Q(last_sort__startswith=text) | Q(full_sort__startswith=text), then=Value(2)),
                When(
                    Q(last_sort__startswith=first_word) | Q(first_sort__startswith=first_word),
                    then=Value(3),
                ),
                default=Value(4),
                output_field=IntegerField(),
            ),
        )
        .order_by("rank", "last_sort", "first_sort", "pk")
        .prefetch_related(
            Prefetch(
                "roles",
                queryset=SubjectRole.objects.select_related("category", "organisation").order_by(
                    "-started_on", "pk"
                ),
            )
        )
    )
    return Found(found, more=any(len(arm) >= CANDIDATES for arm in arms))


def people_search(query: str) -> QuerySet[DataSubject]:
    """The people ``people_found`` finds, best first."""
    return people_found(query).people
