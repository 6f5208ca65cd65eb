"""The project's URLs and the benchmark's bare view: one indexed query, no template."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from leafspring.urls import urlpatterns as project_urls
from subjects.models import DataSubject


def bare(request: HttpRequest) -> HttpResponse:
    person = DataSubject.objects.filter(email="persoon7@example.nl").first()
    return HttpResponse(person.last_name if person else "")


urlpatterns = [path("bench/bare/", bare), *project_urls]
