"""Invoices and supplier details: fiscal records, kept 7 years (art. 52 AWR)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from subjects.models.people import DataSubject, Organisation
from subjects.registry import RestrictableModel, personal_data


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
    # An invoice to an individual may have been entered without its data subject; one to
    # an organisation is sent to the organisation's billing address, not a person's.
    email_field="email",
    unlinked_filter={"organisation__isnull": True},
)
class Invoice(RestrictableModel):
    """An invoice with billing details and the paying bank account: bookkeeping, kept 7
    years after the end of the book year (art. 52 AWR), even against an erasure request.

    It is for a data subject (an individual) or an organisation, or both. One stored for
    neither before that was checked is found by a rights request from its e-mail address
    (``email_field``)."""

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
        indexes = [
            # A person's invoices a page at a time in the order of their keys (the
            # person's page), read from the index without sorting them all. The
            # subject keeps its own index for counting them (and the restricted ones):
            # PostgreSQL costs that read of the table higher through a two-column
            # index, high enough to start parallel workers that cost more than it.
            models.Index(fields=["subject", "id"], name="subjects_inv_subject_id"),
        ]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")

    def __str__(self) -> str:
        return self.number

    def clean(self) -> None:
        super().clean()
        if self.subject_id is None and self.organisation_id is None:
            message = _("An invoice is for a data subject or an organisation: choose one.")
            raise ValidationError({"subject": message, "organisation": message})


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
