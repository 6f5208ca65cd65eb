"""Data subjects, organisations and the personal data the privacy statement names.

Each model with personal data carries its ``@personal_data`` declaration (see
``subjects.registry``): the one place that says why it is held, how long, and how it is
erased. Writes go through ``subjects.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from subjects.fields import EncryptedTextField
from subjects.registry import Erasure, RestrictableModel, personal_data, registry


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
        help_text=_("Art. 21(3): never again used for direct marketing."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name"]
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


@personal_data(
    activity="services",
    categories=["contact-details"],
    fields=["subject", "organisation", "job_title"],
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
    ended_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["-started_on"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self) -> str:
        return f"{self.subject} – {self.category}"


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
    activity="traineeship-organisations",
    categories=["contract-data"],
    subject_paths=["coach"],
    fields=["coach"],
    erasure=Erasure.anonymise("coach"),
)
class Trajectory(RestrictableModel):
    """A traineeship or coaching trajectory: organisation, participants, mentor, coach."""

    class Kind(models.TextChoices):
        TRAINEESHIP = "traineeship", _("traineeship")
        COACHING = "coaching", _("coaching")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trajectories",
    )
    coach = models.ForeignKey(
        DataSubject,
        verbose_name=_("trainer/coach"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coached_trajectories",
    )
    started_on = models.DateField(_("start"))
    ended_on = models.DateField(_("end"), null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-started_on"]
        verbose_name = _("trajectory")
        verbose_name_plural = _("trajectories")

    def __str__(self) -> str:
        return self.title


@personal_data(
    activity="traineeship-participants",
    categories=["contract-data"],
    subject_paths=["participant", "mentor"],
    fields=["participant", "mentor"],
)
class TrajectoryParticipant(RestrictableModel):
    """A participant (trainee or coachee) in a trajectory, with their mentor."""

    trajectory = models.ForeignKey(
        Trajectory,
        verbose_name=_("trajectory"),
        on_delete=models.CASCADE,
        related_name="participants",
    )
    participant = models.ForeignKey(
        DataSubject,
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="participations",
    )
    mentor = models.ForeignKey(
        DataSubject,
        verbose_name=_("mentor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentorships",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["trajectory", "participant"], name="one_participation_per_trajectory"
            )
        ]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")

    def __str__(self) -> str:
        return f"{self.participant} – {self.trajectory}"


@personal_data(
    activity="traineeship-participants",
    categories=["profile", "health"],
    subject_paths=["participation__participant"],
    fields=["job_title", "education", "work_experience", "allergies"],
    retention_rule="coaching-end",
    clock="participation__trajectory__ended_on",
    provided_by_subject=True,
)
class TraineeProfile(RestrictableModel):
    """What a trainee tells us for the programme; allergies are health data (Art. 9),
    processed with explicit consent and encrypted at rest."""

    participation = models.OneToOneField(
        TrajectoryParticipant,
        verbose_name=_("participation"),
        on_delete=models.CASCADE,
        related_name="profile",
    )
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    education = models.TextField(_("education"), blank=True)
    work_experience = models.TextField(_("work experience"), blank=True)
    allergies = EncryptedTextField(_("allergies"), blank=True)

    class Meta:
        verbose_name = _("trainee profile")
        verbose_name_plural = _("trainee profiles")

    def __str__(self) -> str:
        return str(self.participation)


@personal_data(
    activity="traineeship-participants",
    categories=["coaching-content"],
    subject_paths=["participant"],
    fields=["content"],
    retention_rule="coaching-end",
    clock="trajectory__ended_on",
)
class CoachingNote(RestrictableModel):
    """Notes of a coaching conversation; may reveal health, so encrypted at rest. Deleted
    at the end of the trajectory."""

    trajectory = models.ForeignKey(
        Trajectory, verbose_name=_("trajectory"), on_delete=models.CASCADE, related_name="notes"
    )
    participant = models.ForeignKey(
        DataSubject,
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="coaching_notes",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    written_at = models.DateTimeField(_("written at"), default=timezone.now)
    content = EncryptedTextField(_("content"))

    class Meta:
        ordering = ["-written_at"]
        verbose_name = _("coaching note")
        verbose_name_plural = _("coaching notes")

    def __str__(self) -> str:
        return f"{self.participant} {self.written_at:%Y-%m-%d}"


@personal_data(
    activity="coaching-monitor",
    categories=["contact-details", "demographics", "questionnaire"],
    fields=["subject", "initials", "gender", "age", "highest_education", "marital_status"],
    erasure=Erasure.anonymise(
        "subject", "initials", "gender", "age", "highest_education", "marital_status"
    ),
    retention_rule="monitor-end",
    clock="trajectory__ended_on",
    provided_by_subject=True,
)
class CoachingMonitorParticipation(RestrictableModel):
    """Participation in the Coaching Monitor. Demographics only after explicit consent;
    at the end of the trajectory the person is unlinked and the answers anonymised."""

    subject = models.ForeignKey(
        DataSubject,
        verbose_name=_("data subject"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="monitor_participations",
    )
    trajectory = models.ForeignKey(
        Trajectory,
        verbose_name=_("trajectory"),
        on_delete=models.CASCADE,
        related_name="monitor_participations",
    )
    invited_at = models.DateTimeField(_("invited at"), default=timezone.now)
    demographics_consent_at = models.DateTimeField(
        _("consent for demographics given at"), null=True, blank=True
    )
    research_consent = models.BooleanField(_("consent for anonymised research"), default=False)
    initials = models.CharField(_("initials"), max_length=20, blank=True)
    gender = models.CharField(_("gender"), max_length=30, blank=True)
    age = models.PositiveSmallIntegerField(_("age"), null=True, blank=True)
    highest_education = models.CharField(_("highest education"), max_length=100, blank=True)
    marital_status = models.CharField(_("marital status"), max_length=50, blank=True)
    answers = models.JSONField(_("questionnaire answers"), default=dict, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Coaching Monitor participation")
        verbose_name_plural = _("Coaching Monitor participations")

    def __str__(self) -> str:
        return f"{self.subject or _('anonymised')} – {self.trajectory}"


@personal_data(
    activity="certification-research",
    categories=["evaluation"],
    subject_paths=[],
    fields=["comments"],
    retention_rule="nobco-5y",
    clock="evaluated_on",
)
class ClientEvaluation(models.Model):
    """An anonymised client evaluation, kept at most 5 years for NOBCO certification."""

    trajectory_kind = models.CharField(
        _("kind of trajectory"), max_length=20, choices=Trajectory.Kind.choices
    )
    evaluated_on = models.DateField(_("evaluated on"), db_index=True)
    score = models.PositiveSmallIntegerField(_("score (1-10)"))
    comments = models.TextField(_("comments"), blank=True)

    class Meta:
        ordering = ["-evaluated_on"]
        verbose_name = _("anonymised evaluation")
        verbose_name_plural = _("anonymised evaluations")

    def __str__(self) -> str:
        return f"{self.evaluated_on} ({self.score})"


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
class E2GrowAccount(ToolAccount):
    """An E2Grow account: work details and the strengths profile, visible to colleagues by
    default with explicit consent; the person can change that."""

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
        default=True,
        help_text=_("Visible by default with explicit consent; the person can change it."),
    )

    class Meta(ToolAccount.Meta):
        verbose_name = _("E2Grow account")
        verbose_name_plural = _("E2Grow accounts")


@personal_data(
    activity="invoicing",
    categories=["contact-details", "financial"],
    fields=[
        "subject",
        "billing_name",
        "street_address",
        "postcode",
        "city",
        "email",
        "bank_account",
        "account_holder",
    ],
    retention_rule="fiscal-7y",
    clock="issued_on",
    legal_hold="fiscal",
)
class Invoice(RestrictableModel):
    """An invoice with billing details and the paying bank account: bookkeeping, kept 7
    years after the end of the book year (art. 52 AWR), even against an erasure request."""

    number = models.CharField(_("invoice number"), max_length=30, unique=True)
    subject = models.ForeignKey(
        DataSubject,
        verbose_name=_("data subject"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoices",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoices",
    )
    issued_on = models.DateField(_("invoice date"), db_index=True)
    billing_name = models.CharField(_("(company) name"), max_length=200)
    street_address = models.CharField(_("address"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=10)
    city = models.CharField(_("city"), max_length=100)
    email = models.EmailField(_("e-mail address"))
    amount = models.DecimalField(_("amount (EUR)"), max_digits=10, decimal_places=2)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    bank_account = models.CharField(_("bank account (IBAN)"), max_length=34, blank=True)
    account_holder = models.CharField(_("account holder"), max_length=200, blank=True)

    class Meta:
        ordering = ["-issued_on"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")

    def __str__(self) -> str:
        return self.number


@personal_data(
    activity="suppliers",
    categories=["contact-details", "financial"],
    subject_paths=["contact"],
    fields=["contact", "kvk_number", "vat_number", "bank_account", "account_holder"],
    retention_rule="fiscal-7y",
    clock="last_invoice_on",
    legal_hold="fiscal",
)
class SupplierDetails(RestrictableModel):
    """Invoice details of a supplier (such as a self-employed trainer/coach): KvK, VAT and
    bank account. Fiscal records, kept 7 years."""

    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="supplier_details",
    )
    contact = models.ForeignKey(
        DataSubject,
        verbose_name=_("contact person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supplier_details",
    )
    kvk_number = models.CharField(_("Chamber of Commerce number"), max_length=20)
    vat_number = models.CharField(_("VAT number"), max_length=20, blank=True)
    bank_account = models.CharField(_("bank account (IBAN)"), max_length=34)
    account_holder = models.CharField(_("account holder"), max_length=200)
    last_invoice_on = models.DateField(_("last invoice"), default=timezone.localdate)

    class Meta:
        verbose_name = _("supplier details")
        verbose_name_plural = _("supplier details")

    def __str__(self) -> str:
        return str(self.organisation)


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


registry.exempt(
    Organisation,
    reason="Business data of a legal person; its contact persons are data subjects with a role.",
)


@personal_data(
    activity="privacy-administration",
    categories=["audit-trail"],
    fields=["subject"],
    erasure=Erasure.anonymise("subject"),
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
    )
    subject_reference = models.CharField(_("data subject number"), max_length=20, blank=True)
    target = models.CharField(_("object"), max_length=200, blank=True)
    changed_fields = models.JSONField(_("changed fields"), default=list, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit trail")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"
