"""The published privacy statement and the Art. 14 notices (issue 10).

Imported by ``processing.models``, so Django finds them with the rest of the register.

- ``StatementVersion``: a version of the privacy statement as it was published: its full
  text in Dutch and English, frozen, with its date. Generated from the register by
  ``processing.statement``; a privacy officer publishes it (``publish_statementversion``).
- ``Art14Notice``: that a data subject whose data came from someone else (a trainee or
  mentor named by their employer, a contact named by their organisation) was told about
  one processing activity (Art. 14 GDPR), when, in which language and how.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from subjects.registry import Kept, RestrictableModel, personal_data, registry


class StatementVersion(models.Model):
    """One published version of the privacy statement. Never changed after publishing:
    a change of the register makes a draft, and publishing the draft makes the next
    version."""

    number = models.PositiveIntegerField(_("version"), unique=True)
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    text_nl = models.TextField(_("text (Dutch)"))
    text_en = models.TextField(_("text (English)"))

    class Meta:
        ordering = ["-number"]
        verbose_name = _("privacy statement version")
        verbose_name_plural = _("privacy statement versions")
        permissions = [
            ("publish_statementversion", _("Can publish a version of the privacy statement"))
        ]

    def __str__(self) -> str:
        return f"v{self.number} ({self.published_at:%Y-%m-%d})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValidationError(_("A published version of the privacy statement never changes."))
        super().save(*args, **kwargs)

    def text(self, language: str) -> str:
        return self.text_en if language == "en" else self.text_nl


registry.exempt(
    StatementVersion,
    reason=(
        "The privacy statement as published: no data about data subjects, only which staff "
        "member published it. Kept for accountability (Art. 5(2), 12) for as long as the "
        "company exists."
    ),
    kept=Kept(
        because="What people were told, on which date: the proof of transparency (Art. 5(2), "
        "12, 13 GDPR). It names only the staff member who published it.",
        until="For as long as the company exists; a version is never changed or deleted.",
        enforced_by="processing.statement.statement_version_publish",
    ),
)


class Art14NoticeMethod(models.TextChoices):
    EMAIL = "email", _("e-mailed by the system")
    OTHER = "other", _("told another way, recorded by staff")


@personal_data(
    activity="privacy-administration",
    categories=["audit-trail"],
    fields=["subject", "sent_at", "method", "language", "note"],
    kept=Kept(
        because="The proof that the person was given the Art. 14 information, when and "
        "how, so that nobody is told twice and it can be shown (Art. 5(2), 14 GDPR).",
        until="Deleted with its data subject (cascade): when the retention runs delete a "
        "person nothing else keeps (the privacy administration keeps no one).",
        enforced_by="retention.services.data_subjects_without_purpose_delete",
    ),
)
class Art14Notice(RestrictableModel):
    """The Art. 14 information about one processing activity, given to a data subject
    whose data Leafspring did not get from them. One per person and activity: a notice
    is never sent twice. Sent by ``processing.art14.art14_notices_send``."""

    subject = models.ForeignKey(
        "subjects.DataSubject",
        verbose_name=_("data subject"),
        on_delete=models.CASCADE,
        related_name="art14_notices",
    )
    activity = models.ForeignKey(
        "processing.ProcessingActivity",
        verbose_name=_("processing activity"),
        on_delete=models.PROTECT,
        related_name="art14_notices",
    )
    sent_at = models.DateTimeField(_("informed at"), default=timezone.now)
    method = models.CharField(
        _("how"), max_length=10, choices=Art14NoticeMethod.choices, default=Art14NoticeMethod.EMAIL
    )
    language = models.CharField(
        _("language"), max_length=2, choices=[("nl", _("Dutch")), ("en", _("English"))]
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "activity"], name="one_art14_notice_per_activity"
            )
        ]
        verbose_name = _("Art. 14 notice")
        verbose_name_plural = _("Art. 14 notices")

    def __str__(self) -> str:
        return f"{self.subject_id} – {self.activity_id} ({self.sent_at:%Y-%m-%d})"
