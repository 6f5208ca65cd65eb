"""The register of processing activities (Art. 30(1) GDPR) and consents (Art. 7).

The rows are loaded from the privacy statement by a data migration; staff keep them up to
date in the admin. Wording is stored in Dutch and English.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from leafspring.translation import BilingualMixin
from processing.storage import agreement_storage, agreement_upload_to
from subjects.registry import Kept, RestrictableModel, personal_data, registry


class Controller(models.Model):
    """The controller (Art. 4(7)) and the supervisory authority for complaints."""

    name = models.CharField(_("name"), max_length=200)
    street_address = models.CharField(_("address"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=10)
    city = models.CharField(_("city"), max_length=100)
    email = models.EmailField(_("e-mail address"))
    phone = models.CharField(_("phone number"), max_length=30)
    kvk_number = models.CharField(_("Chamber of Commerce number"), max_length=20)
    authority_name = models.CharField(_("supervisory authority"), max_length=200)
    authority_address = models.CharField(_("supervisory authority address"), max_length=300)
    authority_url = models.URLField(_("supervisory authority website"), blank=True)
    statement_date = models.DateField(_("privacy statement date"))

    class Meta:
        verbose_name = _("controller")
        verbose_name_plural = _("controller")

    def __str__(self) -> str:
        return self.name


class LegalBasis(BilingualMixin, models.Model):
    """One of the six lawful bases of Art. 6(1) GDPR."""

    code = models.CharField(_("code"), max_length=1, unique=True)
    article = models.CharField(_("article"), max_length=30)
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        ordering = ["code"]
        verbose_name = _("legal basis")
        verbose_name_plural = _("legal bases")

    def __str__(self) -> str:
        return f"{self.article}: {self.tr('name')}"


class SubjectCategory(BilingualMixin, models.Model):
    key = models.SlugField(_("key"), unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    class Meta:
        ordering = ["name_nl"]
        verbose_name = _("category of data subjects")
        verbose_name_plural = _("categories of data subjects")

    def __str__(self) -> str:
        return self.tr("name")


class DataCategory(BilingualMixin, models.Model):
    key = models.SlugField(_("key"), unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    is_special_category = models.BooleanField(
        _("special category (Art. 9)"),
        default=False,
        help_text=_("Health data and other special categories: encrypted at rest."),
    )

    class Meta:
        ordering = ["name_nl"]
        verbose_name = _("category of personal data")
        verbose_name_plural = _("categories of personal data")

    def __str__(self) -> str:
        return self.tr("name")


class Recipient(BilingualMixin, models.Model):
    """A processor or controller that receives personal data (Art. 30(1)(d)), with the
    written agreement Leafspring has with it (Art. 28(3), 26), the evidence for a transfer
    outside the EEA (Chapter V) and, in ``checks``, how compliance is monitored.

    The agreement document lives in private storage (``processing.storage``), never under
    MEDIA: staff reach it only through a permission-checked view."""

    class Kind(models.TextChoices):
        PROCESSOR = "processor", _("processor")
        CONTROLLER = "controller", _("independent controller")
        JOINT_CONTROLLER = "joint-controller", _("joint controller (Art. 26)")

    class TransferMechanism(models.TextChoices):
        NONE = "none", _("no transfer outside the EEA")
        ADEQUACY = "adequacy", _("adequacy decision (Art. 45)")
        DPF = "dpf", _("EU-US Data Privacy Framework (Art. 45)")
        SCC = "scc", _("standard contractual clauses (Art. 46(2)(c))")
        ART49 = "art49", _("derogation for a specific situation (Art. 49)")

    class SccModule(models.TextChoices):
        NONE = "", _("no standard contractual clauses")
        C2C = "1", _("module 1: controller to controller")
        C2P = "2", _("module 2: controller to processor")
        P2P = "3", _("module 3: processor to processor")
        P2C = "4", _("module 4: processor to controller")

    key = models.SlugField(_("key"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("role"), max_length=20, choices=Kind.choices)
    role_note_nl = models.TextField(
        _("role explained (Dutch)"),
        blank=True,
        help_text=_(
            "Where the role differs per purpose, e.g. a processor that is a "
            "controller for its own research."
        ),
    )
    role_note_en = models.TextField(_("role explained (English)"), blank=True)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    country = models.CharField(_("country"), max_length=100)
    country_en = models.CharField(_("country (English)"), max_length=100, blank=True)
    outside_eea = models.BooleanField(_("outside the EEA"), default=False)
    transfer_mechanism = models.CharField(
        _("transfer mechanism"),
        max_length=20,
        choices=TransferMechanism.choices,
        default=TransferMechanism.NONE,
    )
    dpf_checked_on = models.DateField(
        _("Data Privacy Framework certification checked on"),
        null=True,
        blank=True,
        help_text=_("The day the active certification was looked up on the DPF list."),
    )
    dpf_listed_as = models.CharField(
        _("organisation name on the DPF list"), max_length=200, blank=True
    )
    scc_module = models.CharField(
        _("SCC module"), max_length=1, choices=SccModule.choices, blank=True, default=""
    )
    scc_version = models.CharField(
        _("SCC version"),
        max_length=100,
        blank=True,
        help_text=_("For example: Implementing Decision (EU) 2021/914."),
    )
    transfer_assessment_on = models.DateField(
        _("transfer impact assessment dated"), null=True, blank=True
    )
    processing_agreement_date = models.DateField(_("agreement signed on"), null=True, blank=True)
    processing_agreement_version = models.CharField(
        _("agreement version"), max_length=50, blank=True
    )
    processing_agreement_document = models.FileField(
        _("agreement document (PDF)"),
        storage=agreement_storage,
        upload_to=agreement_upload_to,
        max_length=200,
        blank=True,
        editable=False,
    )
    processing_agreement_uploaded_at = models.DateTimeField(
        _("document uploaded at"), null=True, blank=True, editable=False
    )
    processing_agreement_uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("document uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    next_review_on = models.DateField(
        _("agreement to be reviewed on"),
        null=True,
        blank=True,
        help_text=_("When the agreement itself is next read against the law and the service."),
    )
    erasure_instructions_nl = models.TextField(_("how to erase there (Dutch)"), blank=True)
    erasure_instructions_en = models.TextField(_("how to erase there (English)"), blank=True)
    # --- The public privacy statement (issue 10) ---
    name_en = models.CharField(
        _("name (English)"), max_length=200, blank=True, help_text=_("Empty: the same.")
    )
    safeguard_copy_nl = models.TextField(
        _("where to get a copy of the safeguard (Dutch)"),
        blank=True,
        help_text=_(
            "For a transfer outside the EEA: where a copy of the safeguard can be obtained "
            "or is made available (Art. 13(1)(f)). Shown in the privacy statement."
        ),
    )
    safeguard_copy_en = models.TextField(
        _("where to get a copy of the safeguard (English)"), blank=True
    )
    # --- end of the privacy statement fields ---

    class Meta:
        ordering = ["name"]
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.outside_eea and self.transfer_mechanism == self.TransferMechanism.NONE:
            raise ValidationError(
                {"transfer_mechanism": _("A recipient outside the EEA needs a transfer mechanism.")}
            )
        # The privacy statement (issue 10) must say where a copy can be obtained.
        if self.outside_eea and not self.safeguard_copy_nl.strip():
            raise ValidationError(
                {
                    "safeguard_copy_nl": _(
                        "Say where a copy of the safeguard can be obtained (Art. 13(1)(f))."
                    )
                }
            )

    @property
    def tr_description(self) -> str:
        return self.tr("description")

    @property
    def tr_role_note(self) -> str:
        return self.tr("role_note")

    @property
    def tr_country(self) -> str:
        """The country in the active language (Dutch when no English name is known)."""
        english = (translation.get_language() or "nl").startswith("en")
        return self.country_en if english and self.country_en else self.country

    @property
    def agreement_label(self) -> str:
        """What the written agreement is called for this role."""
        return str(AGREEMENT_LABELS[self.kind])

    def transfer_evidence_missing(self) -> list[str]:
        """The evidence a transfer outside the EEA still lacks: a DPF certification
        looked up, or for SCCs the module, the version and the transfer impact
        assessment (Schrems II). Empty inside the EEA."""
        if not self.outside_eea:
            return []
        missing: list[str] = []
        mechanism = self.transfer_mechanism
        if mechanism == self.TransferMechanism.NONE:
            missing.append(str(_("transfer mechanism")))
        if mechanism == self.TransferMechanism.DPF and not self.dpf_checked_on:
            missing.append(str(_("date the DPF certification was checked")))
        if mechanism == self.TransferMechanism.SCC:
            if not self.scc_module:
                missing.append(str(_("module of the standard contractual clauses")))
            if not self.scc_version:
                missing.append(str(_("version of the standard contractual clauses")))
            if not self.transfer_assessment_on:
                missing.append(str(_("date of the transfer impact assessment")))
        return missing


AGREEMENT_LABELS = {
    Recipient.Kind.PROCESSOR: _("processing agreement (Art. 28(3))"),
    Recipient.Kind.CONTROLLER: _("data-sharing agreement"),
    Recipient.Kind.JOINT_CONTROLLER: _("arrangement between joint controllers (Art. 26)"),
}


@personal_data(
    activity="privacy-administration",
    categories=["audit-trail"],
    subject_paths=[],
    fields=["checked_by_name", "recorded_by"],
    # The name of whoever did the check: kept as long as the audit trail, 5 years after the
    # check, the period in which the authority may fine (art. 5:45 Awb); newer checks take
    # its place as the proof of supervision.
    retention_rule="audit-5y",
    clock="checked_on",
)
class RecipientCheck(models.Model):
    """One compliance check of a recipient ("toegezien op de naleving", Art. 28(3)(h),
    5(2)): when, who, what was found, and when the next check is due."""

    class Outcome(models.TextChoices):
        COMPLIANT = "compliant", _("compliant")
        ACTIONS = "actions", _("compliant, with agreed improvements")
        NON_COMPLIANT = "non-compliant", _("not compliant")

    recipient = models.ForeignKey(
        Recipient,
        verbose_name=_("recipient"),
        on_delete=models.PROTECT,
        related_name="checks",
    )
    checked_on = models.DateField(_("checked on"))
    checked_by_name = models.CharField(_("checked by"), max_length=150)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    findings = models.TextField(_("what was checked and found"))
    next_check_on = models.DateField(_("next check due on"))
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
        ordering = ["-checked_on", "-pk"]
        verbose_name = _("compliance check")
        verbose_name_plural = _("compliance checks")

    def __str__(self) -> str:
        return f"{self.recipient} {self.checked_on:%Y-%m-%d}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.checked_on and self.checked_on > timezone.localdate():
            errors["checked_on"] = _("A check cannot be recorded before it was done.")
        if self.checked_on and self.next_check_on and self.next_check_on <= self.checked_on:
            errors["next_check_on"] = _("The next check must come after this one.")
        if errors:
            raise ValidationError(errors)


class ProcessingActivity(BilingualMixin, models.Model):
    """One entry of the register of processing activities (Art. 30(1) GDPR)."""

    class SpecialCategoryCondition(models.TextChoices):
        NONE = "", _("no special-category data")
        EXPLICIT_CONSENT = "9-2-a", _("explicit consent (Art. 9(2)(a))")
        EMPLOYMENT = "9-2-b", _("employment and social security law (Art. 9(2)(b))")
        VITAL_INTERESTS = "9-2-c", _("vital interests (Art. 9(2)(c))")
        MADE_PUBLIC = "9-2-e", _("made public by the data subject (Art. 9(2)(e))")
        LEGAL_CLAIMS = "9-2-f", _("legal claims (Art. 9(2)(f))")
        RESEARCH = "9-2-j", _("research or statistics (Art. 9(2)(j))")

    class Requirement(models.TextChoices):
        STATUTORY = "statutory", _("statutory requirement")
        CONTRACTUAL = "contractual", _("contractual requirement")
        CONTRACT_ENTRY = "contract-entry", _("required to enter into a contract")
        VOLUNTARY = "voluntary", _("voluntary")

    key = models.SlugField(_("key"), unique=True)
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    purpose_nl = models.TextField(_("purpose (Dutch)"))
    purpose_en = models.TextField(_("purpose (English)"))
    subject_categories = models.ManyToManyField(
        SubjectCategory, verbose_name=_("categories of data subjects"), related_name="activities"
    )
    data_categories = models.ManyToManyField(
        DataCategory, verbose_name=_("categories of personal data"), related_name="activities"
    )
    recipients = models.ManyToManyField(
        Recipient, verbose_name=_("recipients"), related_name="activities", blank=True
    )
    legal_bases = models.ManyToManyField(
        LegalBasis, verbose_name=_("legal bases"), related_name="activities"
    )
    legal_basis_note_nl = models.TextField(_("legal basis explained (Dutch)"), blank=True)
    legal_basis_note_en = models.TextField(_("legal basis explained (English)"), blank=True)
    legitimate_interest_nl = models.TextField(
        _("legitimate interest (Dutch)"),
        blank=True,
        help_text=_("Required when the legal basis is Art. 6(1)(f)."),
    )
    legitimate_interest_en = models.TextField(_("legitimate interest (English)"), blank=True)
    special_category_condition = models.CharField(
        _("Art. 9(2) condition"),
        max_length=10,
        choices=SpecialCategoryCondition.choices,
        blank=True,
        default=SpecialCategoryCondition.NONE,
    )
    retention_nl = models.TextField(_("erasure time limit (Dutch)"))
    retention_en = models.TextField(_("erasure time limit (English)"))
    security_measures_nl = models.TextField(_("security measures (Dutch)"))
    security_measures_en = models.TextField(_("security measures (English)"))
    source_nl = models.CharField(_("source of the data (Dutch)"), max_length=300)
    source_en = models.CharField(_("source of the data (English)"), max_length=300)
    requirement = models.CharField(
        _("is providing the data required?"), max_length=20, choices=Requirement.choices
    )
    consequence_nl = models.TextField(_("consequence of not providing the data (Dutch)"))
    consequence_en = models.TextField(_("consequence of not providing the data (English)"))
    automated_decision_making = models.BooleanField(
        _("automated decision-making (Art. 22)"), default=False
    )
    # --- The public privacy statement (issue 10) ---
    indirect_subject_categories = models.ManyToManyField(
        SubjectCategory,
        verbose_name=_("categories whose data comes from someone else (Art. 14)"),
        related_name="indirect_activities",
        blank=True,
        help_text=_(
            "People of these categories did not give us this data themselves (a trainee or "
            "mentor named by their employer, a contact named by their organisation): they "
            "are e-mailed the Art. 14 information within a month."
        ),
    )
    profiling_nl = models.TextField(
        _("profiling and automated decisions explained (Dutch)"),
        blank=True,
        help_text=_(
            "What the profile or the automated decision is, its logic and what it means for "
            "the person (Art. 13(2)(f)). Empty when there is none."
        ),
    )
    profiling_en = models.TextField(
        _("profiling and automated decisions explained (English)"), blank=True
    )
    # --- end of the privacy statement fields ---
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("processing activity")
        verbose_name_plural = _("processing activities")

    def __str__(self) -> str:
        return f"{self.number}. {self.tr('name')}"

    def clean(self) -> None:
        # The legitimate interest must be named whenever Art. 6(1)(f) is relied upon; the
        # M2M is only known after saving, so the admin form checks it too.
        if (
            self.pk
            and self.legal_bases.filter(code="f").exists()
            and not self.legitimate_interest_nl
        ):
            raise ValidationError(
                {"legitimate_interest_nl": _("State the legitimate interest (Art. 6(1)(f)).")}
            )
        if self.automated_decision_making and not self.profiling_nl.strip():
            raise ValidationError(
                {
                    "profiling_nl": _(
                        "Explain the automated decision-making: its logic and what it means "
                        "for the person (Art. 13(2)(f))."
                    )
                }
            )


class ConsentPurpose(models.TextChoices):
    """What a consent is for: one processing activity can hold several purposes, each
    with its own consent (Art. 7(2): granular). Each consent-dependent field declares the
    purpose it needs (``subjects.consents.ConsentNeed``)."""

    BROCHURE_CALL = "brochure-call", _("a call about the traineeship within 3 months")
    NEWSLETTER = "newsletter", _("the newsletter")
    ALLERGIES = "allergies", _("allergies (health data) for the traineeship")
    COACHING_HEALTH = "coaching-health", _("health information in coaching notes")
    MONITOR_DEMOGRAPHICS = "monitor-demographics", _("demographics in the Coaching Monitor")
    MONITOR_RESEARCH = "monitor-research", _("anonymised research with Coaching Monitor answers")
    E2GROW_VISIBILITY = "e2grow-visibility", _("E2Grow profile visible to colleagues")
    VIDEO_RECORDING = "video-recording", _("recording or sharing video images")
    MEETIN = "meetin", _("details passed to MeetIn for study trips")
    CLIFTON_KEEP = "clifton-keep", _("CliftonStrengths data kept after the trajectory")
    E2GROW_KEEP = "e2grow-keep", _("E2Grow data kept after the trajectory")
    # Wording of the 2020 statement that no form uses any more; consents given on it are
    # kept as proof, but no data rests on them.
    CONTACT_2020 = "contact-2020", _("being contacted (2020 contact form)")
    BROCHURE_2020 = "brochure-2020", _("brochure, call and mailing list together (2020)")


# The processing activity each purpose belongs to (the register's key).
PURPOSE_ACTIVITY: dict[str, str] = {
    ConsentPurpose.BROCHURE_CALL: "brochure",
    ConsentPurpose.NEWSLETTER: "newsletter",
    ConsentPurpose.ALLERGIES: "traineeship-participants",
    ConsentPurpose.COACHING_HEALTH: "traineeship-participants",
    ConsentPurpose.MONITOR_DEMOGRAPHICS: "coaching-monitor",
    ConsentPurpose.MONITOR_RESEARCH: "coaching-monitor",
    ConsentPurpose.E2GROW_VISIBILITY: "e2grow",
    ConsentPurpose.VIDEO_RECORDING: "videoconferencing",
    ConsentPurpose.MEETIN: "study-trips",
    ConsentPurpose.CLIFTON_KEEP: "clifton-strengths",
    ConsentPurpose.E2GROW_KEEP: "e2grow",
    ConsentPurpose.CONTACT_2020: "contact-form",
    ConsentPurpose.BROCHURE_2020: "brochure",
}
RETIRED_PURPOSES = {ConsentPurpose.CONTACT_2020, ConsentPurpose.BROCHURE_2020}
# Consents for special-category (health) data: that one was given or withdrawn already
# tells something about a person's health.
SPECIAL_CATEGORY_PURPOSES = {ConsentPurpose.ALLERGIES, ConsentPurpose.COACHING_HEALTH}

# The fields of a wording that are the proof: once a consent points at it they never change.
WORDING_FIELDS = ("activity_id", "purpose", "version", "text_nl", "text_en")


class ConsentTextQuerySet(models.QuerySet["ConsentText"]):
    def current(self, purpose: str) -> ConsentText | None:
        """The wording shown today for ``purpose``: its newest published version."""
        return (
            self.filter(purpose=purpose, published_at__lte=timezone.now())
            .order_by("-version")
            .first()
        )


class ConsentText(BilingualMixin, models.Model):
    """The exact wording a person agreed to, versioned so a consent proves what was said.

    Wording that has been published, or that any consent points at, is frozen: it can no
    longer be edited, a change makes a new version
    (``processing.consent_texts.consent_text_new_version``, a draft until published),
    and old consents keep pointing at the wording they agreed to."""

    activity = models.ForeignKey(
        ProcessingActivity,
        verbose_name=_("processing activity"),
        on_delete=models.PROTECT,
        related_name="consent_texts",
    )
    purpose = models.CharField(_("purpose"), max_length=30, choices=ConsentPurpose.choices)
    version = models.PositiveIntegerField(_("version"))
    text_nl = models.TextField(_("wording (Dutch)"))
    text_en = models.TextField(_("wording (English)"))
    published_at = models.DateTimeField(
        _("published at"),
        default=timezone.now,
        help_text=_("From this moment the wording is shown, and it can no longer be changed."),
    )
    frozen_at = models.DateTimeField(
        _("frozen at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set when the first consent is given on this wording; it never changes after."),
    )

    objects = ConsentTextQuerySet.as_manager()

    class Meta:
        ordering = ["activity__number", "purpose", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["purpose", "version"], name="consent_text_version")
        ]
        verbose_name = _("consent wording")
        verbose_name_plural = _("consent wordings")

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} v{self.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.is_frozen and self._wording_changed():
            raise ValidationError(
                _("People agreed to this wording, so it can no longer be changed.")
            )
        super().save(*args, **kwargs)

    @property
    def is_frozen(self) -> bool:
        """Whether the wording may no longer change: someone agreed to it, or it has been
        published (shown on a form or a pending sign-up, someone may be agreeing to it
        right now). A draft, published in the future, stays editable."""
        if self.frozen_at is not None:
            return True
        if self.pk is None:
            return False
        stored = type(self).objects.filter(pk=self.pk).values_list("published_at", flat=True)
        return (bool(stored) and stored[0] <= timezone.now()) or Consent.objects.filter(
            text_id=self.pk
        ).exists()

    def _wording_changed(self) -> bool:
        if self.pk is None:
            return False
        stored = type(self).objects.filter(pk=self.pk).values(*WORDING_FIELDS).first()
        return stored is not None and any(
            stored[name] != getattr(self, name) for name in WORDING_FIELDS
        )

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if (
            self.activity_id
            and self.purpose
            and PURPOSE_ACTIVITY.get(self.purpose) != self.activity.key
        ):
            errors["purpose"] = _("This purpose belongs to another processing activity.")
        if self.is_frozen and self._wording_changed():
            errors["text_nl"] = _(
                "People agreed to this wording, so it can no longer be changed. Make a new "
                "version instead."
            )
        if errors:
            raise ValidationError(errors)


class ConsentMethod(models.TextChoices):
    WEB_FORM = "web-form", _("web form")
    EMAIL = "email", _("e-mail")
    PAPER = "paper", _("on paper")
    VERBAL = "verbal", _("verbally, recorded by staff")
    PREFERENCES = "preferences", _("consent page")
    RIGHTS_REQUEST = "rights-request", _("rights request")
    UNSUBSCRIBE_LINK = "unsubscribe-link", _("unsubscribe link")
    STAFF = "staff", _("recorded by staff")


# Where a consent was given or withdrawn, when the system recorded it itself: stored as a
# code and shown in the reader's language (``Consent.given_via_display``). Staff name the
# document or conversation in their own words instead.
VIA_LABELS = {
    "brochure-form": _("brochure form"),
    "newsletter-form+double-opt-in": _("newsletter form, address confirmed by e-mail"),
    "brochure-form+double-opt-in": _("brochure form, address confirmed by e-mail"),
    "staff+double-opt-in": _("recorded by staff, address confirmed by e-mail"),
    "consent-page": _("consent page"),
    "unsubscribe-page": _("unsubscribe page"),
    "one-click-unsubscribe": _("unsubscribe button of the mail program (one click)"),
    "mailchimp-unsubscribe": _("unsubscribe link in a newsletter (Mailchimp)"),
    "mailchimp-cleaned": _("address removed by Mailchimp (bounces)"),
    "mailchimp-complaint": _("spam complaint about a newsletter (Mailchimp)"),
    "mailchimp-upemail": _("address changed in Mailchimp"),
    "unsubscribe-link": _("unsubscribe link"),
}


def via_display(via: str) -> str:
    return str(VIA_LABELS.get(via, via))


# Ways of giving consent that staff record from a document or a conversation: the
# document (or the conversation) must be named.
STAFF_METHODS = {ConsentMethod.EMAIL, ConsentMethod.PAPER, ConsentMethod.VERBAL}


@personal_data(
    activity="privacy-administration",
    categories=["consent-records"],
    fields=[
        "subject",
        "given_at",
        "given_method",
        "given_via",
        "withdrawn_at",
        "withdrawn_method",
        "withdrawn_via",
    ],
    kept=Kept(
        because="The proof that a consent was given, on which wording, and when and how it "
        "was withdrawn (Art. 7(1), 5(2) GDPR): it must exist as long as anything that "
        "rested on it may be asked about.",
        until="Deleted with its data subject (cascade). A consent keeps no one: the "
        "retention runs delete a person once nothing else keeps them "
        "(data_subjects_without_purpose leaves the privacy administration out).",
        enforced_by="retention.services.data_subjects_without_purpose_delete",
    ),
)
class Consent(RestrictableModel):
    """A consent given by a data subject for one purpose of a processing activity (Art.
    7(1): provable): the exact wording version and its language, given when and how
    (which form, or which staff member on which document), withdrawn when and how.

    Give and withdraw through ``subjects.consents`` (``consent_give``,
    ``consent_withdraw``): withdrawal removes the data that rested on the consent."""

    subject = models.ForeignKey(
        "subjects.DataSubject",
        verbose_name=_("data subject"),
        on_delete=models.CASCADE,
        related_name="consents",
    )
    activity = models.ForeignKey(
        ProcessingActivity,
        verbose_name=_("processing activity"),
        on_delete=models.PROTECT,
        related_name="consents",
    )
    purpose = models.CharField(
        _("purpose"), max_length=30, choices=ConsentPurpose.choices, db_index=True
    )
    text = models.ForeignKey(
        ConsentText, verbose_name=_("wording agreed to"), on_delete=models.PROTECT
    )
    language = models.CharField(
        _("language of the wording shown"),
        max_length=2,
        choices=[("nl", _("Dutch")), ("en", _("English"))],
        default="nl",
    )
    given_at = models.DateTimeField(_("given at"), default=timezone.now)
    given_method = models.CharField(_("given how"), max_length=20, choices=ConsentMethod.choices)
    given_via = models.CharField(
        _("given through"),
        max_length=200,
        blank=True,
        help_text=_("The form, or the document or conversation staff recorded it from."),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_method = models.CharField(
        _("withdrawn how"), max_length=20, choices=ConsentMethod.choices, blank=True
    )
    withdrawn_via = models.CharField(_("withdrawn through"), max_length=200, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawal recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    keep_until = models.DateField(
        _("kept longer until"),
        null=True,
        blank=True,
        help_text=_("With explicit consent, data may be kept longer for an agreed purpose."),
    )
    agreed_purpose = models.CharField(_("agreed purpose"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-given_at"]
        indexes = [models.Index(fields=["subject", "purpose"])]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.subject} – {self.get_purpose_display()}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None

    @property
    def given_via_display(self) -> str:
        return via_display(self.given_via)

    @property
    def withdrawn_via_display(self) -> str:
        return via_display(self.withdrawn_via)

    def _from_text(self) -> None:
        if self.text_id and not self.purpose:
            self.purpose = self.text.purpose
        if self.text_id and not self.activity_id:
            self.activity_id = self.text.activity_id

    def clean(self) -> None:
        self._from_text()
        errors: dict[str, Any] = {}
        if self.text_id and self.activity_id and self.text.activity_id != self.activity_id:
            errors["text"] = _("This wording belongs to another activity.")
        elif self.text_id and self.purpose and self.text.purpose != self.purpose:
            errors["text"] = _("This wording is for another purpose.")
        if self.given_method in STAFF_METHODS and not self.given_via.strip():
            errors["given_via"] = _(
                "Name the document or conversation this consent was recorded from."
            )
        if self.given_at and self.given_at > timezone.now() + datetime.timedelta(minutes=5):
            errors["given_at"] = _("A consent cannot be given in the future.")
        if self.withdrawn_at and self.given_at and self.withdrawn_at < self.given_at:
            errors["withdrawn_at"] = _("A consent cannot be withdrawn before it was given.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self._from_text()
        super().save(*args, **kwargs)
        # The wording is proof from now on.
        ConsentText.objects.filter(pk=self.text_id, frozen_at__isnull=True).update(
            frozen_at=timezone.now()
        )


registry.not_personal(
    Controller, reason="The controller's own business contact details (a legal person)."
)
for _register_model in (LegalBasis, SubjectCategory, DataCategory, Recipient, ProcessingActivity):
    registry.not_personal(
        _register_model, reason="Part of the register itself: names no natural person."
    )
registry.not_personal(
    ConsentText,
    reason="The wording a consent was given on, the same for everyone: names no person.",
)


@personal_data(
    activity="privacy-administration",
    categories=["consent-records"],
    subject_paths=[],
    fields=["email"],
    kept=Kept(
        because="The address a link to the consent page was sent to, while the link "
        "and the session it opens work.",
        until="Deleted by the hourly clean-up once both have ended: at most 26 hours "
        "after it was sent.",
        enforced_by="processing.consent_page.consent_page_links_delete_expired",
    ),
)
class ConsentPageLink(models.Model):
    """A link to the consent page, e-mailed to an address on request (Art. 7(3):
    withdrawing is as easy as giving). Only hashes of its tokens are stored, never the
    tokens themselves.

    The e-mailed link works once and for ``LINK_HOURS`` hours; using it starts a session
    of ``SESSION_HOURS`` hour behind a new random manage token. The hourly clean-up
    (``processing.consent_page.consent_page_links_delete_expired``) deletes a link once
    both have passed, so the address is kept at most a day and a few hours."""

    LINK_HOURS = 24
    SESSION_HOURS = 1

    email = models.EmailField(_("e-mail address"))
    language = models.CharField(
        _("language"), max_length=2, choices=[("nl", _("Dutch")), ("en", _("English"))]
    )
    token_hash = models.CharField(_("link token (hash)"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    expires_at = models.DateTimeField(_("link expires at"), db_index=True)
    used_at = models.DateTimeField(_("link used at"), null=True, blank=True)
    manage_token_hash = models.CharField(
        _("manage token (hash)"), max_length=64, unique=True, null=True, blank=True
    )
    manage_expires_at = models.DateTimeField(_("session ends at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("consent page link")
        verbose_name_plural = _("consent page links")

    def __str__(self) -> str:
        return f"{self.email} ({self.created_at:%Y-%m-%d %H:%M})"


from processing.breaches.models import Breach, BreachNotification, BreachSubject  # noqa: E402, F401

# The published privacy statement and the Art. 14 notices (issue 10) live in their own
# module; imported here so Django finds them with the rest of the register.
from processing.statement_models import (  # noqa: E402, F401
    Art14Notice,
    Art14NoticeMethod,
    StatementVersion,
)
