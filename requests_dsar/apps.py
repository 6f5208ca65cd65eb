from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequestsDsarConfig(AppConfig):
    name = "requests_dsar"
    verbose_name = _("Rights requests")

    def ready(self) -> None:
        # The request trail's messages join the one registry of trail messages.
        from requests_dsar import trail  # noqa: F401
