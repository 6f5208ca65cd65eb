"""The admin's data-subject list and its searches stay flat as people are added: no
DISTINCT over every row, and a search for one e-mail address goes through the e-mail
index (an exact match) instead of scanning four fields."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db

LIST = reverse("admin:subjects_datasubject_changelist")


def _get(client, query: str = "") -> tuple[int, list[str], str]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(LIST + query)
    assert response.status_code == 200
    sql = [q["sql"] for q in context.captured_queries if "subjects_datasubject" in q["sql"]]
    return len(context), sql, response.content.decode()


@pytest.mark.parametrize("query", ["", "?q=jansen", "?q=Anna.Jansen%40Example.nl"])
def test_the_list_and_its_searches_cost_the_same_for_10_and_for_200_people(officer_client, query):
    f.DataSubjectFactory.create_batch(10)
    few, _sql, _page = _get(officer_client, query)
    f.DataSubjectFactory.create_batch(190)
    many, sql, _page = _get(officer_client, query)
    assert few == many
    assert not any("DISTINCT" in statement.upper() for statement in sql)


def test_an_e_mail_search_finds_the_person_by_an_exact_match(officer_client):
    anna = f.DataSubjectFactory(email="anna.jansen@example.nl", last_name="Jansen-Zoekbaar")
    f.DataSubjectFactory(email="bob@example.nl", last_name="Anders")
    _count, sql, page = _get(officer_client, "?q=Anna.Jansen%40Example.nl")
    assert anna.last_name in page and "Anders" not in page
    searching = [s for s in sql if "anna.jansen@example.nl" in s]
    assert searching and all("LIKE" not in s.upper() for s in searching)


@pytest.mark.parametrize("query", ["", "?q=jansen", "?q=Anna.Jansen%40Example.nl"])
def test_the_list_counts_once_the_same_for_10_and_1000_people(officer_client, query):
    from subjects.models import DataSubject

    def bulk(n: int, start: int) -> None:
        DataSubject.objects.bulk_create(
            DataSubject(first_name=f"P{i}", last_name="Jansen", email=f"p{i}@example.nl")
            for i in range(start, start + n)
        )

    bulk(10, 0)
    few, _sql, _page = _get(officer_client, query)
    bulk(990, 10)
    many, sql, page = _get(officer_client, query)
    assert few == many
    # One count: the paginator's. No second count of everyone beside a search's result.
    assert sum("COUNT(" in statement.upper() for statement in sql) == 1
    if query == "?q=jansen":
        assert "1000" in page  # the search found all of them, and says so


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own estimate")
def test_a_large_unfiltered_list_says_about_how_many_from_the_estimate(officer_client, monkeypatch):
    from leafspring import pagination
    from subjects.models import DataSubject

    monkeypatch.setattr(pagination, "ESTIMATE_FROM", 100)
    DataSubject.objects.bulk_create(
        DataSubject(first_name=f"P{i}", last_name="Jansen", email=f"p{i}@example.nl")
        for i in range(1000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE subjects_datasubject")
    _count, sql, page = _get(officer_client)
    _count, _searched_sql, searched = _get(officer_client, "?q=jansen")
    assert not any("COUNT(" in s.upper() for s in sql if "pg_class" not in s)
    assert re.search(r"(about|ongeveer) 1000 betrokkenen", _paginator(page))
    # A search counts exactly.
    assert re.search(r"^\s*1000 betrokkenen", _paginator(searched), re.M)


def test_a_small_list_is_counted_exactly(officer_client):
    f.DataSubjectFactory.create_batch(3)
    _count, _sql, page = _get(officer_client)
    assert re.search(r"^\s*3 betrokkenen", _paginator(page), re.M)


def _paginator(page: str) -> str:
    return page.split('class="paginator"')[1].split("</p>")[0]


def test_people_past_a_low_estimate_stay_on_the_pages_after_it():
    """After a bulk import and before the next ANALYZE the estimate is low: the pages
    past it still hold the newest people (Django's own paginator cuts them off)."""
    from leafspring.pagination import EstimatedCountPaginator
    from subjects.models import DataSubject

    f.DataSubjectFactory.create_batch(40)
    paginator = EstimatedCountPaginator(DataSubject.objects.order_by("pk"), 10)
    paginator.__dict__["count"] = 20  # the planner's (low) estimate
    paginator.estimated = True
    pages = [list(paginator.page(n)) for n in (1, 2, 3, 4, 5)]
    assert [len(p) for p in pages] == [10, 10, 10, 10, 0]
    seen = [person.pk for page in pages for person in page]
    assert seen == sorted(DataSubject.objects.values_list("pk", flat=True))
