"""The public intake forms: contact, brochure request, newsletter sign-up. Forms validate;
the services in ``subjects.intake`` and ``subjects.newsletter`` write.

A consent checkbox is labelled with the exact wording of the current version of its
purpose, in the page's language, and carries that version's id in a hidden field, so the
consent records the wording the person read (DESIGN.md §1.5). Every box is unticked
until the person ticks it (Art. 4(11), 7; CJEU C-673/17)."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from processing.models import ConsentPurpose, ConsentText
from requests_dsar.forms import MAX_ID, MAX_TEXT

# Control characters (C0 without NUL, DEL, C1) and the invisible marks that change the
# direction of text (a right-to-left override in a name would make the e-mail address
# beside it read backwards). NUL is refused by Django's own validator.
_CONTROL = re.compile(
    r"[\x01-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]"
)
# The same, but line breaks and tabs are allowed (the message of the contact form).
_CONTROL_IN_TEXT = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_PHONE = re.compile(r"\+?[0-9 ()./-]+")
MIN_PHONE_DIGITS = 6


def single_line(value: str) -> None:
    if _CONTROL.search(value):
        raise ValidationError(
            _("Remove the line breaks and invisible control characters from this field."),
            code="control",
        )


def plain_text(value: str) -> None:
    if _CONTROL_IN_TEXT.search(value):
        raise ValidationError(
            _("Remove the invisible control characters from this field."), code="control"
        )


def phone_number(value: str) -> None:
    digits = sum(c.isdigit() for c in value)
    if not _PHONE.fullmatch(value) or digits < MIN_PHONE_DIGITS:
        raise ValidationError(
            _("Enter a phone number in digits, for example 06 12345678 or +31 6 12345678."),
            code="phone",
        )


def _name_field(label: Any, autocomplete: str, *, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=100,
        required=required,
        validators=[single_line],
        widget=forms.TextInput(attrs={"autocomplete": autocomplete}),
    )


def _email_field() -> forms.EmailField:
    return forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        validators=[single_line],
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


def _phone_field(*, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=_("Phone number"),
        max_length=30,
        required=False,
        validators=[single_line, phone_number],
        help_text=help_text,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )


def _wording_id_field() -> forms.CharField:
    # Read by ``wording_shown``: a damaged id is an error on its checkbox, where the
    # person sees it, not on a hidden field.
    return forms.CharField(required=False, max_length=30, widget=forms.HiddenInput)


class PublicIntakeForm(forms.Form):
    """What every public intake form shares: a honeypot and Bootstrap classes."""

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
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs.setdefault("class", "form-check-input")
            elif not isinstance(field.widget, forms.HiddenInput):
                field.widget.attrs.setdefault("class", "form-control")

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def plain_fields(self) -> list[forms.BoundField]:
        """The fields drawn one under the other: not the honeypot, not consent boxes
        (``consent_boxes`` draws those with their wording)."""
        skip = {"website", *getattr(self, "consent_purposes", {})}
        return [f for f in self.visible_fields() if f.name not in skip]


class ContactForm(PublicIntakeForm):
    """The contact form. No consent tick: answering rests on the request itself (Art.
    6(1)(b)/(f)), and a required tick would not be free consent (DESIGN.md §1.3a)."""

    first_name = _name_field(_("First name"), "given-name")
    last_name = _name_field(_("Last name"), "family-name")
    phone = _phone_field(help_text=_("Optional: if you would rather be called back."))
    email = _email_field()
    message = forms.CharField(
        label=_("Your question or message"),
        max_length=MAX_TEXT,
        validators=[plain_text],
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    field_order = ["first_name", "last_name", "phone", "email", "message", "website"]


def wording_shown(purpose: str, pk: str | None) -> ConsentText | None:
    """The published wording version with id ``pk`` of ``purpose``, or None when the id
    names no such version (damaged, tampered with, or not published)."""
    if not pk or not pk.isascii() or not pk.isdigit() or not 0 < int(pk) <= MAX_ID:
        return None
    return ConsentText.objects.filter(
        pk=int(pk), purpose=purpose, published_at__lte=timezone.now()
    ).first()


@dataclasses.dataclass(frozen=True)
class ConsentBox:
    """One consent checkbox as the template draws it: the field, the wording shown (in
    the page's language) and the id of that wording version."""

    field: forms.BoundField
    wording_field: str
    wording: ConsentText
    checked: bool

    @property
    def text(self) -> str:
        return self.wording.tr("text")


WORDING_CHANGED = _(
    "The wording of this choice has just changed. Read it again and tick the box if you agree."
)


class ConsentBoxesMixin:
    """Consent checkboxes labelled with the current wording of their purpose.

    ``consent_purposes`` maps a checkbox field to (purpose, hidden wording-id field). A
    purpose without published wording gets no checkbox at all: nobody can agree to a text
    that does not exist."""

    consent_purposes: dict[str, tuple[str, str]] = {}
    fields: dict[str, forms.Field]
    data: Any
    is_bound: bool

    def _consent_boxes_init(self) -> None:
        self.wordings: dict[str, ConsentText] = {}
        self._wording_refused: set[str] = set()
        for name, (purpose, wording_field) in self.consent_purposes.items():
            current = ConsentText.objects.current(purpose)
            if current is None:
                del self.fields[name]
                del self.fields[wording_field]
                continue
            self.wordings[name] = current
            self.fields[name].label = current.tr("text")
            self.fields[wording_field].initial = current.pk

    def _ticked(self, cleaned: dict[str, Any], name: str) -> bool:
        return name in self.fields and bool(cleaned.get(name))

    def wording_agreed(
        self, cleaned: dict[str, Any], name: str, *, current_only: bool = False
    ) -> ConsentText | None:
        """The wording the person saw beside the ticked box ``name``; adds an error and
        returns None when the hidden id does not name a valid version (with
        ``current_only``: the current one)."""
        purpose, wording_field = self.consent_purposes[name]
        shown = wording_shown(purpose, cleaned.get(wording_field))
        if shown is None or (current_only and shown != self.wordings[name]):
            self._wording_refused.add(name)
            self.add_error(name, WORDING_CHANGED)  # type: ignore[attr-defined]
            return None
        return shown

    def consent_boxes(self) -> list[ConsentBox]:
        boxes = []
        for name, (_purpose, wording_field) in self.consent_purposes.items():
            if name not in self.fields:
                continue
            ticked = self.is_bound and bool(
                self.fields[name].widget.value_from_datadict(self.data, {}, name)
            )
            boxes.append(
                ConsentBox(
                    field=self[name],  # type: ignore[index]
                    wording_field=wording_field,
                    wording=self.wordings[name],
                    # After a refused wording the person must read the new text and tick
                    # again: the box is drawn unticked.
                    checked=ticked and name not in self._wording_refused,
                )
            )
        return boxes


class BrochureForm(ConsentBoxesMixin, PublicIntakeForm):
    """The brochure request. Sending the brochure rests on the request itself (Art.
    6(1)(b)); the call within 3 months and the mailing list are two separate, optional,
    unticked consents (Art. 7(2), (4); DESIGN.md §1.3a)."""

    first_name = _name_field(_("First name"), "given-name")
    last_name = _name_field(_("Last name"), "family-name")
    email = _email_field()
    phone = _phone_field(
        help_text=_(
            "Only needed if you want us to call you. Without that choice we do not keep it."
        )
    )
    call = forms.BooleanField(required=False)
    call_wording = _wording_id_field()
    newsletter = forms.BooleanField(required=False)
    newsletter_wording = _wording_id_field()

    field_order = ["first_name", "last_name", "email", "phone"]
    consent_purposes = {
        "call": (ConsentPurpose.BROCHURE_CALL, "call_wording"),
        "newsletter": (ConsentPurpose.NEWSLETTER, "newsletter_wording"),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._consent_boxes_init()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        cleaned["call_text"] = None
        if self._ticked(cleaned, "call"):
            cleaned["call_text"] = self.wording_agreed(cleaned, "call")
            if not cleaned.get("phone") and "phone" not in self.errors:
                self.add_error("phone", _("Enter your phone number, so that we can call you."))
        # A new sign-up is always on the current wording: an older one shown is refused.
        cleaned["newsletter_text"] = (
            self.wording_agreed(cleaned, "newsletter", current_only=True)
            if self._ticked(cleaned, "newsletter")
            else None
        )
        return cleaned


class NewsletterForm(ConsentBoxesMixin, PublicIntakeForm):
    """The newsletter sign-up: the one checkbox is the consent itself, so it must be
    ticked to sign up; the address is confirmed by double opt-in."""

    first_name = _name_field(_("First name (optional)"), "given-name", required=False)
    email = _email_field()
    consent = forms.BooleanField(
        required=False,  # checked in clean(), with a message that says what to do
    )
    consent_wording = _wording_id_field()

    field_order = ["first_name", "email"]
    consent_purposes = {"consent": (ConsentPurpose.NEWSLETTER, "consent_wording")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._consent_boxes_init()

    @property
    def available(self) -> bool:
        """False while no newsletter wording is published: nobody can sign up then."""
        return "consent" in self.fields

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not self.available:
            raise ValidationError(
                _("Signing up is not possible at the moment. Please e-mail us instead.")
            )
        if not cleaned.get("consent"):
            self.add_error(
                "consent", _("Tick the box to confirm that you want to receive the newsletter.")
            )
        else:
            cleaned["text"] = self.wording_agreed(cleaned, "consent", current_only=True)
        return cleaned
