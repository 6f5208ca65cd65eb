"""Accounts at the assessment tools (CliftonStrengths by Gallup, E2Grow)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from subjects.consent_guard import ConsentGuardedModel, ConsentNeed
from subjects.models.people import DataSubject
from subjects.registry import RestrictableModel, personal_data


class ToolAccount(RestrictableModel):
    """An account at an assessment tool; the person may have it deleted at any time."""

    external_id = models.CharField(_("account at the tool"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    results = models.JSONField(_("results"), default=dict, blank=True)
    deletion_requested_at = models.DateTimeField(
        _("deletion requested at"), null=True, blank=True, db_index=True
    )

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} – {self.subject}"  # type: ignore[attr-defined]


@personal_data(
    activity="clifton-strengths",
    categories=["contact-details", "profile"],
    fields=["subject", "external_id", "results"],
    retention_rule="tools-on-demand",
    clock="deletion_requested_at",
    provided_by_subject=True,
)
class CliftonStrengthsAccount(ToolAccount):
    """A CliftonStrengths (Gallup, outside the EU) account: name, e-mail and results."""

    subject = models.ForeignKey(
        DataSubject,
        verbose_name=_("data subject"),
        on_delete=models.CASCADE,
        related_name="clifton_accounts",
    )

    class Meta(ToolAccount.Meta):
        verbose_name = _("CliftonStrengths account")
        verbose_name_plural = _("CliftonStrengths accounts")


@personal_data(
    activity="e2grow",
    categories=["contact-details", "profile"],
    fields=[
        "subject",
        "external_id",
        "results",
        "company_name",
        "job_title",
        "leadership_role",
        "number_of_employees",
    ],
    retention_rule="tools-on-demand",
    clock="deletion_requested_at",
    provided_by_subject=True,
)
class E2GrowAccount(ConsentGuardedModel, ToolAccount):
    """An E2Grow account: work details and the strengths profile. The profile is hidden
    from colleagues until the person opts in (a pre-ticked choice is no consent: Art.
    4(11), 7, 25(2)); the opt-in is a recorded consent, and withdrawing it hides the
    profile here and asks E2Grow to hide it there (Art. 19)."""

    consent_needs = (
        ConsentNeed(
            "e2grow-visibility",
            ("profile_visible_to_colleagues",),
            recipient="e2grow",
            instruction=_("Ask to hide the person's profile from their colleagues"),
        ),
    )

    subject = models.ForeignKey(
        DataSubject,
        verbose_name=_("data subject"),
        on_delete=models.CASCADE,
        related_name="e2grow_accounts",
    )
    company_name = models.CharField(_("company name"), max_length=200, blank=True)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    leadership_role = models.BooleanField(_("leadership role"), default=False)
    number_of_employees = models.PositiveIntegerField(
        _("number of employees"), null=True, blank=True
    )
    profile_visible_to_colleagues = models.BooleanField(
        _("profile visible to colleagues"),
        default=False,
        help_text=_("Hidden unless the person opted in (a recorded consent)."),
    )

    class Meta(ToolAccount.Meta):
        verbose_name = _("E2Grow account")
        verbose_name_plural = _("E2Grow accounts")
