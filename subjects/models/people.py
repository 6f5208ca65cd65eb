"""Data subjects, their roles over time, organisations, and the audit trail."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from subjects.registry import Erasure, Kept, RestrictableModel, personal_data, registry


class Organisation(models.Model):
    """A client or supplier organisation. Business data of a legal person; the people
    connected to it are data subjects with a role there."""

    name = models.CharField(_("company name"), max_length=200)
    street_address = models.CharField(_("address"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    phone = models.CharField(_("phone number"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    is_client = models.BooleanField(_("client"), default=False)
    is_supplier = models.BooleanField(_("supplier"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


@personal_data(
    activity="services",
    categories=["contact-details"],
    subject_paths=["pk"],
    fields=["first_name", "last_name", "email", "phone", "street_address", "postcode", "city"],
    provided_by_subject=True,
    kept=Kept(
        because="The person themselves: name and contact details, held while any of their "
        "data, an active role, an open rights request, a legal hold or a restriction "
        "keeps them.",
        until="Deleted by the retention runs once nothing keeps them: with their last row, "
        "after their trajectories end, after their business relationship ends, or once "
        "only an objection to direct marketing is left (that stays as a keyed hash).",
        enforced_by="retention.services.data_subjects_without_purpose_delete",
    ),
)
class DataSubject(RestrictableModel):
    """A natural person about whom Leafspring holds personal data."""

    class Language(models.TextChoices):
        DUTCH = "nl", _("Dutch")
        ENGLISH = "en", _("English")

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail address"), blank=True, db_index=True)
    phone = models.CharField(_("phone number"), max_length=30, blank=True)
    street_address = models.CharField(_("address"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.DUTCH
    )
    marketing_objection_at = models.DateTimeField(
        _("objected to direct marketing at"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Art. 21(3): never again used for direct marketing."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [
            # The admin's list: its ordering (the admin adds -pk), read a page at a time.
            models.Index(fields=["last_name", "first_name", "-id"], name="subjects_ds_name_order"),
            # The restricted people: few, counted on the dashboard, and found without
            # reading everyone by every retention rule (it leaves out the rows of a
            # person an Art. 18 restriction keeps).
            models.Index(
                fields=["restricted_at"],
                condition=models.Q(restricted_at__isnull=False),
                name="subjects_ds_restricted",
            ),
        ]
        verbose_name = _("data subject")
        verbose_name_plural = _("data subjects")
        permissions = [
            ("view_special_category_data", _("Can view special-category (health) data")),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def save(self, *args: object, **kwargs: object) -> None:
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class SubjectRoleQuerySet(models.QuerySet["SubjectRole"]):
    def active_on(self, day: datetime.date) -> SubjectRoleQuerySet:
        """Roles that have not ended before ``day`` (no end date, or ``day`` or later:
        the end date is the role's last day)."""
        return self.filter(models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=day))


@personal_data(
    activity="services",
    categories=["contact-details"],
    fields=["subject", "organisation", "job_title"],
    kept=Kept(
        because="What a person is to Leafspring (client, trainee, supplier contact, ...) "
        "and since when; it says which processing activities apply to them.",
        until="Deleted with its data subject (cascade). An ended role keeps no one; staff "
        "end an open business relationship without records on the retention page.",
        enforced_by="retention.services.data_subjects_without_purpose_delete",
    ),
)
class SubjectRole(RestrictableModel):
    """A data subject's role (client, trainee, mentor, ...) over time, possibly at an
    organisation."""

    subject = models.ForeignKey(
        DataSubject, verbose_name=_("data subject"), on_delete=models.CASCADE, related_name="roles"
    )
    category = models.ForeignKey(
        "processing.SubjectCategory",
        verbose_name=_("category of data subjects"),
        on_delete=models.PROTECT,
        related_name="roles",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="roles",
    )
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    started_on = models.DateField(_("from"), default=timezone.localdate)
    ended_on = models.DateField(_("until"), null=True, blank=True, db_index=True)
    # When Leafspring recorded the role: for a role someone else named the person in (a
    # trainee named by their employer), the moment the data came from that other source,
    # from which the month of Art. 14(3)(a) counts.
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)

    objects = SubjectRoleQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self) -> str:
        return f"{self.subject} – {self.category}"


# The actor label of what no person did: scheduled jobs, the public request pages.
SYSTEM_ACTOR = "system"


def actor_display(label: str) -> str:
    """An actor label as staff read it, in their language."""
    return str(_("system (automatic)")) if label == SYSTEM_ACTOR else label


@personal_data(
    activity="privacy-administration",
    categories=["audit-trail"],
    fields=["subject"],
    erasure=Erasure.anonymise("subject"),
    kept=Kept(
        because="Who did what to whose data and when: the proof of accountability (Art. "
        "5(2) GDPR). An erasure only unlinks the person (their number stays).",
        until="Deleted 5 years after the event (rule audit-5y, through the proxy "
        "retention.models.AuditTrail): the period in which the supervisory authority "
        "may fine (art. 5:45 Awb) and a claim for damages may be brought (art. 3:310 BW).",
        enforced_by="retention.services.retention_rule_apply",
    ),
)
class AuditEvent(models.Model):
    """Who did what to whose data, and when. Holds field names, never the values, so the
    trail survives an erasure without keeping what was erased."""

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(_("by (name)"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=60, db_index=True)
    subject = models.ForeignKey(
        DataSubject,
        verbose_name=_("data subject"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_events",
        db_index=False,  # served by the indexes below, which start with it
    )
    subject_reference = models.CharField(_("data subject number"), max_length=20, blank=True)
    target = models.CharField(_("object"), max_length=200, blank=True)
    changed_fields = models.JSONField(_("changed fields"), default=list, blank=True)
    # What happened, as parameters of the action (codes, numbers, dates, references):
    # rendered in the reader's language by ``subjects.trail``.
    params = models.JSONField(_("parameters"), default=dict, db_default={}, blank=True)
    note = models.TextField(
        _("note"), blank=True, help_text=_("What the staff member wrote, as they wrote it.")
    )

    class Meta:
        ordering = ["-at"]
        indexes = [
            # A person's events a page at a time, read from the index without sorting
            # them all: in the order of their keys (the registry's list on the person's
            # page) and newest first (the trail at the bottom of it).
            models.Index(fields=["subject", "id"], name="subjects_ae_subject_id"),
            models.Index(fields=["subject", "at", "id"], name="subjects_ae_subject_at"),
        ]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit trail")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_display}: {self.what}"

    @property
    def actor_display(self) -> str:
        return actor_display(self.actor_label)

    @property
    def what(self) -> str:
        """What happened, as a sentence in the active language."""
        from subjects.trail import trail_text

        rendered = getattr(self, "rendered", None)
        return rendered if rendered is not None else trail_text(self.action, self.params)

    @property
    def target_display(self) -> str:
        from subjects.trail import target_display

        return target_display(self.target)

    @property
    def changed_fields_display(self) -> str:
        from subjects.trail import changed_fields_display

        return changed_fields_display(self.target, self.changed_fields)


registry.not_personal(
    Organisation,
    reason="Business data of a legal person; its contact persons are data subjects with a role.",
)
