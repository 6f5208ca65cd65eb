"""The public request form and the staff action forms. Forms validate; services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from processing.models import RETIRED_PURPOSES, ProcessingActivity
from requests_dsar.fulfilment.erasure import ACCOUNT_TOOLS
from requests_dsar.models import (
    ObjectionDecision,
    ObjectionKind,
    RecipientTask,
    RequestType,
    VerificationMethod,
)
from requests_dsar.summary import RESTRICTION_GROUND_WORDS, account_label, consent_label
from subjects.registry import Art18Ground

RIGHT_EXPLANATIONS = {
    RequestType.ACCESS: _("See which personal data we hold about you, why, and who receives it."),
    RequestType.RECTIFICATION: _("Have incorrect or incomplete data about you corrected."),
    RequestType.RESTRICTION: _("Have us keep your data but stop using it for the time being."),
    RequestType.ERASURE: _("Have your data erased, except what the law obliges us to keep."),
    RequestType.OBJECTION: _("Object to our use of your data, for example for the newsletter."),
    RequestType.CONSENT_WITHDRAWAL: _("Withdraw a consent you gave us earlier."),
    RequestType.PORTABILITY: _(
        "Receive the data you gave us in a computer file, or have it sent to another organisation."
    ),
}
# Why a person asks for restriction, in their own words (the points of Art. 18(1)); staff
# confirm it.
RESTRICTION_GROUND_CHOICES = [
    ("", _("I am not sure: please assess it with me.")),
    *RESTRICTION_GROUND_WORDS.items(),
]
# What an erasure covers: everything (the default), or only the tool accounts ticked.
ERASE_EVERYTHING = "everything"
ERASE_ACCOUNTS = "accounts"
MAX_TEXT = 5000
MAX_ID = 2**63 - 1  # the largest primary key the databases can hold


def _right_choices() -> list[tuple[str, str]]:
    return [
        (value, f"{label.capitalize()} – {RIGHT_EXPLANATIONS[value]}")
        for value, label in RequestType.choices
    ]


class PublicRequestForm(forms.Form):
    request_type = forms.ChoiceField(
        label=_("Which right do you want to exercise?"), widget=forms.RadioSelect
    )
    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        help_text=_("We send a link to this address to confirm that it is yours."),
    )
    details = forms.CharField(
        label=_("Explanation"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "For a correction: what is wrong and what it should be. For an objection or a "
            "restriction: why. Otherwise optional."
        ),
    )
    restriction_ground = forms.ChoiceField(
        label=_("Why should we restrict your data?"),
        required=False,
        initial="",
        choices=RESTRICTION_GROUND_CHOICES,
        widget=forms.RadioSelect,
    )
    erasure_scope = forms.ChoiceField(
        label=_("What do you want erased?"),
        required=False,
        initial=ERASE_EVERYTHING,
        choices=[
            (
                ERASE_EVERYTHING,
                _("Everything we hold about you, except what the law obliges us to keep"),
            ),
            (
                ERASE_ACCOUNTS,
                _(
                    "Only your account at CliftonStrengths or E2Grow (or both); everything "
                    "else stays"
                ),
            ),
        ],
        widget=forms.RadioSelect,
    )
    erasure_accounts = forms.MultipleChoiceField(
        label=_("Which accounts do you want deleted?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    objection_kind = forms.ChoiceField(
        label=_("What do you object to?"),
        required=False,
        choices=[c for c in ObjectionKind.choices if c[0]],
        widget=forms.RadioSelect,
    )
    objection_activities = forms.MultipleChoiceField(
        label=_("Which processing do you object to?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    consents = forms.MultipleChoiceField(
        label=_("Which consents do you withdraw?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    portability_recipient_email = forms.EmailField(
        label=_("Send the file directly to this organisation (optional)"),
        required=False,
        max_length=254,
    )
    # Honeypot: hidden from people, filled in by bots.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            multiple = isinstance(field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple)
            field.widget.attrs.setdefault(
                "class", "form-check-input" if multiple else "form-control"
            )
        self.fields["request_type"].choices = _right_choices()
        activities = list(
            ProcessingActivity.objects.prefetch_related("legal_bases", "consent_texts")
        )
        # Labelled with what is withdrawn (the wording agreed to), not only the activity:
        # "Deelnemers traineeship-programma" alone reads like leaving the programme.
        self.fields["consents"].choices = [
            (a.key, consent_label(a))
            for a in activities
            # Only activities that still ask a consent (the 2020 contact-form wording asked
            # one, but nothing rests on it any more).
            if any(t.purpose not in RETIRED_PURPOSES for t in a.consent_texts.all())
        ]
        self.fields["erasure_accounts"].choices = [
            (a.key, account_label(a.key)) for a in activities if a.key in ACCOUNT_TOOLS
        ]
        self.fields["objection_activities"].choices = [
            (a.key, a.tr("name"))
            for a in activities
            if any(b.code == "f" for b in a.legal_bases.all())
        ]

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind = data.get("request_type")
        if kind == RequestType.RECTIFICATION and not data.get("details"):
            self.add_error("details", _("Tell us what is wrong and what it should be."))
        if kind == RequestType.ERASURE:
            scope = data.get("erasure_scope") or ERASE_EVERYTHING
            if scope == ERASE_ACCOUNTS and not data.get("erasure_accounts"):
                self.add_error("erasure_accounts", _("Choose at least one account."))
            elif scope == ERASE_EVERYTHING and data.get("erasure_accounts"):
                # Never guess between erasing everything and erasing one account.
                self.add_error(
                    "erasure_accounts",
                    _(
                        "You chose to have everything erased and also ticked an account. "
                        "Choose “Only your account at CliftonStrengths or E2Grow” to have only "
                        "that account deleted, or untick the account."
                    ),
                )
        if kind == RequestType.CONSENT_WITHDRAWAL and not data.get("consents"):
            self.add_error("consents", _("Choose at least one consent."))
        if kind == RequestType.OBJECTION:
            if not data.get("objection_kind"):
                self.add_error("objection_kind", _("Choose what you object to."))
            elif data["objection_kind"] == ObjectionKind.LEGITIMATE_INTEREST and not (
                data.get("objection_activities") and data.get("details")
            ):
                self.add_error(
                    "objection_activities",
                    _("Choose the processing and tell us why you object to it."),
                )
        return data

    def service_fields(self, *, language: str) -> dict[str, Any]:
        """The cleaned data as keyword arguments for ``dsar_request_submit``."""
        data = self.cleaned_data
        kind = data["request_type"]
        activities: list[str] = []
        if kind == RequestType.ERASURE and data.get("erasure_scope") == ERASE_ACCOUNTS:
            activities = data["erasure_accounts"]
        elif kind == RequestType.CONSENT_WITHDRAWAL:
            activities = data["consents"]
        elif kind == RequestType.OBJECTION:
            activities = (
                data["objection_activities"]
                if data["objection_kind"] == ObjectionKind.LEGITIMATE_INTEREST
                else ["newsletter"]
            )
        return {
            "request_type": kind,
            "name": data["name"],
            "email": data["email"],
            "language": language,
            "details": data.get("details", ""),
            "activities": activities,
            "objection_kind": data.get("objection_kind", "")
            if kind == RequestType.OBJECTION
            else "",
            "portability_recipient_email": (
                data.get("portability_recipient_email", "")
                if kind == RequestType.PORTABILITY
                else ""
            ),
            "restriction_ground_stated": (
                data.get("restriction_ground", "") if kind == RequestType.RESTRICTION else ""
            ),
        }


class QueueFilterForm(forms.Form):
    request_type = forms.ChoiceField(
        label=_("Right"), required=False, choices=[("", _("all"))] + list(RequestType.choices)
    )
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from requests_dsar.models import Status

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("open")), ("all", _("all"))] + list(Status.choices)


class StaffVerifyForm(forms.Form):
    method = forms.ChoiceField(label=_("Method"), choices=VerificationMethod.choices)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DeliveryMixin(forms.Form):
    """For a request without an e-mail address (received by letter, phone or in person),
    staff say how the person receives what is sent; with an address the field is left
    out and the e-mail goes as usual."""

    sent_how = forms.CharField(
        label=_("No e-mail address is known: how the person receives this"),
        help_text=_("For example: by letter to their home address, or told by phone on ..."),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, has_email: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if has_email:
            del self.fields["sent_how"]


class ExtendForm(DeliveryMixin):
    field_order = ["months", "reason", "sent_how"]
    months = forms.TypedChoiceField(
        label=_("Extend by"),
        coerce=int,
        choices=[(1, _("one month")), (2, _("two months"))],
    )
    reason = forms.CharField(
        label=_("Reason (sent to the requester)"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RejectForm(DeliveryMixin):
    justification = forms.CharField(
        label=_("Written justification (sent to the requester)"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    field_order = ["justification", "sent_how"]


class DuplicateForm(forms.Form):
    original = forms.CharField(label=_("Reference of the original request"), max_length=20)


class LinkSubjectForm(forms.Form):
    subject_id = forms.IntegerField(label=_("Data subject number"), min_value=1, max_value=MAX_ID)


class TaskResolveForm(forms.Form):
    task_id = forms.IntegerField(min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)
    state = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (RecipientTask.State.DONE, _("done")),
            (RecipientTask.State.NOT_POSSIBLE, _("not possible")),
        ],
    )
    reason = forms.CharField(label=_("Reason / note"), required=False, max_length=MAX_TEXT)


class ObjectionDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[c for c in ObjectionDecision.choices if c[0]]
    )
    reasons = forms.CharField(
        label=_("Reasons"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, absolute: bool = False, **kwargs: Any) -> None:
        """``absolute``: the objection is to direct marketing only, which cannot be
        overruled (Art. 21(3)), so the form offers only to uphold it."""
        super().__init__(*args, **kwargs)
        if absolute:
            upheld = ObjectionDecision.UPHELD
            self.fields["decision"].choices = [(upheld.value, upheld.label)]  # type: ignore[attr-defined]


class RestrictForm(forms.Form):
    """Staff confirm the point of Art. 18(1) the restriction rests on (the person's own
    choice is offered first)."""

    ground = forms.ChoiceField(
        label=_("Ground of the restriction"),
        choices=[("", "---------"), *Art18Ground.choices],
        help_text=_(
            "Under (b) and (c) the data are kept for the person, also past their retention "
            "limit, until the restriction is lifted; under (a) and (d) the limit still applies."
        ),
    )


class RestrictionLiftForm(forms.Form):
    informed_on = forms.DateField(label=_("The person was told on"))
    informed_how = forms.CharField(label=_("How the person was told"), max_length=200)


class PortabilityForm(forms.Form):
    send_to_organisation = forms.BooleanField(
        label=_("Also send the file to the organisation the person named"), required=False
    )


class CompleteForm(DeliveryMixin):
    answer = forms.CharField(
        label=_("Answer (sent to the requester)"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    field_order = ["answer", "sent_how"]


class RectificationForm(forms.Form):
    subject_id = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_ID)
    first_name = forms.CharField(label=_("first name"), max_length=100)
    last_name = forms.CharField(label=_("last name"), max_length=100)
    email = forms.EmailField(label=_("e-mail address"), required=False, max_length=254)
    phone = forms.CharField(label=_("phone number"), required=False, max_length=30)
    street_address = forms.CharField(label=_("address"), required=False, max_length=200)
    postcode = forms.CharField(label=_("postcode"), required=False, max_length=10)
    city = forms.CharField(label=_("city"), required=False, max_length=100)
    language = forms.ChoiceField(
        label=_("preferred language"), choices=[("nl", _("Dutch")), ("en", _("English"))]
    )


class ProfileRectificationForm(forms.Form):
    profile_id = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_ID)
    job_title = forms.CharField(label=_("job title"), required=False, max_length=150)
    education = forms.CharField(
        label=_("education"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    work_experience = forms.CharField(
        label=_("work experience"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class NoChangeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why no correction is needed (told to the requester)"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


NOT_CHECKED_YET = "not-yet"


class RecordRequestForm(forms.Form):
    """A request staff received by e-mail, letter, phone or in person."""

    channel = forms.ChoiceField(label=_("Received by"))
    received_at = forms.DateTimeField(
        label=_("Received on (date and time)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("The four weeks run from this moment. Not in the future."),
    )
    request_type = forms.ChoiceField(label=_("Right asked for"), choices=RequestType.choices)
    details = forms.CharField(
        label=_("What was asked"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    name = forms.CharField(label=_("Name of the person"), max_length=200)
    email = forms.EmailField(
        label=_("E-mail address of the person"),
        required=False,
        max_length=254,
        help_text=_("When known, the person receives the receipt with the due date here."),
    )
    language = forms.ChoiceField(
        label=_("Language of the person"), choices=[("nl", _("Dutch")), ("en", _("English"))]
    )
    verification_method = forms.ChoiceField(
        label=_("How the identity was checked"),
        choices=[
            *VerificationMethod.choices,
            (NOT_CHECKED_YET, _("not checked yet: check it, or ask the person (Art. 12(6))")),
        ],
    )
    verification_note = forms.CharField(
        label=_("Note on the identity check"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    subject_id = forms.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from requests_dsar.services.received import STAFF_CHANNELS

        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = [(c.value, c.label) for c in STAFF_CHANNELS]

    def clean_verification_method(self) -> str:
        value = self.cleaned_data["verification_method"]
        return "" if value == NOT_CHECKED_YET else value

    def clean_received_at(self) -> Any:
        from django.core.exceptions import ValidationError

        from requests_dsar.services.received import received_at_validate

        value = self.cleaned_data["received_at"]
        try:
            received_at_validate(value)
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc
        return value


class IdentityAnswerForm(forms.Form):
    answered_at = forms.DateTimeField(
        label=_("Answer received on (date and time)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_(
            "When the person's answer reached us: the period runs again from then. Not "
            "before the question, not in the future."
        ),
    )


class IdentityQuestionForm(forms.Form):
    question = forms.CharField(
        label=_("What was asked to confirm the identity (Art. 12(6))"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
