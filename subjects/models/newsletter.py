"""The newsletter: subscriptions (double opt-in, or a client's soft opt-in), the extra
link tokens of a subscription, and the suppression list that outlives them."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from subjects.models.people import DataSubject
from subjects.registry import Kept, RestrictableModel, personal_data, registry


@personal_data(
    activity="newsletter",
    categories=["contact-details"],
    fields=["subject", "email", "first_name"],
    retention_rule="unsubscribe-6w",
    clock="unsubscribed_at",
    provided_by_subject=True,
    email_field="email",
)
class NewsletterSubscription(RestrictableModel):
    """A newsletter subscription.

    - By consent (everyone who is not a client): a sign-up is pending until the address is
      confirmed through the double opt-in e-mail (``confirmed_at``); an unconfirmed
      address receives nothing else and the sign-up is deleted after 7 days. A confirmed
      subscription needs an active consent for the newsletter.
    - Soft opt-in (Telecommunicatiewet art. 11.7(3), legitimate interest): only for a
      person who bought a service themselves (a client, or a client organisation's
      contact who bought it), recorded with the sale (``sale``) and the moment the
      opt-out was offered (``opt_out_offered_at``, set when recorded, never back-dated).

    An address on the suppression list (unsubscribed, or objected to direct marketing)
    can only come back through its owner's own double opt-in. The link token (confirm
    and unsubscribe) is stored only as a hash."""

    class Basis(models.TextChoices):
        CONSENT = "consent", _("explicit consent")
        SOFT_OPT_IN = "soft-opt-in", _("client: direct marketing (legitimate interest)")

    class Source(models.TextChoices):
        NEWSLETTER_FORM = "newsletter-form", _("newsletter sign-up form")
        BROCHURE_FORM = "brochure-form", _("brochure request form")
        STAFF = "staff", _("recorded by staff")

    subject = models.ForeignKey(
        DataSubject,
        verbose_name=_("data subject"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="newsletter_subscriptions",
    )
    email = models.EmailField(_("e-mail address"))
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=DataSubject.Language.choices, default="nl"
    )
    basis = models.CharField(_("basis"), max_length=20, choices=Basis.choices)
    source = models.CharField(
        _("source"), max_length=20, choices=Source.choices, default=Source.STAFF
    )
    consent_text = models.ForeignKey(
        "processing.ConsentText",
        verbose_name=_("wording shown at sign-up"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    subscribed_at = models.DateTimeField(_("signed up at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("address confirmed at"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(
        _("unsubscribed at"), null=True, blank=True, db_index=True
    )
    sale = models.ForeignKey(
        "subjects.Invoice",
        verbose_name=_("sale the soft opt-in rests on"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    opt_out_offered_at = models.DateTimeField(
        _("opt-out offered at"),
        null=True,
        blank=True,
        help_text=_("Set when the soft opt-in is recorded; never back-dated."),
    )
    token_hash = models.CharField(
        _("link token (hash)"), max_length=64, unique=True, null=True, blank=True, editable=False
    )
    mailchimp_needs_reconfirmation = models.BooleanField(
        _("needs re-confirmation through Mailchimp"),
        default=False,
        help_text=_(
            "Mailchimp holds the address as unsubscribed, cleaned or deleted and lets only "
            "the person subscribe it again, through Mailchimp's own sign-up form."
        ),
    )

    class Meta:
        ordering = ["-subscribed_at"]
        verbose_name = _("newsletter subscription")
        verbose_name_plural = _("newsletter subscriptions")

    def __str__(self) -> str:
        return self.email

    @property
    def is_active(self) -> bool:
        """Receives the newsletter: confirmed (or soft opt-in) and not unsubscribed."""
        return self.unsubscribed_at is None and self.is_confirmed

    @property
    def is_confirmed(self) -> bool:
        return self.basis == self.Basis.SOFT_OPT_IN or self.confirmed_at is not None

    @property
    def is_pending(self) -> bool:
        return self.basis == self.Basis.CONSENT and self.confirmed_at is None

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = self.email.strip().lower()
        if (
            self.pk is None
            and self.basis == self.Basis.SOFT_OPT_IN
            and self.opt_out_offered_at is None
        ):
            self.opt_out_offered_at = timezone.now()
        errors = self.basis_errors()
        if errors:
            raise ValidationError(errors)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        self.email = (self.email or "").strip().lower()
        if errors := self.basis_errors():
            raise ValidationError(errors)

    def basis_errors(self) -> dict[str, list[str]]:
        """Why this subscription may not be held as it is (empty when it may)."""
        from processing.models import Consent
        from subjects.suppression import address_is_suppressed

        errors: dict[str, list[str]] = {}

        def add(field: str, message: Any) -> None:
            errors.setdefault(field, []).append(str(message))

        mailing = self.unsubscribed_at is None and self.is_confirmed
        if not mailing:
            return errors
        if self.subject_id is None:
            add("subject", _("A confirmed subscription belongs to a data subject."))
            return errors
        if self.subject.marketing_objection_at is not None:
            add(
                "subject",
                _("This person objected to direct marketing (Art. 21(3)) and is never mailed."),
            )
        if self.email and address_is_suppressed(self.email):
            add(
                "email",
                _(
                    "This address unsubscribed or objected to direct marketing. Only its "
                    "owner can subscribe it again, through the confirmation e-mail."
                ),
            )
        if self.basis == self.Basis.CONSENT:
            if not Consent.objects.filter(
                subject_id=self.subject_id, purpose="newsletter", withdrawn_at__isnull=True
            ).exists():
                add(
                    "basis",
                    _("A newsletter for someone who is not a client needs their consent."),
                )
        else:
            errors.update(self._soft_opt_in_errors())
        return errors

    def _soft_opt_in_errors(self) -> dict[str, list[str]]:
        from subjects.models.people import SubjectRole

        errors: dict[str, list[str]] = {}
        today = timezone.localdate()
        buyer_roles = SubjectRole.objects.filter(
            subject_id=self.subject_id, category__key__in=SOFT_OPT_IN_ROLES
        ).active_on(today)
        if not buyer_roles.exists():
            errors["basis"] = [
                str(
                    _(
                        "The soft opt-in is only for a current client who bought a service "
                        "themselves (a client or a client organisation's contact); others "
                        "need their consent."
                    )
                )
            ]
        sale = self.sale
        # Subscriptions recorded before the sale was asked for keep their basis; every
        # new soft opt-in names its sale and the moment the opt-out was offered.
        if sale is None and self.pk is None:
            errors["sale"] = [str(_("Name the sale the soft opt-in rests on."))]
        elif sale is not None and sale.subject_id != self.subject_id:
            # The invoice names who bought: for an organisation, its contact person.
            errors["sale"] = [str(_("This sale was not made to this person."))]
        elif sale is not None and self.pk is None and sale.issued_on > today:
            errors["sale"] = [str(_("This sale has not happened yet."))]
        elif (
            sale is not None
            and self.pk is None
            and sale.issued_on < today - datetime.timedelta(days=SOFT_OPT_IN_SALE_DAYS)
        ):
            # Tw art. 11.7(3): the address was obtained with the sale, and the opt-out
            # offered then. Recorded long after the sale, it was not offered at collection.
            errors["sale"] = [
                str(
                    _(
                        "The soft opt-in is recorded when the address is collected with the "
                        "sale: this sale is more than %(days)s days old. Ask for consent "
                        "instead."
                    )
                    % {"days": SOFT_OPT_IN_SALE_DAYS}
                )
            ]
        offered = self.opt_out_offered_at
        now = timezone.now()
        if offered is None:
            if self.pk is None:
                errors["opt_out_offered_at"] = [str(_("Record when the opt-out was offered."))]
        elif offered > now + datetime.timedelta(minutes=5):
            errors["opt_out_offered_at"] = [str(_("This moment is in the future."))]
        elif self.pk is None and offered < now - datetime.timedelta(minutes=5):
            errors["opt_out_offered_at"] = [
                str(_("The moment the opt-out was offered cannot be back-dated."))
            ]
        elif self.pk is not None:
            stored = (
                type(self).objects.filter(pk=self.pk).values_list("opt_out_offered_at", flat=True)
            )
            if stored and stored[0] is not None and stored[0] != offered:
                errors["opt_out_offered_at"] = [
                    str(_("The moment the opt-out was offered cannot be changed."))
                ]
        return errors


class NewsletterLinkToken(models.Model):
    """A further link token of a subscription, as a hash: when a second sign-up for an
    address already subscribed is confirmed, it joins the existing subscription, and the
    links of both sign-ups' e-mails keep working (confirm and unsubscribe)."""

    subscription = models.ForeignKey(
        NewsletterSubscription,
        verbose_name=_("newsletter subscription"),
        on_delete=models.CASCADE,
        related_name="link_tokens",
    )
    token_hash = models.CharField(_("link token (hash)"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("newsletter link")
        verbose_name_plural = _("newsletter links")

    def __str__(self) -> str:
        return str(self.subscription)


# How long after a sale its soft opt-in may still be recorded (the opt-out is offered when
# the address is collected with the sale, Tw art. 11.7(3)).
SOFT_OPT_IN_SALE_DAYS = 30

# Who may get the newsletter by soft opt-in: someone who bought a service themselves.
# Never a trainee or mentor (their organisation bought it).
SOFT_OPT_IN_ROLES = ("client", "client-organisation-contact")


registry.exempt(
    NewsletterLinkToken,
    reason="Only the hash of a random link token; goes with its subscription.",
    kept=Kept(
        because="The links of a second sign-up's e-mails keep working (confirm, "
        "unsubscribe); only a hash of the token is stored.",
        until="Deleted with its subscription (cascade): 6 weeks after the unsubscribe "
        "(rule unsubscribe-6w), or 7 days after an unconfirmed sign-up.",
        enforced_by="retention.services.retention_rule_apply",
    ),
)


@personal_data(
    activity="suppression-list",
    categories=["suppression-hash"],
    subject_paths=[],
    fields=["digest"],
    kept=Kept(
        because="An unsubscribe or objection to direct marketing must outlive the person's "
        "other data, or the address could be mailed again (Art. 21(3), 17(3)(b) GDPR); "
        "only a keyed hash of the address is kept.",
        until="As long as the unsubscribe or objection stands: ends when the owner of the "
        "address signs up again and confirms it from that address.",
        enforced_by="subjects.suppression.address_unsuppress_by_owner",
    ),
)
class SuppressedAddress(models.Model):
    """An address that unsubscribed or objected to direct marketing, kept only as a keyed
    hash (HMAC-SHA256 under a versioned key, ``SUPPRESSION_HASH_KEYS``), so nothing else
    of the person needs to stay: it survives erasure and retention, and stops the address
    from being mailed or subscribed again by anyone but its owner (Art. 21(3), 17(3)(b)).
    The hash is still personal data: it is in the register and in an access answer."""

    class Reason(models.TextChoices):
        UNSUBSCRIBED = "unsubscribed", _("unsubscribed from the newsletter")
        OBJECTED = "objected", _("objected to direct marketing")

    key_version = models.CharField(_("key version"), max_length=20)
    digest = models.CharField(_("keyed hash of the e-mail address"), max_length=64)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    created_at = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["key_version", "digest"], name="suppression_once")
        ]
        verbose_name = _("suppressed address")
        verbose_name_plural = _("suppressed addresses")

    def __str__(self) -> str:
        return f"{self.get_reason_display()} ({self.created_at:%Y-%m-%d})"
