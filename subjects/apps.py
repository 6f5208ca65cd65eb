from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubjectsConfig(AppConfig):
    name = "subjects"
    verbose_name = _("Data subjects")

    def ready(self) -> None:
        from subjects import encryption_keys  # noqa: F401  (registers the system checks)

        # The audit trail's messages: the registry every trail entry is rendered with.
        from subjects.trail import audit  # noqa: F401
