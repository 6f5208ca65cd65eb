"""Staff pages of the subjects app: incoming contact messages and brochure requests, the
newsletter audience export; finding a person and the person's page."""

from __future__ import annotations

from django.urls import path

from subjects.views import people, staff

app_name = "subjects_staff"

urlpatterns = [
    path("staff/people/", people.people, name="people"),
    path("staff/people/<int:pk>/", people.person, name="person"),
    path("staff/people/<int:pk>/restrict/", people.person_restrict, name="person_restrict"),
    path("staff/people/<int:pk>/lift/", people.person_lift, name="person_lift"),
    path(
        "staff/people/<int:pk>/access-preview/",
        people.person_access_preview,
        name="person_access_preview",
    ),
    path("staff/intake/", staff.intake, name="intake"),
    path(
        "staff/intake/brochure/<int:pk>/follow-up/",
        staff.brochure_follow_up,
        name="brochure_follow_up",
    ),
    path(
        "staff/newsletter/audience.csv",
        staff.newsletter_audience_csv,
        name="newsletter_audience_csv",
    ),
]
