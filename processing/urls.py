"""Public consent page: ask for a link, see every consent given, withdraw in one click."""

from __future__ import annotations

app_name = "processing"

urlpatterns: list = []
