"""Website visits, contact messages, business e-mail, brochure requests and study-trip
referrals (the newsletter is in ``subjects.models.newsletter``)."""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from subjects.consent_guard import ConsentGuardedModel, ConsentNeed, Withdrawal
from subjects.models.people import DataSubject
from subjects.registry import RestrictableModel, personal_data


@personal_data(
    activity="website-security",
    categories=["technical-data"],
    subject_paths=[],
    fields=["ip_address", "operating_system", "browser"],
    retention_rule="ip-4w",
    clock="visited_at",
)
class WebsiteVisit(models.Model):
    """A visit to the public site, kept to fight internet crime (legitimate interest).
    Not linked to a person; deleted at most 4 weeks after the visit."""

    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    operating_system = models.CharField(_("operating system"), max_length=100, blank=True)
    browser = models.CharField(_("browser"), max_length=100, blank=True)
    path = models.CharField(_("page"), max_length=300, blank=True)
    visited_at = models.DateTimeField(_("visited at"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-visited_at"]
        verbose_name = _("website visit")
        verbose_name_plural = _("website visits")

    def __str__(self) -> str:
        return f"{self.ip_address} {self.visited_at:%Y-%m-%d %H:%M}"


@personal_data(
    activity="contact-form",
    categories=["contact-details", "correspondence"],
    fields=["first_name", "last_name", "phone", "email", "message"],
    retention_rule="contact-review",
    clock="received_at",
    provided_by_subject=True,
    email_field="email",
)
class ContactMessage(RestrictableModel):
    """A contact-form message or an e-mail received; reviewed at a set cadence and deleted
    when no longer needed."""

    class Channel(models.TextChoices):
        FORM = "form", _("contact form")
        EMAIL = "email", _("e-mail")

    subject = models.ForeignKey(
        DataSubject,
        verbose_name=_("data subject"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contact_messages",
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    phone = models.CharField(_("phone number"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    message = models.TextField(_("message"), blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=DataSubject.Language.choices, default="nl"
    )
    received_at = models.DateTimeField(_("received at"), default=timezone.now, db_index=True)
    next_review_on = models.DateField(_("next review on"), null=True, blank=True)
    keep_reason = models.CharField(_("reason to keep"), max_length=300, blank=True)

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            # A person's messages a page at a time in the order of their keys (the
            # person's page), read from the index without sorting them all. The
            # subject keeps its own index for counting them (and the restricted ones):
            # PostgreSQL costs that read of the table higher through a two-column
            # index, high enough to start parallel workers that cost more than it.
            models.Index(fields=["subject", "id"], name="subjects_cm_subject_id"),
            # The review queue and its count on the dashboard: review date come, or never
            # reviewed and received long enough ago.
            models.Index(fields=["next_review_on"], name="subjects_cm_next_review"),
            models.Index(
                fields=["received_at"],
                condition=models.Q(next_review_on__isnull=True),
                name="subjects_cm_never_reviewed",
            ),
        ]
        verbose_name = _("contact message")
        verbose_name_plural = _("contact messages")

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} ({self.received_at:%Y-%m-%d})"


@personal_data(
    activity="email-correspondence",
    categories=["contact-details", "correspondence"],
    fields=["subject", "counterpart_email", "subject_line", "body"],
    retention_rule="fiscal-7y",
    clock="sent_at",
    legal_hold="fiscal",
    email_field="counterpart_email",
)
class Correspondence(RestrictableModel):
    """A business e-mail (bookkeeping record: kept 7 years, art. 52 AWR)."""

    class Direction(models.TextChoices):
        INCOMING = "in", _("incoming")
        OUTGOING = "out", _("outgoing")

    subject = models.ForeignKey(
        DataSubject,
        verbose_name=_("data subject"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correspondence",
    )
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    counterpart_email = models.EmailField(_("e-mail address"))
    subject_line = models.CharField(_("subject line"), max_length=300)
    body = models.TextField(_("content"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-sent_at"]
        indexes = [
            # A person's e-mails a page at a time in the order of their keys (the
            # person's page), read from the index without sorting them all. The
            # subject keeps its own index for counting them (and the restricted ones):
            # PostgreSQL costs that read of the table higher through a two-column
            # index, high enough to start parallel workers that cost more than it.
            models.Index(fields=["subject", "id"], name="subjects_corr_subject_id"),
        ]
        verbose_name = _("business e-mail")
        verbose_name_plural = _("business e-mails")

    def __str__(self) -> str:
        return self.subject_line


@personal_data(
    activity="brochure",
    categories=["contact-details"],
    fields=["first_name", "last_name", "phone", "email", "follow_up_note"],
    retention_rule="brochure-3m",
    clock="requested_at",
    provided_by_subject=True,
    email_field="email",
)
class BrochureRequest(ConsentGuardedModel, RestrictableModel):
    """A brochure request. Sending the brochure rests on the request itself (Art.
    6(1)(b)); a call about the traineeship within 3 months only with the separate consent
    for it (``call_consent``: telemarketing needs consent). The phone number is only for
    that call: it rests on the consent and goes when it is withdrawn. Deleted after 3
    months (rule brochure-3m)."""

    FOLLOW_UP_MONTHS = 3
    consent_needs = (ConsentNeed("brochure-call", ("phone",)),)

    subject = models.ForeignKey(
        DataSubject,
        verbose_name=_("data subject"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="brochure_requests",
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    phone = models.CharField(_("phone number"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail address"))
    language = models.CharField(
        _("language"), max_length=2, choices=DataSubject.Language.choices, default="nl"
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now, db_index=True)
    brochure_sent_at = models.DateTimeField(_("brochure sent at"), null=True, blank=True)
    call_consent = models.ForeignKey(
        "processing.Consent",
        verbose_name=_("consent to be called"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    followed_up_at = models.DateTimeField(_("followed up at"), null=True, blank=True)
    followed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("followed up by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    follow_up_note = models.TextField(_("follow-up note"), blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("brochure request")
        verbose_name_plural = _("brochure requests")

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} ({self.requested_at:%Y-%m-%d})"

    @property
    def follow_up_due_at(self) -> datetime.datetime:
        """The last moment of the follow-up: 3 months after the request."""
        # Counted on the calendar where the request was made (Europe/Amsterdam), so a
        # change of summer time does not move the deadline by an hour.
        local = timezone.localtime(self.requested_at)
        return local + relativedelta(months=self.FOLLOW_UP_MONTHS)

    @property
    def may_be_called(self) -> bool:
        """Whether Leafspring may still call: an active consent to be called, and the 3
        months not yet over."""
        consent = self.call_consent
        return (
            consent is not None
            and consent.withdrawn_at is None
            and timezone.now() < self.follow_up_due_at
        )


@personal_data(
    activity="study-trips",
    categories=["contact-details"],
    fields=["subject", "company_name"],
    retention_rule="meetin-3m",
    clock="shared_at",
)
class StudyTripReferral(ConsentGuardedModel, RestrictableModel):
    """Contact details passed to MeetIn for a study trip, only with the person's active
    consent for it. Withdrawing the consent deletes the referral; one already passed on
    (``shared_at``) also becomes a task to tell MeetIn (Art. 19). Passed on, it has done
    its work: it is deleted 3 months after ``shared_at`` (rule meetin-3m)."""

    consent_needs = (
        ConsentNeed(
            "meetin",
            withdrawal=Withdrawal.DELETE,
            recipient="meetin",
            recipient_holds=(("shared_at__isnull", False),),
            instruction=_("Ask to delete the details Leafspring passed on for study trips"),
        ),
    )

    subject = models.ForeignKey(
        DataSubject,
        verbose_name=_("data subject"),
        on_delete=models.CASCADE,
        related_name="study_trip_referrals",
    )
    consent = models.ForeignKey(
        "processing.Consent",
        verbose_name=_("consent"),
        on_delete=models.PROTECT,
        related_name="study_trip_referrals",
    )
    company_name = models.CharField(_("company name"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    shared_at = models.DateTimeField(_("passed on to MeetIn at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("study trip referral")
        verbose_name_plural = _("study trip referrals")

    def __str__(self) -> str:
        return f"{self.subject} ({self.created_at:%Y-%m-%d})"

    def consents_missing(self) -> dict[str, list[str]]:
        missing = super().consents_missing()
        consent = self.consent if self.consent_id else None
        if consent is not None and (
            consent.purpose != "meetin"
            or consent.subject_id != self.subject_id
            or consent.withdrawn_at is not None
        ):
            missing.setdefault("consent", []).append(
                str(_("Choose this person's active consent for passing details to MeetIn."))
            )
        return missing
