"""Writes for the recipients: the written agreement with its document, the evidence for a
transfer outside the EEA, and the log of compliance checks.

Only a privacy officer changes them (``can_manage_recipients``): the staff group lacks
the register's write permissions (``subjects.permissions``), a superuser has them all.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from processing.models import Recipient, RecipientCheck

VIEW_RECIPIENTS = "processing.view_recipient"
# Changing a recipient covers recording its checks too: a permission every privacy officer
# group already holds, also where the groups were created before the checks existed.
MANAGE_RECIPIENTS = "processing.change_recipient"

AGREEMENT_MAX_BYTES = 10 * 1024 * 1024
PDF_MAGIC = b"%PDF-"


def can_manage_recipients(user: Any) -> bool:
    """Whether ``user`` may change a recipient's agreement and evidence and record a
    check: an active staff member with the register's write permissions (the privacy
    officer; a superuser has every permission)."""
    return bool(
        getattr(user, "is_active", False)
        and getattr(user, "is_staff", False)
        and user.has_perm(MANAGE_RECIPIENTS)
    )


def agreement_pdf_validate(upload: UploadedFile) -> None:
    """An agreement document is a PDF of at most ``AGREEMENT_MAX_BYTES``: the name ends
    in .pdf and the content starts as a PDF does (the browser's content type is not
    trusted)."""
    name = upload.name or ""
    if not name.lower().endswith(".pdf"):
        raise ValidationError(
            _("Upload the agreement as a PDF file; “%(name)s” is not a PDF.") % {"name": name},
            code="not_pdf",
        )
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > AGREEMENT_MAX_BYTES:
        raise ValidationError(
            _("The file is too large (%(size)s): an agreement may be at most %(limit)s MB.")
            % {"size": filesizeformat(size), "limit": AGREEMENT_MAX_BYTES // (1024 * 1024)},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if head != PDF_MAGIC:
        raise ValidationError(
            _("“%(name)s” is not a PDF file, although its name ends in .pdf.") % {"name": name},
            code="not_pdf",
        )


def recipient_agreement_record(
    *,
    recipient: Recipient,
    signed_on: datetime.date,
    version: str,
    review_on: datetime.date,
    document: UploadedFile | None,
    by: Any,
) -> Recipient:
    """Record the written agreement with a recipient (Art. 28(3) for a processor, Art. 26
    for joint controllers): its date, version and next review, and, when given, its
    document, which replaces the previous one. The document is validated before
    anything is written; a failure leaves neither a file nor a changed row, and the
    replaced file is removed only once the new one is committed."""
    if document is not None:
        agreement_pdf_validate(document)
    storage = recipient.processing_agreement_document.storage
    old_name, new_name = "", ""
    try:
        with transaction.atomic():
            locked = Recipient.objects.select_for_update().get(pk=recipient.pk)
            locked.processing_agreement_date = signed_on
            locked.processing_agreement_version = version
            locked.next_review_on = review_on
            update_fields = [
                "processing_agreement_date",
                "processing_agreement_version",
                "next_review_on",
            ]
            if document is not None:
                old_name = locked.processing_agreement_document.name
                # save=False: the row is saved below with the other fields, in one write.
                locked.processing_agreement_document.save(document.name, document, save=False)
                new_name = locked.processing_agreement_document.name
                locked.processing_agreement_uploaded_at = timezone.now()
                locked.processing_agreement_uploaded_by = by
                update_fields += [
                    "processing_agreement_document",
                    "processing_agreement_uploaded_at",
                    "processing_agreement_uploaded_by",
                ]
            locked.save(update_fields=update_fields)
            if old_name and new_name and old_name != new_name:
                transaction.on_commit(lambda: storage.delete(old_name))
    except BaseException:
        if new_name:
            storage.delete(new_name)
        raise
    return locked


def recipient_transfer_evidence_record(
    *,
    recipient: Recipient,
    transfer_mechanism: str,
    dpf_checked_on: datetime.date | None,
    dpf_listed_as: str,
    scc_module: str,
    scc_version: str,
    transfer_assessment_on: datetime.date | None,
) -> Recipient:
    """Record the Chapter V safeguard of a transfer outside the EEA with its evidence:
    for the Data Privacy Framework the day the certification was looked up, for
    standard contractual clauses the module, the version and the transfer impact
    assessment."""
    recipient.transfer_mechanism = transfer_mechanism
    recipient.dpf_checked_on = dpf_checked_on
    recipient.dpf_listed_as = dpf_listed_as
    recipient.scc_module = scc_module
    recipient.scc_version = scc_version
    recipient.transfer_assessment_on = transfer_assessment_on
    recipient.full_clean()
    recipient.save(
        update_fields=[
            "transfer_mechanism",
            "dpf_checked_on",
            "dpf_listed_as",
            "scc_module",
            "scc_version",
            "transfer_assessment_on",
        ]
    )
    return recipient


def recipient_check_record(
    *,
    recipient: Recipient,
    checked_on: datetime.date,
    checked_by_name: str,
    outcome: str,
    findings: str,
    next_check_on: datetime.date,
    by: Any,
) -> RecipientCheck:
    """Add a compliance check to the recipient's log ("toegezien op de naleving"): a
    check is never changed afterwards, a later check is a new entry."""
    check = RecipientCheck(
        recipient=recipient,
        checked_on=checked_on,
        checked_by_name=checked_by_name,
        outcome=outcome,
        findings=findings,
        next_check_on=next_check_on,
        recorded_by=by,
    )
    check.full_clean()
    check.save()
    return check


def user_display_name(user: Any) -> str:
    """How a staff member is named in a check they record."""
    return (user.get_full_name() or user.get_username()).strip()
