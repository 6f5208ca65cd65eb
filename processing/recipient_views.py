"""Staff pages of the recipients: who receives personal data, on which written agreement
(its document downloadable by staff only), with which safeguard for a transfer outside
the EEA, and the log of compliance checks. Every staff member may read them; only the
privacy officer records an agreement, evidence or a check."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leafspring.access import staff_permission_required
from processing.models import ProcessingActivity, Recipient, RecipientCheck
from processing.recipient_forms import AgreementForm, CheckForm, TransferEvidenceForm
from processing.recipients import (
    MANAGE_RECIPIENTS,
    VIEW_RECIPIENTS,
    can_manage_recipients,
    recipient_agreement_record,
    recipient_check_record,
    recipient_transfer_evidence_record,
    user_display_name,
)
from processing.selectors import recipient_attention, recipient_list

CHECK_INTERVAL_DAYS = 365


@staff_permission_required(VIEW_RECIPIENTS)
def recipients(request: HttpRequest) -> HttpResponse:
    """Every recipient with its role, agreement, safeguard, last check and what needs
    attention; one query for the recipients however many checks there are."""
    today = timezone.localdate()
    rows = list(
        recipient_list().prefetch_related(
            Prefetch("activities", queryset=ProcessingActivity.objects.order_by("number"))
        )
    )
    for recipient in rows:
        recipient.attention = recipient_attention(recipient, today=today)
    return render(
        request,
        "processing/staff/recipients.html",
        {"recipients": rows, "today": today},
    )


def _recipient(key: str) -> Recipient:
    return get_object_or_404(recipient_list(), key=key)


def _detail(
    request: HttpRequest, recipient: Recipient, *, status: int = 200, **forms: Any
) -> HttpResponse:
    today = timezone.localdate()
    can_manage = can_manage_recipients(request.user)
    if can_manage:
        forms.setdefault("agreement_form", AgreementForm(recipient=recipient))
        if recipient.outside_eea:
            forms.setdefault("transfer_form", TransferEvidenceForm(recipient=recipient))
        forms.setdefault(
            "check_form",
            CheckForm(
                initial={
                    "checked_on": today,
                    "checked_by_name": user_display_name(request.user),
                    "next_check_on": today + datetime.timedelta(days=CHECK_INTERVAL_DAYS),
                }
            ),
        )
    return render(
        request,
        "processing/staff/recipient_detail.html",
        {
            "recipient": recipient,
            "attention": recipient_attention(recipient, today=today),
            "checks": RecipientCheck.objects.filter(recipient=recipient),
            "activities": recipient.activities.order_by("number"),
            "can_manage": can_manage,
            "today": today,
            **forms,
        },
        status=status,
    )


@staff_permission_required(VIEW_RECIPIENTS)
def recipient_detail(request: HttpRequest, key: str) -> HttpResponse:
    return _detail(request, _recipient(key))


@staff_permission_required(MANAGE_RECIPIENTS)
@require_POST
def recipient_agreement(request: HttpRequest, key: str) -> HttpResponse:
    """Record the agreement and, when given, upload its document. An invalid upload
    (not a PDF, too large) gets a message on the form and changes nothing."""
    recipient = _recipient(key)
    form = AgreementForm(request.POST, request.FILES, recipient=recipient)
    if not form.is_valid():
        return _detail(request, recipient, status=400, agreement_form=form)
    data = form.cleaned_data
    try:
        recipient_agreement_record(
            recipient=recipient,
            signed_on=data["signed_on"],
            version=data["version"],
            review_on=data["review_on"],
            document=data["document"],
            by=request.user,
        )
    except ValidationError as error:
        form.add_error("document", error)
        return _detail(request, recipient, status=400, agreement_form=form)
    messages.success(request, _("The agreement with %(name)s is recorded.") % {"name": recipient})
    return redirect("recipients:detail", key=recipient.key)


@staff_permission_required(MANAGE_RECIPIENTS)
@require_POST
def recipient_transfer(request: HttpRequest, key: str) -> HttpResponse:
    """Record the safeguard of a transfer outside the EEA with its evidence."""
    recipient = _recipient(key)
    if not recipient.outside_eea:
        raise Http404
    form = TransferEvidenceForm(request.POST, recipient=recipient)
    if not form.is_valid():
        return _detail(request, recipient, status=400, transfer_form=form)
    recipient_transfer_evidence_record(recipient=recipient, **form.cleaned_data)
    messages.success(
        request, _("The transfer safeguard of %(name)s is recorded.") % {"name": recipient}
    )
    return redirect("recipients:detail", key=recipient.key)


@staff_permission_required(MANAGE_RECIPIENTS)
@require_POST
def recipient_check(request: HttpRequest, key: str) -> HttpResponse:
    """Add a compliance check to the recipient's log."""
    recipient = _recipient(key)
    form = CheckForm(request.POST)
    if not form.is_valid():
        return _detail(request, recipient, status=400, check_form=form)
    recipient_check_record(recipient=recipient, by=request.user, **form.cleaned_data)
    messages.success(
        request, _("The compliance check of %(name)s is recorded.") % {"name": recipient}
    )
    return redirect("recipients:detail", key=recipient.key)


@staff_permission_required(VIEW_RECIPIENTS)
def recipient_agreement_document(request: HttpRequest, key: str) -> HttpResponse:
    """The agreement's PDF, from private storage, to staff only; never cached."""
    recipient = get_object_or_404(Recipient, key=key)
    document = recipient.processing_agreement_document
    if not document or not document.storage.exists(document.name):
        raise Http404
    label = _("agreement")
    name = slugify(f"{recipient.key} {label} {recipient.processing_agreement_version}")
    response = FileResponse(
        document.storage.open(document.name, "rb"),
        as_attachment=True,
        filename=f"{name}.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response
