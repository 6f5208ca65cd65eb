"""Staff pages of the subjects app: incoming contact messages and brochure requests, the
newsletter audience export."""

from __future__ import annotations

from django.urls import path

from subjects.views import staff

app_name = "subjects_staff"

urlpatterns = [
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
