"""The breach register (Art. 33, 34 GDPR): every personal-data breach documented, the
72-hour clock to the Autoriteit Persoonsgegevens from the moment Leafspring became aware,
the notification in phases, and the notice to the people affected or the exception that
applies.

Imported by ``processing.models``; writes go through ``processing.breaches.services``.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from leafspring.translation import BilingualMixin
from subjects.registry import Erasure, Kept, RestrictableModel, personal_data, registry

# Art. 33(1): notify the supervisory authority "not later than 72 hours after having
# become aware of it".
NOTIFICATION_HOURS = 72
MANAGE_PERMISSION = "processing.manage_breaches"


class Risk(models.TextChoices):
    NOT_ASSESSED = "", _("not assessed yet")
    NONE = "none", _("no risk: unlikely to result in a risk to people (Art. 33(1))")
    RISK = "risk", _("a risk to people's rights and freedoms: notify the authority")
    HIGH = "high", _("a high risk: notify the authority and tell the people (Art. 34)")


class NoticeException(models.TextChoices):
    """Art. 34(3): when the people affected need not be told individually."""

    NONE = "", _("no exception")
    UNINTELLIGIBLE = (
        "34-3-a",
        _("the data was unintelligible to others, e.g. encrypted (Art. 34(3)(a))"),
    )
    MITIGATED = (
        "34-3-b",
        _("measures taken since ensure the high risk is no longer likely (Art. 34(3)(b))"),
    )
    DISPROPORTIONATE = (
        "34-3-c",
        _(
            "telling each person would take disproportionate effort: a public communication "
            "instead (Art. 34(3)(c))"
        ),
    )


@personal_data(
    activity="privacy-administration",
    categories=["breach-records"],
    subject_paths=[],
    # A breach record goes with its links (cascade): a person's Art. 18 restriction or
    # legal hold keeps the whole record.
    kept_through=["subject_links__subject"],
    fields=[
        "description",
        "likely_consequences",
        "measures_taken",
        "measures_proposed",
        "risk_reasoning",
        "not_notified_reason",
        "notice_exception_reasons",
        "subjects_notice_how",
    ],
    retention_rule="breach-5y",
    clock="closed_at",
)
class Breach(BilingualMixin, models.Model):
    """One personal-data breach (Art. 4(12)) as Art. 33(5) asks it to be documented: the
    facts, the effects and the remedial action, whether it was reported or not.

    The people affected are linked through ``BreachSubject``: erasing such a person
    unlinks them and keeps the record of the breach (accountability, Art. 5(2))."""

    reported_at = models.DateTimeField(_("reported at"), default=timezone.now)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    occurred_at = models.DateTimeField(
        _("happened at"),
        null=True,
        blank=True,
        help_text=_("Leave empty when it is not known (yet)."),
    )
    aware_at = models.DateTimeField(
        _("Leafspring aware since"),
        help_text=_("The 72 hours to notify the Autoriteit Persoonsgegevens count from here."),
    )
    processor = models.ForeignKey(
        "processing.Recipient",
        verbose_name=_("caused at the processor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="breaches_caused",
    )
    processor_told_at = models.DateTimeField(
        _("the processor told Leafspring at"),
        null=True,
        blank=True,
        help_text=_("Art. 33(2): a processor tells the controller without undue delay."),
    )
    description = models.TextField(_("what happened"))
    confidentiality = models.BooleanField(
        _("confidentiality breach (data seen or obtained by the wrong people)"), default=False
    )
    integrity = models.BooleanField(_("integrity breach (data changed)"), default=False)
    availability = models.BooleanField(
        _("availability breach (data lost or unreachable)"), default=False
    )
    subject_categories = models.ManyToManyField(
        "processing.SubjectCategory",
        verbose_name=_("categories of data subjects"),
        related_name="breaches",
        blank=True,
    )
    subjects_approx = models.PositiveIntegerField(
        _("approximate number of data subjects"), null=True, blank=True
    )
    data_categories = models.ManyToManyField(
        "processing.DataCategory",
        verbose_name=_("categories of personal data"),
        related_name="breaches",
        blank=True,
    )
    records_approx = models.PositiveIntegerField(
        _("approximate number of records"), null=True, blank=True
    )
    activities = models.ManyToManyField(
        "processing.ProcessingActivity",
        verbose_name=_("processing activities"),
        related_name="breaches",
        blank=True,
    )
    recipients = models.ManyToManyField(
        "processing.Recipient",
        verbose_name=_("recipients involved"),
        related_name="breaches",
        blank=True,
    )
    contact_point = models.TextField(
        _("contact point for more information"),
        help_text=_("Art. 33(3)(b): name and contact details."),
    )
    likely_consequences = models.TextField(_("likely consequences"), blank=True)
    measures_taken = models.TextField(_("measures taken"), blank=True)
    measures_proposed = models.TextField(_("measures proposed"), blank=True)
    risk = models.CharField(
        _("risk to people"), max_length=10, choices=Risk.choices, blank=True, default=""
    )
    risk_reasoning = models.TextField(_("reasoning of the risk assessment"), blank=True)
    not_notified_reason = models.TextField(
        _("why the authority was not notified"),
        blank=True,
        help_text=_("Art. 33(5): an incident that is not reported is documented with the reason."),
    )
    # The notice to the people affected (Art. 34(2)): in plain language, in both languages,
    # so each person reads it in their own.
    notice_nature_nl = models.TextField(_("notice: what happened (Dutch)"), blank=True)
    notice_nature_en = models.TextField(_("notice: what happened (English)"), blank=True)
    notice_consequences_nl = models.TextField(_("notice: likely consequences (Dutch)"), blank=True)
    notice_consequences_en = models.TextField(
        _("notice: likely consequences (English)"), blank=True
    )
    notice_measures_nl = models.TextField(
        _("notice: measures taken and what the person can do (Dutch)"), blank=True
    )
    notice_measures_en = models.TextField(
        _("notice: measures taken and what the person can do (English)"), blank=True
    )
    subjects_notified_at = models.DateTimeField(_("people affected told at"), null=True, blank=True)
    subjects_notice_how = models.TextField(_("how the people affected were told"), blank=True)
    notice_exception = models.CharField(
        _("exception to telling the people affected"),
        max_length=10,
        choices=NoticeException.choices,
        blank=True,
        default="",
    )
    notice_exception_reasons = models.TextField(_("reasons for the exception"), blank=True)
    reminder_hours = models.PositiveSmallIntegerField(
        _("last reminder at hours left"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The reminders to the privacy officers already sent: each only once."),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, db_index=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        ordering = ["-aware_at", "-pk"]
        verbose_name = _("personal-data breach")
        verbose_name_plural = _("personal-data breaches")
        permissions = [("manage_breaches", _("Can see and manage the breach register"))]

    def __str__(self) -> str:
        if not self.aware_at:
            return self.reference
        aware = date_format(timezone.localtime(self.aware_at).date(), "j F Y")
        return f"{self.reference} ({aware})"

    @property
    def reference(self) -> str:
        return f"DL-{self.pk:04d}" if self.pk else "DL-"

    @property
    def deadline(self) -> datetime.datetime:
        """The last moment to notify the Autoriteit Persoonsgegevens in time (Art. 33(1))."""
        return self.aware_at + datetime.timedelta(hours=NOTIFICATION_HOURS)

    def is_late(self, at: datetime.datetime) -> bool:
        """Whether a notification made at ``at`` comes after the 72 hours."""
        return at > self.deadline

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def kinds(self) -> list[str]:
        names = ("confidentiality", "integrity", "availability")
        return [str(self._meta.get_field(n).verbose_name) for n in names if getattr(self, n)]


class BreachNotification(models.Model):
    """A notification of a breach to the Autoriteit Persoonsgegevens. Art. 33(4): where not
    everything is known at once, the information may be given in phases: one initial
    notification, then additions."""

    class Phase(models.TextChoices):
        INITIAL = "initial", _("initial notification")
        FOLLOW_UP = "follow-up", _("additional information (Art. 33(4))")

    breach = models.ForeignKey(
        Breach,
        verbose_name=_("personal-data breach"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices)
    sent_at = models.DateTimeField(_("notified at"))
    reference = models.CharField(_("the authority's reference"), max_length=100)
    summary = models.TextField(_("what was reported"), blank=True)
    late_reason = models.TextField(
        _("reasons for the delay"),
        blank=True,
        help_text=_("Art. 33(1): required when the notification comes after the 72 hours."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["breach"],
                condition=models.Q(phase="initial"),
                name="breach_one_initial_notification",
            )
        ]
        verbose_name = _("notification to the Autoriteit Persoonsgegevens")
        verbose_name_plural = _("notifications to the Autoriteit Persoonsgegevens")

    def __str__(self) -> str:
        return f"{self.breach.reference} {self.get_phase_display()} {self.reference}"


@personal_data(
    activity="privacy-administration",
    categories=["breach-records"],
    fields=["subject", "notified_at", "notified_how", "notice_language"],
    erasure=Erasure.anonymise("subject"),
    retention_rule="breach-5y",
    clock="breach__closed_at",
)
class BreachSubject(RestrictableModel):
    """A data subject affected by a breach, and whether and how they were told (Art. 34).

    Erasing the person (or the retention job deleting them) leaves the row without the
    person: the record that someone affected was told stays, the person does not."""

    class How(models.TextChoices):
        EMAIL = "email", _("e-mail sent by the system")
        OTHER = "other", _("another way, recorded by staff")

    breach = models.ForeignKey(
        Breach,
        verbose_name=_("personal-data breach"),
        on_delete=models.CASCADE,
        related_name="subject_links",
    )
    subject = models.ForeignKey(
        "subjects.DataSubject",
        verbose_name=_("data subject"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="breach_links",
    )
    linked_at = models.DateTimeField(_("linked at"), default=timezone.now)
    notified_at = models.DateTimeField(_("told about the breach at"), null=True, blank=True)
    notified_how = models.CharField(
        _("told how"), max_length=10, choices=How.choices, blank=True, default=""
    )
    notice_language = models.CharField(
        _("language of the notice"),
        max_length=2,
        choices=[("nl", _("Dutch")), ("en", _("English"))],
        blank=True,
        default="",
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["breach", "subject"], name="breach_subject_once")
        ]
        verbose_name = _("data subject affected by a breach")
        verbose_name_plural = _("data subjects affected by breaches")

    def __str__(self) -> str:
        return f"{self.breach.reference}: {self.subject or _('erased person')}"


registry.exempt(
    BreachNotification,
    reason="A notification to the supervisory authority: part of its breach record, which "
    "the registry walks; names only the staff member who recorded it.",
    kept=Kept(
        because="The proof that the breach was reported, when and how (Art. 33(1), (4), (5) GDPR).",
        until="Deleted with its breach record (cascade), 5 years after the breach was "
        "closed (rule breach-5y).",
        enforced_by="retention.services.retention_rule_apply",
    ),
)
