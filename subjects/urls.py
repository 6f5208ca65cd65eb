"""Public pages where personal data comes in: contact, brochure, newsletter sign-up."""

from __future__ import annotations

from django.urls import path

from subjects.views import intake

app_name = "subjects"

urlpatterns = [
    path("contact/", intake.contact, name="contact"),
    path("contact/verstuurd/", intake.contact_sent, name="contact_sent"),
    path("brochure/", intake.brochure, name="brochure"),
    path("brochure/verstuurd/", intake.brochure_sent, name="brochure_sent"),
    path("brochure/traineeship/", intake.brochure_traineeship, name="brochure_traineeship"),
    path("nieuwsbrief/", intake.newsletter, name="newsletter"),
    path("nieuwsbrief/verstuurd/", intake.newsletter_sent, name="newsletter_sent"),
    path(
        "nieuwsbrief/bevestigen/<str:token>/",
        intake.newsletter_confirmation,
        name="newsletter_confirm",
    ),
]
