from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ReviewKeepForm(forms.Form):
    """Keep a contact message: why, and when to look at it again."""

    reason = forms.CharField(label=_("Reason to keep"), max_length=300)
    next_review_on = forms.DateField(
        label=_("Next review on"), widget=forms.DateInput(attrs={"type": "date"})
    )


class TrajectoryEndForm(forms.Form):
    """Set the end of a trajectory that had none."""

    ended_on = forms.DateField(label=_("End"), widget=forms.DateInput(attrs={"type": "date"}))


class TrajectoryKeepForm(forms.Form):
    """Keep a trajectory open without an end date: why, and when to look at it again."""

    reason = forms.CharField(label=_("Reason to keep it open"), max_length=300)
    next_review_on = forms.DateField(
        label=_("Next review on"), widget=forms.DateInput(attrs={"type": "date"})
    )
