from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequestsDsarConfig(AppConfig):
    name = "requests_dsar"
    verbose_name = _("Rights requests")

    def ready(self) -> None:
        # The request trail's messages join the one registry of trail messages.
        from django.db.models.signals import post_migrate

        from requests_dsar import trail  # noqa: F401
        from requests_dsar.stamp import triggers_ensure

        # A SQLite table rebuilt by a later migration loses the stamp's triggers.
        post_migrate.connect(triggers_ensure, sender=self, dispatch_uid="requests-stamp")
