"""Staff pages of the subjects app: incoming contact messages and brochure requests, the
newsletter audience export."""

from __future__ import annotations

app_name = "subjects_staff"

urlpatterns: list = []
