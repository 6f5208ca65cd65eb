"""Website visits, contact messages, business e-mail, brochure requests, the newsletter
and study-trip referrals."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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
    received_at = models.DateTimeField(_("received at"), default=timezone.now, db_index=True)
    next_review_on = models.DateField(_("next review on"), null=True, blank=True)
    keep_reason = models.CharField(_("reason to keep"), max_length=300, blank=True)

    class Meta:
        ordering = ["-received_at"]
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
        verbose_name = _("business e-mail")
        verbose_name_plural = _("business e-mails")

    def __str__(self) -> str:
        return self.subject_line


@personal_data(
    activity="brochure",
    categories=["contact-details"],
    fields=["first_name", "last_name", "phone", "email"],
    retention_rule="brochure-3m",
    clock="requested_at",
    provided_by_subject=True,
    email_field="email",
)
class BrochureRequest(RestrictableModel):
    """A brochure request: the brochure is sent, follow-up contact within 3 months."""

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
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now, db_index=True)
    brochure_sent_at = models.DateTimeField(_("brochure sent at"), null=True, blank=True)
    followed_up_at = models.DateTimeField(_("followed up at"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("brochure request")
        verbose_name_plural = _("brochure requests")

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} ({self.requested_at:%Y-%m-%d})"


@personal_data(
    activity="newsletter",
    categories=["contact-details"],
    fields=["subject", "email"],
    retention_rule="unsubscribe-6w",
    clock="unsubscribed_at",
    provided_by_subject=True,
)
class NewsletterSubscription(RestrictableModel):
    """A newsletter subscription: by consent, or soft opt-in for clients (Art. 6(1)(f))."""

    class Basis(models.TextChoices):
        CONSENT = "consent", _("explicit consent")
        SOFT_OPT_IN = "soft-opt-in", _("client: direct marketing (legitimate interest)")

    subject = models.ForeignKey(
        DataSubject,
        verbose_name=_("data subject"),
        on_delete=models.CASCADE,
        related_name="newsletter_subscriptions",
    )
    email = models.EmailField(_("e-mail address"))
    basis = models.CharField(_("basis"), max_length=20, choices=Basis.choices)
    subscribed_at = models.DateTimeField(_("subscribed at"), default=timezone.now)
    unsubscribed_at = models.DateTimeField(
        _("unsubscribed at"), null=True, blank=True, db_index=True
    )
    unsubscribe_token = models.CharField(_("unsubscribe token"), max_length=64, unique=True)

    class Meta:
        ordering = ["-subscribed_at"]
        verbose_name = _("newsletter subscription")
        verbose_name_plural = _("newsletter subscriptions")

    def __str__(self) -> str:
        return self.email

    @property
    def is_active(self) -> bool:
        return self.unsubscribed_at is None


@personal_data(
    activity="study-trips",
    categories=["contact-details"],
    fields=["subject", "company_name"],
)
class StudyTripReferral(RestrictableModel):
    """Contact details passed to MeetIn for a study trip, only with explicit consent."""

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
    shared_at = models.DateTimeField(_("shared with MeetIn at"), default=timezone.now)

    class Meta:
        ordering = ["-shared_at"]
        verbose_name = _("study trip referral")
        verbose_name_plural = _("study trip referrals")

    def __str__(self) -> str:
        return f"{self.subject} ({self.shared_at:%Y-%m-%d})"
