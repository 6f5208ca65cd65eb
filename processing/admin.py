"""Admin for the register of processing activities (Art. 30) and consents.

Only the privacy officer may change the register; staff members can read it.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from processing import models as m
from subjects.admin import AuditedAdmin


@admin.register(m.Controller)
class ControllerAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "email", "kvk_number", "statement_date"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not m.Controller.objects.exists() and super().has_add_permission(request)


@admin.register(m.LegalBasis)
class LegalBasisAdmin(admin.ModelAdmin):
    list_display = ["code", "article", "name_nl", "name_en"]


@admin.register(m.SubjectCategory)
class SubjectCategoryAdmin(admin.ModelAdmin):
    list_display = ["key", "name_nl", "name_en"]
    search_fields = ["key", "name_nl", "name_en"]


@admin.register(m.DataCategory)
class DataCategoryAdmin(admin.ModelAdmin):
    list_display = ["key", "name_nl", "name_en", "is_special_category"]
    list_filter = ["is_special_category"]
    search_fields = ["key", "name_nl", "name_en"]


@admin.register(m.Recipient)
class RecipientAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "country",
        "outside_eea",
        "transfer_mechanism",
        "processing_agreement_date",
        "next_review_on",
    ]
    list_filter = ["kind", "outside_eea", "transfer_mechanism"]
    search_fields = ["name", "country"]


class ProcessingActivityForm(forms.ModelForm):
    class Meta:
        model = m.ProcessingActivity
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets choose what is shown

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        bases = data.get("legal_bases")
        relies_on_interest = bases is not None and any(b.code == "f" for b in bases)
        if relies_on_interest and not data.get("legitimate_interest_nl"):
            self.add_error(
                "legitimate_interest_nl", _("State the legitimate interest (Art. 6(1)(f)).")
            )
        categories = data.get("data_categories")
        special = categories is not None and any(c.is_special_category for c in categories)
        if special and not data.get("special_category_condition"):
            self.add_error(
                "special_category_condition",
                _("Special-category data needs an Art. 9(2) condition."),
            )
        return data


class ConsentTextInline(admin.TabularInline):
    model = m.ConsentText
    extra = 0
    fields = ["version", "text_nl", "text_en", "published_at"]


@admin.register(m.ProcessingActivity)
class ProcessingActivityAdmin(admin.ModelAdmin):
    form = ProcessingActivityForm
    list_display = ["number", "name_nl", "legal_bases_display", "recipients_display"]
    list_display_links = ["number", "name_nl"]
    list_filter = ["legal_bases", "recipients", "data_categories__is_special_category"]
    search_fields = ["key", "name_nl", "name_en", "purpose_nl", "purpose_en"]
    filter_horizontal = ["subject_categories", "data_categories", "recipients", "legal_bases"]
    inlines = [ConsentTextInline]
    fieldsets = [
        (None, {"fields": ["number", "key", "name_nl", "name_en", "purpose_nl", "purpose_en"]}),
        (_("Who and what"), {"fields": ["subject_categories", "data_categories", "recipients"]}),
        (
            _("Legal basis"),
            {
                "fields": [
                    "legal_bases",
                    "legal_basis_note_nl",
                    "legal_basis_note_en",
                    "legitimate_interest_nl",
                    "legitimate_interest_en",
                    "special_category_condition",
                ]
            },
        ),
        (
            _("Retention, security, source"),
            {
                "fields": [
                    "retention_nl",
                    "retention_en",
                    "security_measures_nl",
                    "security_measures_en",
                    "source_nl",
                    "source_en",
                    "requirement",
                    "consequence_nl",
                    "consequence_en",
                    "automated_decision_making",
                ]
            },
        ),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[m.ProcessingActivity]:
        return (
            super().get_queryset(request).prefetch_related("legal_bases", "recipients").distinct()
        )

    @admin.display(description=_("legal bases"))
    def legal_bases_display(self, obj: m.ProcessingActivity) -> str:
        return ", ".join(b.code for b in obj.legal_bases.all())

    @admin.display(description=_("recipients"))
    def recipients_display(self, obj: m.ProcessingActivity) -> str:
        return ", ".join(r.name for r in obj.recipients.all())


@admin.register(m.Consent)
class ConsentAdmin(AuditedAdmin):
    list_display = ["subject", "activity", "text", "given_at", "given_method", "withdrawn_at"]
    list_filter = ["activity", "given_method", ("withdrawn_at", admin.EmptyFieldListFilter)]
    list_select_related = ["subject", "activity", "text__activity"]
    search_fields = ["subject__last_name", "subject__email"]
    autocomplete_fields = ["subject"]
    date_hierarchy = "given_at"
