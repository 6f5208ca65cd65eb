from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ReviewKeepForm(forms.Form):
    """Keep a contact message: why, and when to look at it again."""

    reason = forms.CharField(label=_("Reason to keep"), max_length=300)
    next_review_on = forms.DateField(
        label=_("Next review on"), widget=forms.DateInput(attrs={"type": "date"})
    )
