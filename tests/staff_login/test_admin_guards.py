"""The admin and personal data (issue 12, findings 4 and 5): staff without the
special-category permission learn nothing about it through a filter, search, ordering or
column, on any admin, new ones too; and the person a record belongs to is not moved to
someone else in the admin."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.forms import CheckboxInput, MultiWidget
from django.test import RequestFactory
from django.urls import reverse

from leafspring.admin_site import StaffAdminSite
from leafspring.admin_tools import OWNER_CHANGE_REFUSED, owner_fields
from subjects import models as m
from tests import factories as f

pytestmark = pytest.mark.django_db

PROFILES = "admin:subjects_traineeprofile_changelist"
NOTES = "admin:subjects_coachingnote_changelist"


@pytest.fixture
def profiles():
    with_allergy = f.TraineeProfileFactory(allergies="Notenallergie", job_title="Met")
    without = f.TraineeProfileFactory(allergies="", job_title="Zonder")
    return with_allergy, without


@pytest.mark.parametrize(
    "name, query",
    [
        (PROFILES, "allergies="),
        (PROFILES, "allergies__isnull=False"),
        (PROFILES, "allergies__in=,x"),
        (NOTES, "mentions_health=1"),
        (NOTES, "mentions_health__exact=0"),
        (NOTES, "o=4"),
    ],
)
def test_staff_without_the_permission_cannot_filter_on_special_category_data(
    staff_client, profiles, name, query
):
    f.CoachingNoteFactory(mentions_health=True)
    response = staff_client.get(f"{reverse(name)}?{query}")
    body = response.content.decode()
    if query.startswith("o="):
        # Ordering by a hidden column: the column is not there to order by.
        assert response.status_code == 200 and "mentions_health" not in body
    else:
        assert response.status_code == 400, query
        assert "Met" not in body and "Zonder" not in body


def test_the_officer_may_filter_on_allergies(officer_client, profiles):
    response = officer_client.get(f"{reverse(PROFILES)}?allergies=")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Zonder" in body and "Met" not in body


def test_an_outsider_reaches_no_list_at_all(outsider_client, profiles):
    response = outsider_client.get(f"{reverse(PROFILES)}?allergies=")
    assert response.status_code == 302
    assert "Met" not in response.content.decode()


def test_a_new_admin_obeys_without_asking(staff, officer):
    """An admin written tomorrow that filters, searches, orders and lists on allergies
    (and on a coaching note's health flag through a relation) shows none of it to staff
    without the permission."""
    site = StaffAdminSite(name="tomorrow")

    class CarelessProfileAdmin(admin.ModelAdmin):
        list_display = ["job_title", "allergies"]
        list_filter = [
            "allergies",
            "job_title",
            (
                "participation__participant__coaching_notes__mentions_health",
                admin.BooleanFieldListFilter,
            ),
        ]
        search_fields = [
            "job_title",
            "=allergies",
            "participation__participant__coaching_notes__content",
        ]
        ordering = ["-allergies", "job_title"]
        fields = ["participation", "job_title", ("allergies", "education")]

    site.register(m.TraineeProfile, CarelessProfileAdmin)
    model_admin = site._registry[m.TraineeProfile]
    request = RequestFactory().get("/")
    request.user = staff
    assert model_admin.get_list_display(request) == ["job_title"]
    assert model_admin.get_list_filter(request) == ["job_title"]
    assert model_admin.get_search_fields(request) == ["job_title"]
    assert list(model_admin.get_ordering(request)) == ["job_title"]
    assert "allergies" in model_admin.get_exclude(request)
    shown = [
        name for _, options in model_admin.get_fieldsets(request) for name in options["fields"]
    ]
    assert shown == ["participation", "job_title", ["education"]]
    assert not model_admin.lookup_allowed("allergies__isnull", "True", request)
    request.user = officer
    assert model_admin.get_list_display(request) == ["job_title", "allergies"]
    assert len(model_admin.get_list_filter(request)) == 3
    assert model_admin.lookup_allowed("allergies__isnull", "True", request)


def test_every_registered_admin_and_inline_carries_the_guards():
    from leafspring.admin_tools import PersonalDataAdminMixin

    for model_admin in admin.site._registry.values():
        assert isinstance(model_admin, PersonalDataAdminMixin), model_admin
        for inline in model_admin.inlines:
            assert issubclass(inline, PersonalDataAdminMixin), inline


def _posted(response) -> dict:
    """The change form as it stands, ready to post back (inlines included)."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in management.fields:
            data[management[name].html_name] = management[name].value()
        forms += inline.formset.forms
    for form in forms:
        for bound in form:
            value, widget = bound.value(), bound.field.widget
            if isinstance(widget, MultiWidget):
                for i, part in enumerate(widget.decompress(value)):
                    data[f"{bound.html_name}_{i}"] = "" if part is None else str(part)
            elif isinstance(widget, CheckboxInput):
                if value:
                    data[bound.html_name] = "on"
            elif value is not None:
                data[bound.html_name] = value
    return data


@pytest.mark.parametrize("who", ["officer_client", "staff_client"])
def test_a_coaching_note_stays_with_its_participant(request, who):
    client = request.getfixturevalue(who)
    note = f.CoachingNoteFactory(content="Gesprek")
    other = f.DataSubjectFactory()
    url = reverse("admin:subjects_coachingnote_change", args=[note.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="participant"' not in page.content.decode()  # shown, not a field
    data = _posted(page)
    data["participant"] = other.pk
    client.post(url, data)
    note.refresh_from_db()
    assert note.participant_id != other.pk
    assert not other.coaching_notes.exists()


def test_a_participation_in_the_trajectory_inline_stays_with_its_participant(officer_client):
    """The trainee profile (allergies) hangs on the participation: moving the participant
    would move it too. The inline refuses it with a message."""
    profile = f.TraineeProfileFactory(allergies="Notenallergie")
    participation = profile.participation
    other = f.DataSubjectFactory()
    url = reverse("admin:subjects_trajectory_change", args=[participation.trajectory_id])
    data = _posted(officer_client.get(url))
    key = next(
        k
        for k, v in data.items()
        if k.endswith("-participant") and v == participation.participant_id
    )
    data[key] = other.pk
    response = officer_client.post(url, data)
    assert response.status_code == 200
    assert str(OWNER_CHANGE_REFUSED)[:40] in response.content.decode()
    participation.refresh_from_db()
    assert participation.participant_id != other.pk


def test_an_outsider_changes_nothing(outsider_client):
    note = f.CoachingNoteFactory()
    other = f.DataSubjectFactory()
    url = reverse("admin:subjects_coachingnote_change", args=[note.pk])
    response = outsider_client.post(url, {"participant": other.pk})
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.participant_id != other.pk


def test_the_owner_fields_come_from_the_registry():
    assert owner_fields(m.CoachingNote) == {"participant"}
    assert owner_fields(m.TraineeProfile) == {"participation"}
    assert owner_fields(m.TrajectoryParticipant) == {"participant"}  # the mentor is a link
    assert owner_fields(m.Trajectory) == set()  # the coach is a link
    assert owner_fields(m.DataSubject) == set()
    assert owner_fields(m.ContactMessage) == {"subject"}


def test_a_message_that_came_in_without_a_person_may_still_be_linked(officer_client):
    person = f.DataSubjectFactory(email="lotte@example.nl")
    message = f.ContactMessageFactory(
        subject=None, first_name="Lotte", last_name="Bos", email="lotte@example.nl"
    )
    url = reverse("admin:subjects_contactmessage_change", args=[message.pk])
    page = officer_client.get(url)
    data = _posted(page)
    data["subject"] = person.pk
    response = officer_client.post(url, data)
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.subject_id == person.pk
