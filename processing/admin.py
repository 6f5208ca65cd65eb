"""Admin for the register of processing activities (Art. 30) and consents.

Only the privacy officer may change the register; staff members can read it.

The consent ledger is proof (Art. 7(1)): wording that a consent points at is frozen (read
only, never deleted; "new version" makes the next one), a consent is recorded through
``consent_give`` on the current wording and is never edited afterwards, and withdrawing
goes through ``consent_withdraw``, so the data resting on it goes too.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.db.models import Max, OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from leafspring.admin_tools import AddFormMixin
from processing import models as m
from processing.consent_texts import consent_text_is_draft, consent_text_new_version
from subjects.admin import AuditedAdmin, AuditedModelForm, admin_object_replace
from subjects.consents import consent_give, consent_withdraw


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


class RecipientCheckInline(admin.TabularInline):
    """The log of compliance checks, read only: a check is recorded on the recipient's
    staff page and never changed afterwards."""

    model = m.RecipientCheck
    extra = 0
    fields = ["checked_on", "checked_by_name", "outcome", "findings", "next_check_on"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(m.Recipient)
class RecipientAdmin(admin.ModelAdmin):
    """The agreement's document is uploaded (and validated) on the recipient's staff page;
    here it is only linked."""

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
    inlines = [RecipientCheckInline]
    readonly_fields = ["agreement_document", "processing_agreement_uploaded_at"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "key",
                    "name",
                    "kind",
                    "role_note_nl",
                    "role_note_en",
                    "description_nl",
                    "description_en",
                    "erasure_instructions_nl",
                    "erasure_instructions_en",
                ]
            },
        ),
        (
            _("Agreement"),
            {
                "fields": [
                    "processing_agreement_date",
                    "processing_agreement_version",
                    "next_review_on",
                    "agreement_document",
                    "processing_agreement_uploaded_at",
                ]
            },
        ),
        (
            _("Transfer outside the EEA"),
            {
                "fields": [
                    "country",
                    "country_en",
                    "outside_eea",
                    "transfer_mechanism",
                    "dpf_checked_on",
                    "dpf_listed_as",
                    "scc_module",
                    "scc_version",
                    "transfer_assessment_on",
                ]
            },
        ),
    ]

    @admin.display(description=_("agreement document (PDF)"))
    def agreement_document(self, obj: m.Recipient) -> str:
        if obj.pk is None:
            return "—"
        if obj.processing_agreement_document:
            return format_html(
                '<a href="{}">{}</a>',
                reverse("recipients:agreement_document", args=[obj.key]),
                gettext("Download the agreement (PDF)"),
            )
        return format_html(
            '<a href="{}#agreement-form">{}</a>',
            reverse("recipients:detail", args=[obj.key]),
            gettext("Upload it on the recipient's page"),
        )


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
    """The wording versions of the activity, read only here: each is changed (while no
    consent points at it) or given a new version on its own page."""

    model = m.ConsentText
    extra = 0
    fields = ["purpose", "version", "published_at", "frozen_at"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(m.ProcessingActivity)
class ProcessingActivityAdmin(admin.ModelAdmin):
    form = ProcessingActivityForm
    list_display = ["number", "name_nl", "legal_bases_display", "recipients_display"]
    list_display_links = ["number", "name_nl"]
    list_filter = ["legal_bases", "recipients", "data_categories__is_special_category"]
    search_fields = ["key", "name_nl", "name_en", "purpose_nl", "purpose_en"]
    filter_horizontal = [
        "subject_categories",
        "data_categories",
        "recipients",
        "legal_bases",
        "indirect_subject_categories",
    ]
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
        (
            _("Privacy statement"),
            {"fields": ["indirect_subject_categories", "profiling_nl", "profiling_en"]},
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


FROZEN_MESSAGE = _(
    "People agreed to this wording, so it can no longer be changed or deleted. Make a new "
    "version instead."
)


@admin.register(m.ConsentText)
class ConsentTextAdmin(admin.ModelAdmin):
    """Wording versions. A frozen version (a consent points at it) is shown read only and
    cannot be deleted; "new version" copies it into the next version, a draft to change
    and publish. A version nobody agreed to yet stays editable."""

    list_display = ["__str__", "activity", "version", "published", "frozen_at"]
    list_filter = ["purpose", "activity"]
    list_select_related = ["activity"]
    search_fields = ["text_nl", "text_en"]
    fields = ["activity", "purpose", "version", "text_nl", "text_en", "published_at", "frozen_at"]
    readonly_fields = ["frozen_at"]
    actions = ["new_version"]
    change_form_template = "subjects/staff/consenttext_change_form.html"

    @admin.display(description=_("published at"), ordering="published_at")
    def published(self, obj: m.ConsentText) -> str:
        if consent_text_is_draft(obj):
            return gettext("draft, not published")
        return timezone.localtime(obj.published_at).strftime("%Y-%m-%d %H:%M")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_frozen:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_frozen:
            return False
        return super().has_delete_permission(request, obj)

    def _new_version(self, request: HttpRequest, text: m.ConsentText) -> m.ConsentText:
        new = consent_text_new_version(actor=request.user, text=text)
        self.log_addition(request, new, [{"added": {}}])
        messages.success(
            request,
            gettext(
                "Version %(new)s was made as a draft with the wording of version %(old)s. "
                "Change the wording and set when it is published; until then the current "
                "version stays in use. Consents given on earlier versions keep pointing at "
                "the wording they agreed to."
            )
            % {"new": new.version, "old": text.version},
        )
        return new

    def _change_url(self, text: m.ConsentText) -> str:
        return reverse("admin:processing_consenttext_change", args=[text.pk])

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        text = self.get_object(request, unquote(object_id))
        if text is not None and request.method == "POST":
            if "_new_version" in request.POST:
                if not self.has_add_permission(request):
                    return super().change_view(request, object_id, form_url, extra_context)
                return HttpResponseRedirect(self._change_url(self._new_version(request, text)))
            if text.is_frozen:
                # Nothing of a frozen wording is saved, whatever was posted.
                messages.error(request, FROZEN_MESSAGE)
                return HttpResponseRedirect(self._change_url(text))
        context = dict(extra_context or {})
        context["show_new_version"] = text is not None and self.has_add_permission(request)
        context["is_frozen"] = text is not None and text.is_frozen
        return super().change_view(request, object_id, form_url, context)

    @admin.action(description=_("New version of the selected wording"), permissions=["add"])
    def new_version(self, request: HttpRequest, queryset: QuerySet[m.ConsentText]) -> Any:
        made = [self._new_version(request, text) for text in queryset]
        if len(made) == 1:
            return HttpResponseRedirect(self._change_url(made[0]))
        return None


def _current_texts() -> QuerySet[m.ConsentText]:
    """The wording shown today for each purpose that forms still use (the newest
    published version)."""
    now = timezone.now()
    newest = (
        m.ConsentText.objects.filter(purpose=OuterRef("purpose"), published_at__lte=now)
        .values("purpose")
        .annotate(newest=Max("version"))
        .values("newest")
    )
    return (
        m.ConsentText.objects.filter(published_at__lte=now, version=Subquery(newest))
        .exclude(purpose__in=m.RETIRED_PURPOSES)
        .select_related("activity")
        .order_by("activity__number", "purpose")
    )


class WordingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: m.ConsentText) -> str:
        text = obj.tr("text")
        wording = text if len(text) <= 120 else f"{text[:117]}..."
        return f"{obj.get_purpose_display()} (v{obj.version}): {wording}"


class ConsentAddForm(AuditedModelForm):
    """A consent staff record from a document or a conversation: on the current wording
    of its purpose, in the language it was shown in, naming the document."""

    text = WordingChoiceField(queryset=m.ConsentText.objects.none(), label=_("wording agreed to"))
    given_method = forms.ChoiceField(label=_("given how"))

    class Meta:
        model = m.Consent
        fields = [
            "subject",
            "text",
            "language",
            "given_method",
            "given_via",
            "given_at",
            "keep_until",
            "agreed_purpose",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].queryset = _current_texts()
        self.fields["given_method"].choices = [
            (method.value, method.label) for method in m.ConsentMethod if method in m.STAFF_METHODS
        ]
        self.fields["given_via"].required = True

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        subject, text = data.get("subject"), data.get("text")
        if subject is None or text is None:
            return data
        active = (
            m.Consent.objects.filter(
                subject=subject, purpose=text.purpose, withdrawn_at__isnull=True
            )
            .order_by("-given_at")
            .first()
        )
        if active is not None:
            self.add_error(
                "text",
                gettext(
                    "This person already gave this consent on %(date)s, and has not withdrawn it."
                )
                % {"date": timezone.localtime(active.given_at).strftime("%d-%m-%Y")},
            )
        given_at = data.get("given_at")
        if given_at is not None and given_at < text.published_at:
            self.add_error(
                "given_at",
                gettext("This wording was only published on %(date)s.")
                % {"date": timezone.localtime(text.published_at).strftime("%d-%m-%Y")},
            )
        return data


WITHDRAWAL_ACTIONS = {
    "blanked": _("cleared"),
    "deleted": _("deleted"),
    "kept": _("kept, restricted, under a legal hold"),
}


def _removed_lines(rows: Counter[str]) -> list[str]:
    """What a withdrawal did to the data, as staff read it ("trainee profiles: 1
    cleared"), in the model's own name."""
    lines = []
    for key, count in sorted(rows.items()):
        if not count:
            continue
        label, _sep, what = key.rpartition(" ")
        model = apps.get_model(label)
        lines.append(
            f"{model._meta.verbose_name_plural}: {count} {WITHDRAWAL_ACTIONS.get(what, what)}"
        )
    return lines


@admin.register(m.Consent)
class ConsentAdmin(AddFormMixin, AuditedAdmin):
    """The consent ledger. A consent is added through ``consent_give`` and never edited
    or deleted afterwards: it is proof. Withdrawing goes through the action, which calls
    ``consent_withdraw``, so the data resting on the consent goes at once and recipients
    holding a copy get an Art. 19 task."""

    list_display = ["subject", "activity", "text", "given_at", "given_method", "withdrawn_at"]
    list_filter = [
        "activity",
        "purpose",
        "given_method",
        ("withdrawn_at", admin.EmptyFieldListFilter),
    ]
    list_select_related = ["subject", "activity", "text__activity"]
    search_fields = ["subject__last_name", "subject__email"]
    autocomplete_fields = ["subject"]
    date_hierarchy = "given_at"
    actions = ["withdraw_selected"]
    add_form = ConsentAddForm
    add_fieldsets = [
        (None, {"fields": ["subject", "text", "language"]}),
        (_("Given"), {"fields": ["given_method", "given_via", "given_at"]}),
        (_("Kept longer (optional)"), {"fields": ["keep_until", "agreed_purpose"]}),
    ]
    fieldsets = [
        (None, {"fields": ["subject", "activity", "purpose", "text", "language"]}),
        (
            _("Given"),
            {"fields": ["given_at", "given_method", "given_via_shown", "recorded_by"]},
        ),
        (
            _("Withdrawn"),
            {
                "fields": [
                    "withdrawn_at",
                    "withdrawn_method",
                    "withdrawn_via_shown",
                    "withdrawn_by",
                ]
            },
        ),
        (_("Kept longer"), {"fields": ["keep_until", "agreed_purpose"]}),
        (_("Restriction"), {"fields": ["restricted_at", "restriction_ground"]}),
    ]

    @admin.display(description=_("given through"))
    def given_via_shown(self, obj: m.Consent) -> str:
        return obj.given_via_display

    @admin.display(description=_("withdrawn through"))
    def withdrawn_via_shown(self, obj: m.Consent) -> str:
        return obj.withdrawn_via_display

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A recorded consent is shown read only; the change permission (without a
        # consent) is what the withdraw action needs.
        if obj is not None:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Proof of a consent is never deleted by hand; it goes with the person through a
        # rights request.
        return False

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # Choosing the consent of a MeetIn referral: only active consents for MeetIn.
        if (
            request.GET.get("model_name") == "studytripreferral"
            and request.GET.get("field_name") == "consent"
        ):
            queryset = queryset.filter(purpose="meetin", withdrawn_at__isnull=True)
        return queryset, may_have_duplicates

    def save_model(
        self, request: HttpRequest, obj: Any, form: forms.ModelForm, change: bool
    ) -> None:
        if change:  # never: a recorded consent is read only
            return
        consent = consent_give(
            subject=obj.subject,
            purpose=obj.text.purpose,
            method=obj.given_method,
            via=obj.given_via,
            language=obj.language,
            actor=request.user,
            text=obj.text,
            given_at=obj.given_at,
        )
        if obj.keep_until or obj.agreed_purpose:
            consent.keep_until = obj.keep_until
            consent.agreed_purpose = obj.agreed_purpose
            consent.save(update_fields=["keep_until", "agreed_purpose"])
        admin_object_replace(obj, consent)

    @admin.action(description=_("Withdraw selected consents"), permissions=["change"])
    def withdraw_selected(self, request: HttpRequest, queryset: QuerySet[m.Consent]) -> None:
        user = request.user
        result = consent_withdraw(
            consents=list(queryset.filter(withdrawn_at__isnull=True)),
            actor=user,
            method=m.ConsentMethod.STAFF,
            via=user.get_full_name() or user.get_username(),
        )
        if not result.consents:
            messages.warning(request, gettext("The selected consents were already withdrawn."))
            return
        summary = ngettext(
            "%(count)d consent withdrawn.", "%(count)d consents withdrawn.", result.consents
        ) % {"count": result.consents}
        if lines := _removed_lines(result.rows):
            summary += " " + gettext("Data resting on it: %(lines)s.") % {"lines": "; ".join(lines)}
        messages.success(request, summary)
        if result.newsletter_stopped:
            messages.info(request, gettext("The newsletter was stopped."))
        if result.tasks:
            messages.warning(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    ngettext(
                        "%(count)d recipient holds a copy and must be told (Art. 19).",
                        "%(count)d recipients hold a copy and must be told (Art. 19).",
                        len(result.tasks),
                    )
                    % {"count": len(result.tasks)},
                    reverse("requests_dsar:staff_withdrawal_tasks"),
                    gettext("To the tasks"),
                ),
            )
