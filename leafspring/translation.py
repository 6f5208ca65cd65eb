"""Register wording is stored twice, Dutch and English, in ``<field>_nl`` / ``<field>_en``."""

from __future__ import annotations

from django.utils import translation


class BilingualMixin:
    """Pick the active language's wording of a bilingual field, falling back to Dutch."""

    def tr(self, field: str, language: str | None = None) -> str:
        language = (language or translation.get_language() or "nl")[:2]
        value = getattr(self, f"{field}_{language}", "") if language == "en" else ""
        return value or getattr(self, f"{field}_nl")

    @property
    def tr_name(self) -> str:
        """The name in the active language, for templates."""
        return self.tr("name")
