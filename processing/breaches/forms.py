"""Forms of the breach register. Forms validate what was typed; the services in
``processing.breaches.services`` check the rules and write."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from processing.breaches.models import Breach, BreachNotification, NoticeException
from processing.models import Recipient

MOMENT_FORMAT = "%Y-%m-%dT%H:%M"
# Data subject numbers linked at once.
MAX_LINKED_AT_ONCE = 500


class MomentInput(forms.DateTimeInput):
    """A date and time picked in the browser, in Amsterdam time."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format=MOMENT_FORMAT)


def moment_field(label: Any, *, required: bool = False, help_text: Any = "") -> forms.Field:
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text,
        widget=MomentInput(),
        input_formats=[MOMENT_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        error_messages={"invalid": _("Enter a date and time, such as 14-03-2026 09:30.")},
    )


def _processors() -> Any:
    return Recipient.objects.filter(kind=Recipient.Kind.PROCESSOR).order_by("name")


class BreachReportForm(forms.Form):
    """What any staff member can say at once about a suspected breach."""

    description = forms.CharField(
        label=_("What happened?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "What you saw, which data and whose (as far as you know), and what has been done "
            "so far. Report even when you are not sure: the privacy officers assess it."
        ),
    )
    aware_at = moment_field(
        _("When did you (or someone at Leafspring) notice it?"),
        required=True,
        help_text=_("The 72 hours to notify the Autoriteit Persoonsgegevens count from here."),
    )
    occurred_at = moment_field(
        _("When did it happen?"), help_text=_("Leave empty when you do not know.")
    )
    processor = forms.ModelChoiceField(
        label=_("Did a processor tell us about it?"),
        queryset=Recipient.objects.none(),
        required=False,
        empty_label=_("no, we found it ourselves"),
    )
    processor_told_at = moment_field(_("When did the processor tell us?"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"aware_at": timezone.localtime().replace(second=0)})
        super().__init__(*args, **kwargs)
        self.fields["processor"].queryset = _processors()  # type: ignore[attr-defined]


class BreachForm(forms.ModelForm):
    """The incident as the privacy officers document it (Art. 33(3), (5))."""

    class Meta:
        model = Breach
        fields = [
            "aware_at",
            "occurred_at",
            "processor",
            "processor_told_at",
            "description",
            "confidentiality",
            "integrity",
            "availability",
            "subject_categories",
            "subjects_approx",
            "data_categories",
            "records_approx",
            "activities",
            "recipients",
            "contact_point",
            "likely_consequences",
            "measures_taken",
            "measures_proposed",
            "risk",
            "risk_reasoning",
            "not_notified_reason",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "contact_point": forms.Textarea(attrs={"rows": 2}),
            "likely_consequences": forms.Textarea(attrs={"rows": 3}),
            "measures_taken": forms.Textarea(attrs={"rows": 3}),
            "measures_proposed": forms.Textarea(attrs={"rows": 3}),
            "risk_reasoning": forms.Textarea(attrs={"rows": 3}),
            "not_notified_reason": forms.Textarea(attrs={"rows": 2}),
            "subject_categories": forms.CheckboxSelectMultiple,
            "data_categories": forms.CheckboxSelectMultiple,
            "activities": forms.CheckboxSelectMultiple,
            "recipients": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("aware_at", "occurred_at", "processor_told_at"):
            label = self.fields[name].label
            required = self.fields[name].required
            help_text = self.fields[name].help_text
            self.fields[name] = moment_field(label, required=required, help_text=help_text)
        self.fields["processor"].queryset = _processors()  # type: ignore[attr-defined]


class NotificationForm(forms.ModelForm):
    class Meta:
        model = BreachNotification
        fields = ["phase", "sent_at", "reference", "summary", "late_reason"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "late_reason": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sent_at"] = moment_field(self.fields["sent_at"].label, required=True)
        self.fields["reference"].required = False  # the service says what is missing


class LinkSubjectsForm(forms.Form):
    subjects = forms.CharField(
        label=_("Data subject numbers"),
        max_length=5000,
        help_text=_("The numbers of the people affected, separated by commas or spaces."),
    )

    def clean_subjects(self) -> list[int]:
        parts = [p for p in re.split(r"[\s,;]+", self.cleaned_data["subjects"]) if p]
        wrong = [p for p in parts if not p.isdigit() or len(p) > 12]
        if wrong or not parts:
            raise forms.ValidationError(
                _("Give data subject numbers (digits only), separated by commas or spaces.")
            )
        if len(parts) > MAX_LINKED_AT_ONCE:
            raise forms.ValidationError(
                _("Link at most %(max)d people at once.") % {"max": MAX_LINKED_AT_ONCE}
            )
        return [int(p) for p in parts]


class UnlinkForm(forms.Form):
    link = forms.IntegerField(min_value=1, max_value=2**62)


class NoticeTextForm(forms.ModelForm):
    class Meta:
        model = Breach
        fields = [
            "notice_nature_nl",
            "notice_nature_en",
            "notice_consequences_nl",
            "notice_consequences_en",
            "notice_measures_nl",
            "notice_measures_en",
        ]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields}


class NoticeOtherForm(forms.Form):
    notified_at = moment_field(_("Told at"), required=True)
    how = forms.CharField(
        label=_("How"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("A letter, a call, a public communication: what was done."),
    )


class NoticeExceptionForm(forms.Form):
    exception = forms.ChoiceField(
        label=_("Exception that applies"),
        choices=[c for c in NoticeException.choices if c[0]],
    )
    reasons = forms.CharField(
        label=_("Reasons"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
