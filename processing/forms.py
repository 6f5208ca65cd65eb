"""Forms of the public consent page. Forms validate; ``processing.consent_page`` writes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from processing.models import Consent
from subjects.models import NewsletterSubscription


class ConsentLinkRequestForm(forms.Form):
    """Ask for a link to the consent page. The answer is the same for every address."""

    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        help_text=_("We send a link to the consent page to this address."),
        widget=forms.EmailInput(attrs={"class": "form-control", "autocomplete": "email"}),
    )
    # Honeypot: hidden from people, filled in by bots.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))


class ConsentWithdrawForm(forms.Form):
    """Which consent to withdraw: only one of ``consents`` (the person's own)."""

    consent = forms.ModelChoiceField(queryset=Consent.objects.none())

    def __init__(self, *args: Any, consents: QuerySet[Consent], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consent"].queryset = consents  # type: ignore[attr-defined]


class SubscriptionUnsubscribeForm(forms.Form):
    """Which subscription to end: only one of ``subscriptions`` (the address's own)."""

    subscription = forms.ModelChoiceField(queryset=NewsletterSubscription.objects.none())

    def __init__(
        self, *args: Any, subscriptions: QuerySet[NewsletterSubscription], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subscription"].queryset = subscriptions  # type: ignore[attr-defined]
