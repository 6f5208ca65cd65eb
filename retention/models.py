"""Retention rules, legal holds and the log of every retention run.

The rules of the privacy statement are loaded by a data migration; the scheduled jobs
(``retention.tasks``) apply them and write a ``RetentionRun`` for every run.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leafspring.translation import BilingualMixin
from subjects.models import AuditEvent, CoachingMonitorParticipation
from subjects.registry import Kept, personal_data, registry


class RetentionRule(BilingualMixin, models.Model):
    """How long one kind of personal data may be kept, and what happens then."""

    class Unit(models.TextChoices):
        DAYS = "days", _("days")
        WEEKS = "weeks", _("weeks")
        MONTHS = "months", _("months")
        YEARS = "years", _("years")

    class Anchor(models.TextChoices):
        EVENT = "event", _("the event itself")
        END_OF_BOOK_YEAR = "end-of-book-year", _("the end of the book year")

    class Action(models.TextChoices):
        DELETE = "delete", _("delete")
        ANONYMISE = "anonymise", _("anonymise")
        REVIEW = "review", _("staff review")
        NEVER_STORED = "never-stored", _("never stored")

    key = models.SlugField(_("key"), unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_nl = models.TextField(_("description (Dutch)"))
    description_en = models.TextField(_("description (English)"))
    limit_value = models.PositiveIntegerField(_("limit"), default=0)
    limit_unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.DAYS)
    clock_anchor = models.CharField(
        _("clock starts at"), max_length=20, choices=Anchor.choices, default=Anchor.EVENT
    )
    clock_description_nl = models.CharField(_("clock starts (Dutch)"), max_length=200)
    clock_description_en = models.CharField(_("clock starts (English)"), max_length=200)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    run_every_hours = models.PositiveIntegerField(
        _("runs every (hours)"),
        default=24,
        help_text=_("Rows that would pass their limit before the next run are handled now."),
    )
    review_every_days = models.PositiveIntegerField(
        _("review cadence (days)"), null=True, blank=True
    )
    legal_article = models.CharField(_("legal source"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    activities = models.ManyToManyField(
        "processing.ProcessingActivity",
        verbose_name=_("processing activities"),
        related_name="retention_rules",
        blank=True,
    )

    class Meta:
        ordering = ["key"]
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")

    def __str__(self) -> str:
        return f"{self.key}: {self.tr('name')}"

    @property
    def limit(self) -> relativedelta:
        return relativedelta(**{self.limit_unit: self.limit_value})

    def expiry(self, clock: date | datetime) -> date | datetime:
        """When a row whose clock started at ``clock`` must be gone."""
        if self.clock_anchor == self.Anchor.END_OF_BOOK_YEAR:
            year_end = date(clock.year, 12, 31)
            return year_end + self.limit
        return clock + self.limit

    def next_run_margin(self) -> timedelta:
        return timedelta(hours=self.run_every_hours)


class LegalHoldQuerySet(models.QuerySet["LegalHold"]):
    def in_force(self, today: date) -> LegalHoldQuerySet:
        """Specific holds on a data subject that have not ended by ``today``."""
        return self.filter(subject__isnull=False, held_until__gte=today)


class LegalHold(BilingualMixin, models.Model):
    """A legal obligation or claim that overrides erasure (Art. 17(3)(b) and (e)).

    A statutory hold (such as the 7-year fiscal duty) names the retention rule whose
    period it lasts; a specific hold names a data subject and a date.
    """

    key = models.SlugField(_("key"), unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    ground_nl = models.TextField(_("legal ground (Dutch)"))
    ground_en = models.TextField(_("legal ground (English)"))
    article = models.CharField(_("article"), max_length=100)
    retention_rule = models.ForeignKey(
        RetentionRule,
        verbose_name=_("lasts as long as rule"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="legal_holds",
    )
    subject = models.ForeignKey(
        "subjects.DataSubject",
        verbose_name=_("data subject"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="legal_holds",
    )
    held_until = models.DateField(_("held until"), null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = LegalHoldQuerySet.as_manager()

    class Meta:
        ordering = ["key"]
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(retention_rule__isnull=False)
                | models.Q(subject__isnull=False, held_until__isnull=False),
                name="legal_hold_has_a_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.tr('name')} ({self.article})"


class RetentionRun(models.Model):
    """One application of a retention rule: what was done, when, and how it ended."""

    class Outcome(models.TextChoices):
        RUNNING = "running", _("running")
        SUCCESS = "success", _("success")
        FAILED = "failed", _("failed")
        DRY_RUN = "dry-run", _("dry run")

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", _("schedule")
        COMMAND = "command", _("management command")
        STAFF = "staff", _("staff")

    rule = models.ForeignKey(
        RetentionRule,
        verbose_name=_("retention rule"),
        on_delete=models.PROTECT,
        related_name="runs",
    )
    trigger = models.CharField(
        _("triggered by"), max_length=20, choices=Trigger.choices, default=Trigger.SCHEDULE
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    cutoff = models.DateTimeField(
        _("cut-off"),
        null=True,
        blank=True,
        help_text=_(
            "Rows whose retention limit passes before this moment were handled: the start "
            "of the run plus the rule's interval, so nothing outlives its limit until the "
            "next run."
        ),
    )
    rows_affected = models.JSONField(_("rows per model"), default=dict, blank=True)
    total_rows = models.PositiveIntegerField(_("rows affected"), default=0)
    due_for_review = models.PositiveIntegerField(
        _("due for review"),
        null=True,
        blank=True,
        help_text=_(
            "Review rules: rows whose review date has come (the run deletes nothing). Rules "
            "that delete or anonymise: rows past their limit that an Art. 18 restriction "
            "keeps for the person; they wait in the review queue until it is lifted."
        ),
    )
    duration_seconds = models.FloatField(_("duration (s)"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.RUNNING
    )
    error = models.TextField(_("error"), blank=True)
    heartbeat_at = models.DateTimeField(
        _("last sign of life"),
        null=True,
        blank=True,
        help_text=_(
            "Written while the run works (with its counts, at least every batch). A run "
            "still marked running without a sign of life for 10 minutes was cut off."
        ),
    )
    # The highest primary keys of the tables whose new rows may leave a person without a
    # purpose, when the run started: the next run judges the people of rows added since
    # (``retention.selectors.people_changed_since``). Empty for a run that judges no one.
    marks = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")

    def __str__(self) -> str:
        return f"{self.rule.key} {self.started_at:%Y-%m-%d %H:%M} {self.outcome}"


registry.exempt(
    LegalHold,
    reason="A specific hold names a data subject only as the legal ground to keep their data "
    "(Art. 17(3)(e)); it is not erased with it and ends on its own date.",
    kept=Kept(
        because="The legal ground to keep a person's data despite erasure or a retention "
        "limit (Art. 17(3)(b), (e)).",
        until="A specific hold stops keeping anything on its own end date; its row goes "
        "with its data subject (cascade), whom nothing keeps once the hold has ended.",
        enforced_by="retention.services.data_subjects_without_purpose_delete",
    ),
)
registry.not_personal(
    RetentionRule, reason="A rule of the register: a limit and what happens then."
)
registry.not_personal(
    RetentionRun,
    reason="What a run did: the rule, when, and how many rows per model; never a value.",
)


class IdleRelationship(models.Model):
    """For the retention page only: an open business relationship of someone we held
    nothing else for when rule fiscal-7y last ran (``retention.selectors.
    open_relationships_shown``). The page shows these and whoever changed since, each
    judged again from the source data; nothing is ever deleted or ended because a row is
    here."""

    role = models.OneToOneField(
        "subjects.SubjectRole", on_delete=models.CASCADE, related_name="+", primary_key=True
    )

    class Meta:
        verbose_name = _("open relationship without records")
        verbose_name_plural = _("open relationships without records")

    def __str__(self) -> str:
        return str(self.role_id)


registry.exempt(
    IdleRelationship,
    reason="Only points at a role, for the retention page to show; the role and its person "
    "are walked through their own entries.",
    kept=Kept(
        because="Which open business relationships the retention page asks staff about, "
        "as the daily run of fiscal-7y last judged them.",
        until="Replaced by every run of fiscal-7y; gone with its role (cascade).",
        enforced_by="retention.services.retention_rule_apply",
    ),
)


class AnonymisedMonitorAnswersManager(models.Manager["AnonymisedMonitorAnswers"]):
    def get_queryset(self) -> models.QuerySet[AnonymisedMonitorAnswers]:
        return super().get_queryset().filter(anonymised_at__isnull=False)


@personal_data(
    activity="certification-research",
    categories=["evaluation"],
    subject_paths=[],
    fields=["answers"],
    retention_rule="nobco-5y",
    clock="anonymised_at",
)
class AnonymisedMonitorAnswers(CoachingMonitorParticipation):
    """The Coaching Monitor participations anonymised for research at the end of their
    trajectory (rule monitor-end, only with consent for research): no person, trajectory,
    dates or demographics, only the answers on a scale. Like the other anonymised client
    evaluations they are kept at most 5 years, counted from the anonymisation (rule
    nobco-5y). A proxy, so the one table has a second registry entry with its own rule
    and clock."""

    objects = AnonymisedMonitorAnswersManager()

    class Meta:
        proxy = True
        verbose_name = _("anonymised Coaching Monitor answers")
        verbose_name_plural = _("anonymised Coaching Monitor answers")


class AuditTrailManager(models.Manager["AuditTrail"]):
    def get_queryset(self) -> models.QuerySet[AuditTrail]:
        """The audit trail, except the events about a data subject under a specific legal
        hold (the trail may be evidence in the claim the hold is for)."""
        return (
            super()
            .get_queryset()
            .exclude(subject__legal_holds__held_until__gte=timezone.localdate())
        )


@personal_data(
    activity="privacy-administration",
    categories=["audit-trail"],
    subject_paths=[],
    kept_through=["subject"],
    fields=["subject", "subject_reference", "target", "note"],
    retention_rule="audit-5y",
    clock="at",
)
class AuditTrail(AuditEvent):
    """The audit trail as retention sees it: every event is deleted 5 years after it
    happened (rule audit-5y), the period in which the supervisory authority may fine
    (art. 5:45 Awb) and a claim for damages may be brought (art. 3:310 BW). A proxy, so
    the table has a rule of its own while an erasure request still only unlinks the
    person from their events (``AuditEvent``'s registry entry)."""

    objects = AuditTrailManager()

    class Meta:
        proxy = True
        verbose_name = _("audit trail (retention)")
        verbose_name_plural = _("audit trail (retention)")
