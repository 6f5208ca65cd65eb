"""Building one person's access report costs a query per registered model, not per row:
the same number for a person with few rows as for one with many (related rows, consent
wordings and all)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from requests_dsar.fulfilment.access import access_report_data, access_report_render
from requests_dsar.models import DsarRequest
from tests import factories as f

pytestmark = pytest.mark.django_db


def _person_with(rows: int, email: str) -> DsarRequest:
    subject = f.DataSubjectFactory(email=email)
    organisation = f.OrganisationFactory()
    for _ in range(rows):
        f.SubjectRoleFactory(subject=subject, organisation=organisation)
        f.InvoiceFactory(subject=subject)
        f.ContactMessageFactory(subject=subject)
        participation = f.TrajectoryParticipantFactory(
            participant=subject, mentor=f.DataSubjectFactory()
        )
        f.TraineeProfileFactory(participation=participation)
        f.CoachingNoteFactory(participant=subject, trajectory=participation.trajectory)
        f.CliftonStrengthsAccountFactory(subject=subject, results={"top5": ["Learner"]})
        f.ConsentFactory(subject=subject, purpose="newsletter")
    f.NewsletterSubscriptionFactory(subject=subject)
    request = DsarRequest.objects.create(
        reference=f"V-Q{rows:04d}",
        request_type="access",
        status="in-progress",
        name=subject.full_name,
        email=email,
        language="nl",
    )
    request.subjects.add(subject)
    return request


def _queries(request: DsarRequest) -> int:
    with CaptureQueriesContext(connection) as context:
        access_report_render(request)
        access_report_data(request)
    return len(context.captured_queries)


def test_one_persons_report_costs_the_same_queries_for_few_and_for_many_rows():
    few = _person_with(1, "weinig@example.nl")
    many = _person_with(8, "veel@example.nl")
    _queries(few)  # caches (content types, translations) warmed once
    assert "Learner" in access_report_render(many)
    assert _queries(few) == _queries(many)
