"""Forms of the staff recipient pages. Forms validate; ``processing.recipients`` writes."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from processing.models import Recipient, RecipientCheck
from processing.recipients import AGREEMENT_MAX_BYTES, agreement_pdf_validate


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _not_in_future(value: datetime.date | None, message: Any) -> None:
    if value and value > timezone.localdate():
        raise forms.ValidationError(message)


class AgreementForm(forms.Form):
    """The written agreement: date, version, next review and its PDF document. The
    document is required while the recipient has none; a new one replaces it."""

    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput())
    version = forms.CharField(label=_("Version"), max_length=50)
    review_on = forms.DateField(
        label=_("Review the agreement on"),
        widget=DateInput(),
        help_text=_("When the agreement is next read against the law and the service."),
    )
    document = forms.FileField(
        label=_("Agreement document (PDF)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def __init__(self, *args: Any, recipient: Recipient, **kwargs: Any) -> None:
        if "initial" not in kwargs:
            kwargs["initial"] = {
                "signed_on": recipient.processing_agreement_date,
                "version": recipient.processing_agreement_version,
                "review_on": recipient.next_review_on,
            }
        super().__init__(*args, **kwargs)
        self.recipient = recipient
        limit = AGREEMENT_MAX_BYTES // (1024 * 1024)
        if recipient.processing_agreement_document:
            self.fields["document"].help_text = _(
                "A PDF of at most %(limit)s MB. Leave empty to keep the current document."
            ) % {"limit": limit}
        else:
            self.fields["document"].required = True
            self.fields["document"].help_text = _("A PDF of at most %(limit)s MB.") % {
                "limit": limit
            }

    def clean_signed_on(self) -> datetime.date:
        value = self.cleaned_data["signed_on"]
        _not_in_future(value, _("An agreement cannot be signed in the future."))
        return value

    def clean_document(self) -> Any:
        document = self.cleaned_data.get("document")
        if document:
            agreement_pdf_validate(document)
        return document or None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        signed_on, review_on = data.get("signed_on"), data.get("review_on")
        if signed_on and review_on and review_on <= signed_on:
            self.add_error("review_on", _("The review must come after the signing."))
        return data


# The evidence each transfer mechanism needs (the rest is optional).
EVIDENCE_FIELDS = {
    Recipient.TransferMechanism.DPF: ("dpf_checked_on", "dpf_listed_as"),
    Recipient.TransferMechanism.SCC: ("scc_module", "scc_version", "transfer_assessment_on"),
}


class TransferEvidenceForm(forms.Form):
    """The safeguard of a transfer outside the EEA (Chapter V) with its evidence."""

    transfer_mechanism = forms.ChoiceField(
        label=_("Transfer mechanism"),
        choices=[c for c in Recipient.TransferMechanism.choices if c[0] != "none"],
    )
    dpf_checked_on = forms.DateField(
        label=_("DPF certification checked on"), required=False, widget=DateInput()
    )
    dpf_listed_as = forms.CharField(
        label=_("Organisation name on the DPF list"), max_length=200, required=False
    )
    scc_module = forms.ChoiceField(
        label=_("SCC module"), choices=Recipient.SccModule.choices, required=False
    )
    scc_version = forms.CharField(
        label=_("SCC version"),
        max_length=100,
        required=False,
        help_text=_("For example: Implementing Decision (EU) 2021/914."),
    )
    transfer_assessment_on = forms.DateField(
        label=_("Transfer impact assessment dated"), required=False, widget=DateInput()
    )

    def __init__(self, *args: Any, recipient: Recipient, **kwargs: Any) -> None:
        if "initial" not in kwargs:
            kwargs["initial"] = {
                name: getattr(recipient, name)
                for name in (
                    "transfer_mechanism",
                    "dpf_checked_on",
                    "dpf_listed_as",
                    "scc_module",
                    "scc_version",
                    "transfer_assessment_on",
                )
            }
        super().__init__(*args, **kwargs)
        self.recipient = recipient

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        mechanism = data.get("transfer_mechanism")
        required = EVIDENCE_FIELDS.get(mechanism, ())
        for name in required:
            if not data.get(name) and name not in self.errors:
                self.add_error(name, _("Needed as evidence for this transfer mechanism."))
        for name in ("dpf_checked_on", "transfer_assessment_on"):
            value = data.get(name)
            if value and value > timezone.localdate():
                self.add_error(name, _("This date is in the future."))
        return data


class CheckForm(forms.Form):
    """One compliance check for the log."""

    checked_on = forms.DateField(label=_("Checked on"), widget=DateInput())
    checked_by_name = forms.CharField(label=_("Checked by"), max_length=150)
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=RecipientCheck.Outcome.choices, widget=forms.RadioSelect
    )
    findings = forms.CharField(
        label=_("What was checked and found"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    next_check_on = forms.DateField(label=_("Next check due on"), widget=DateInput())

    def clean_checked_on(self) -> datetime.date:
        value = self.cleaned_data["checked_on"]
        _not_in_future(value, _("A check cannot be recorded before it was done."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        checked_on, next_on = data.get("checked_on"), data.get("next_check_on")
        if checked_on and next_on and next_on <= checked_on:
            self.add_error("next_check_on", _("The next check must come after this one."))
        return data
