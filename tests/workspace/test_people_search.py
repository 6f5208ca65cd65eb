"""Find a person: one search over name, e-mail address, phone number and organisation,
exact e-mail first; never matching encrypted or special-category fields; a fixed number
of queries at 10 and at 1,000 people; the search box on every staff page."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from subjects.models import DataSubject
from subjects.search import people_search
from tests.factories import (
    DataSubjectFactory,
    OrganisationFactory,
    SubjectRoleFactory,
    TraineeProfileFactory,
    TrajectoryParticipantFactory,
)

pytestmark = pytest.mark.django_db
URL = reverse("subjects_staff:people")


def test_it_sends_anonymous_visitors_to_the_login(client):
    response = client.get(URL, {"q": "jan"})
    assert response.status_code == 302 and "login" in response["Location"]


def test_it_refuses_a_user_who_is_not_staff(outsider_client):
    assert outsider_client.get(URL, {"q": "jan"}).status_code == 403


def test_the_exact_address_comes_first_then_addresses_that_start_with_it(staff_client):
    later = DataSubjectFactory(last_name="Aalders", email="jan@example.nl.other.org")
    exact = DataSubjectFactory(last_name="Zwart", email="jan@example.nl")
    DataSubjectFactory(email="piet@example.nl")
    assert list(people_search("JAN@example.nl")) == [exact, later]
    page = staff_client.get(URL, {"q": "jan@example.nl"}).content.decode()
    assert page.index(exact.last_name) < page.index(later.last_name)


def test_it_finds_by_name_phone_and_organisation():
    fenna = DataSubjectFactory(first_name="Fenna", last_name="van Dijk", phone="06-12345678")
    other = DataSubjectFactory(first_name="Piet", last_name="Bakker", phone="")
    SubjectRoleFactory(subject=other, organisation=OrganisationFactory(name="Gemeente Berkelland"))
    assert list(people_search("fenna dijk")) == [fenna]
    assert list(people_search("12345678")) == [fenna]
    assert list(people_search("berkel")) == [other]
    assert list(people_search("")) == []


def test_it_never_matches_special_category_data(officer_client, staff_client):
    participation = TrajectoryParticipantFactory()
    TraineeProfileFactory(participation=participation, allergies="Lactose-intolerantie")
    for client in (officer_client, staff_client):
        page = client.get(URL, {"q": "lactose"}).content.decode()
        assert participation.participant.last_name not in page
        assert "Lactose" not in page


def test_the_search_box_is_on_every_staff_page(staff_client):
    for name in ("staff_dashboard", "requests_dsar:staff_queue", "subjects_staff:intake"):
        page = staff_client.get(reverse(name)).content.decode()
        assert 'id="person-search"' in page, name
        assert 'id="footer-links"' not in page, name  # no public footer on staff pages
        assert "navbar-toggler" in page, name


def _people(count: int) -> None:
    organisation = OrganisationFactory(name="Gemeente Berkelland")
    people = DataSubject.objects.bulk_create(
        DataSubject(first_name=f"Jan{i}", last_name="Jansen", email=f"jan{i}@example.nl")
        for i in range(count)
    )
    for person in people[:30]:
        SubjectRoleFactory(subject=person, organisation=organisation)


@pytest.mark.parametrize("query", ["jansen", "jan1@example.nl", "berkelland"])
def test_it_costs_no_more_queries_at_1000_than_at_10_people(
    staff_client, django_assert_max_num_queries, query
):
    """A fixed number of queries: at most as many at 1,000 people as at 10 (fewer when
    the names that start with the query fill the page, so the wider search is left
    out)."""
    _people(10)
    staff_client.get(URL, {"q": query})
    with CaptureQueriesContext(connection) as baseline:
        assert staff_client.get(URL, {"q": query}).status_code == 200
    _people(990)
    with django_assert_max_num_queries(len(baseline)):
        response = staff_client.get(URL, {"q": query})
    assert response.status_code == 200
    assert response.context["people"]


def test_the_postgresql_indexes_migration_does_nothing_on_sqlite():
    """The trigram indexes exist only on PostgreSQL: on SQLite the migration runs no SQL
    (and the migrated test database has none), on PostgreSQL it adds pg_trgm and every
    index."""
    migration = importlib.import_module("subjects.migrations.0013_person_search_indexes")
    ran: list[str] = []
    sqlite = SimpleNamespace(connection=SimpleNamespace(vendor="sqlite"), execute=ran.append)
    migration.create_indexes(None, sqlite)
    migration.drop_indexes(None, sqlite)
    assert ran == []
    # The migrated test database has the indexes exactly when it is PostgreSQL.
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "subjects_datasubject")
    trigram = [name for name in constraints if "trgm" in name]
    assert bool(trigram) is (connection.vendor == "postgresql")

    postgres = SimpleNamespace(connection=SimpleNamespace(vendor="postgresql"), execute=ran.append)
    migration.create_indexes(None, postgres)
    assert ran[0] == "CREATE EXTENSION IF NOT EXISTS pg_trgm"
    assert len(ran) == 1 + len(migration.INDEXES)
    assert any("gin_trgm_ops" in sql and "subjects_organisation" in sql for sql in ran)


def test_surname_and_whole_name_prefixes_come_before_a_word_inside_a_name():
    inside = DataSubjectFactory(first_name="Anna", last_name="Ruigrok-de Vries")
    by_first = DataSubjectFactory(first_name="Vries", last_name="Aalbers")
    surname = DataSubjectFactory(first_name="Piet", last_name="de Vries")
    whole = DataSubjectFactory(first_name="De", last_name="Vriesema")  # "de vries..."
    assert list(people_search("de vries")) == [surname, whole, inside]
    # The whole name or the surname starts with it (by surname), then the others.
    assert list(people_search("vries")) == [by_first, whole, surname, inside]


def test_first_names_and_the_start_of_the_surname_find_the_person():
    jan = DataSubjectFactory(first_name="Jan", last_name="de Vries")
    DataSubjectFactory(first_name="Jan", last_name="Bakker")
    DataSubjectFactory(first_name="Piet", last_name="de Vries")
    assert list(people_search("jan de v")) == [jan]
    assert list(people_search("Jan de Vries")) == [jan]


def test_short_words_narrow_what_the_longer_words_find():
    seven = DataSubjectFactory(first_name="Kees", last_name="Bakker 7")
    DataSubjectFactory(first_name="Kees", last_name="Bakker 8")
    assert list(people_search("bakker 7")) == [seven]
    assert list(people_search("7 bakker")) == [seven]


def test_an_organisation_is_found_by_every_word_of_its_name():
    person = DataSubjectFactory(last_name="Smit")
    SubjectRoleFactory(
        subject=person, organisation=OrganisationFactory(name="Bakkerij de Jong B.V.")
    )
    other = DataSubjectFactory(last_name="Mulder")
    SubjectRoleFactory(subject=other, organisation=OrganisationFactory(name="Bakkerij Jansen B.V."))
    assert list(people_search("bakkerij de jong")) == [person]
    assert list(people_search("bakkerij")) == [other, person]  # by name


def test_pages_go_forward_without_counting_and_say_when_there_are_more(staff_client):
    from subjects.search import CANDIDATES

    DataSubject.objects.bulk_create(
        DataSubject(first_name="Jan", last_name=f"Visser {i:03d}") for i in range(CANDIDATES + 5)
    )
    first = staff_client.get(URL, {"q": "visser"})
    assert [p.last_name for p in first.context["people"]][:2] == ["Visser 000", "Visser 001"]
    assert len(first.context["people"]) == 25
    assert first.context["has_next"] and not first.context["has_previous"]
    assert first.context["more"]  # more people than were ranked: type more
    second = staff_client.get(URL, {"q": "visser", "page": "2"})
    assert second.context["people"][0].last_name == "Visser 025"
    assert second.context["has_previous"]
    narrow = staff_client.get(URL, {"q": "visser 01"})
    # "Visser 010" to "019" start with it; "001", "101" and "201" hold "01" further on.
    names = [p.last_name for p in narrow.context["people"]]
    assert names == [f"Visser 0{i}" for i in range(10, 20)] + [
        "Visser 001",
        "Visser 101",
        "Visser 201",
    ]
    assert not narrow.context["more"]
    assert not narrow.context["has_next"]


def test_the_prefix_indexes_migration_does_nothing_on_sqlite():
    migration = importlib.import_module("subjects.migrations.0017_person_search_prefix_indexes")
    ran: list[str] = []
    sqlite = SimpleNamespace(connection=SimpleNamespace(vendor="sqlite"), execute=ran.append)
    migration.create_indexes(None, sqlite)
    migration.drop_indexes(None, sqlite)
    assert ran == []
    postgres = SimpleNamespace(connection=SimpleNamespace(vendor="postgresql"), execute=ran.append)
    migration.create_indexes(None, postgres)
    created = [sql for sql in ran if sql.startswith("CREATE INDEX")]
    assert len(created) == len(migration.INDEXES)
    assert all('COLLATE "C"' in sql for sql in created)
    # The trigram indexes take new people at once, without a pending list to read.
    assert sum("fastupdate = off" in sql for sql in ran) == len(migration.TRIGRAM_INDEXES)


def test_a_page_of_names_that_start_with_the_query_needs_no_wider_search(staff_client):
    DataSubject.objects.bulk_create(
        DataSubject(first_name=f"Anna{i:02d}", last_name="de Vries") for i in range(30)
    )
    inside = DataSubjectFactory(first_name="Bob", last_name="Ruigrok-de Vries")
    first = staff_client.get(URL, {"q": "de vries"})
    assert len(first.context["people"]) == 25 and first.context["has_next"]
    assert inside not in first.context["people"]
    second = staff_client.get(URL, {"q": "de vries", "page": "2"})
    # The five other namesakes, then the one whose surname holds the words further on.
    assert [p.first_name for p in second.context["people"]] == [
        "Anna25",
        "Anna26",
        "Anna27",
        "Anna28",
        "Anna29",
        "Bob",
    ]
    assert not second.context["has_next"]


@pytest.mark.parametrize(
    "typed",
    [
        "0612469134",
        "06-12469134",
        "06 1246 9134",
        "+31612469134",
        "+31 6 12469134",
        "0031612469134",
    ],
)
def test_a_phone_number_is_found_however_it_was_written(typed):
    fleur = DataSubjectFactory(first_name="Fleur", last_name="Bakker", phone="06 12469134")
    abroad = DataSubjectFactory(first_name="Noor", last_name="Smit", phone="+31 (0)6-1246.9134")
    DataSubjectFactory(first_name="Piet", last_name="Jansen", phone="06 99999999")
    found = set(people_search(typed))
    assert fleur in found
    assert len(found) <= 2 and all(p in {fleur, abroad} for p in found)


def test_a_short_run_of_digits_is_still_searched_inside_numbers():
    fleur = DataSubjectFactory(phone="06 12469134")
    assert list(people_search("9134")) == [fleur]
