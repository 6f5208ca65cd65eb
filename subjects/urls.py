"""Public pages where personal data comes in: contact, brochure, newsletter sign-up."""

from __future__ import annotations

app_name = "subjects"

urlpatterns: list = []
