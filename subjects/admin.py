"""Admin for data subjects and the personal data held about them.

Every change made here is written to the audit trail. Encrypted special-category fields
(allergies, coaching notes) are left out of forms and lists for staff without the
``subjects.view_special_category_data`` permission.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from leafspring.admin_tools import ReadOnlyAdminMixin
from subjects import models as m
from subjects.permissions import can_view_special_category
from subjects.registry import RestrictableModel, registry
from subjects.services import audit_event_record, unlinked_rows_adopt

RESTRICTION_FIELDS = ("restricted_at", "restriction_ground")


def _subject_of(obj: Model) -> m.DataSubject | None:
    if isinstance(obj, m.DataSubject):
        return obj
    for name in ("subject", "participant", "contact", "coach"):
        value = getattr(obj, name, None)
        if isinstance(value, m.DataSubject):
            return value
    participation = getattr(obj, "participation", None)
    return getattr(participation, "participant", None)


class AuditedAdmin(admin.ModelAdmin):
    """Records who changed or deleted which fields of personal data, and hides encrypted
    fields from staff without the special-category permission."""

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        # Restriction is set and lifted only by the rights-request services: lifting an
        # Art. 18 restriction needs the person told first, and a legal-hold restriction
        # ends with the hold.
        readonly = list(super().get_readonly_fields(request, obj))
        if issubclass(self.model, RestrictableModel):
            readonly += [f for f in RESTRICTION_FIELDS if f not in readonly]
        return readonly

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # Rows under a statutory hold (invoices, business e-mail) must outlive any wish to
        # delete them, and a person is erased through a rights request, which keeps what
        # the law requires and records what was erased.
        entry = registry.get(self.model) if self.model in registry else None
        if self.model is m.DataSubject or (entry is not None and entry.legal_hold):
            return False
        return super().has_delete_permission(request, obj)

    def _encrypted_fields(self) -> tuple[str, ...]:
        return registry.get(self.model).encrypted_fields if self.model in registry else ()

    def get_exclude(self, request: HttpRequest, obj: Model | None = None) -> Any:
        exclude = list(super().get_exclude(request, obj) or [])
        if not can_view_special_category(request.user):
            exclude += self._encrypted_fields()
        return exclude

    def get_list_display(self, request: HttpRequest) -> Any:
        hidden = () if can_view_special_category(request.user) else self._encrypted_fields()
        return [f for f in super().get_list_display(request) if f not in hidden]

    def save_model(self, request: HttpRequest, obj: Model, form: ModelForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit_event_record(
            actor=request.user,
            action="admin.change" if change else "admin.add",
            subject=_subject_of(obj),
            target=obj,
            changed_fields=list(form.changed_data),
        )
        # A message or request entered without its data subject is linked at once (to the
        # person with that e-mail address, or a new one), so rights requests find it. Not
        # a row that belongs to an organisation (an invoice to a client organisation).
        entry = registry.get(self.model) if self.model in registry else None
        if entry is not None and entry.email_field:
            email = getattr(obj, entry.email_field)
            if entry.unlinked_rows(email).filter(pk=obj.pk).exists():
                unlinked_rows_adopt(actor=request.user, email=email)

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        subject = _subject_of(obj)
        target = f"{obj._meta.label} #{obj.pk}"
        super().delete_model(request, obj)
        audit_event_record(
            actor=request.user,
            action="admin.delete",
            subject=None if isinstance(obj, m.DataSubject) else subject,
            target=target,
        )

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        labels = [f"{self.model._meta.label} #{pk}" for pk in queryset.values_list("pk", flat=True)]
        super().delete_queryset(request, queryset)
        for label in labels:
            audit_event_record(actor=request.user, action="admin.delete", target=label)


class RoleInline(admin.TabularInline):
    model = m.SubjectRole
    extra = 0
    autocomplete_fields = ["organisation"]
    fields = ["category", "organisation", "job_title", "started_on", "ended_on"]


@admin.register(m.Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "is_client", "is_supplier"]
    list_filter = ["is_client", "is_supplier"]
    search_fields = ["name", "city", "email"]


@admin.register(m.DataSubject)
class DataSubjectAdmin(AuditedAdmin):
    list_display = ["last_name", "first_name", "email", "city", "language", "restricted_at"]
    list_filter = ["roles__category", "language", ("restricted_at", admin.EmptyFieldListFilter)]
    search_fields = ["first_name", "last_name", "email", "phone"]
    readonly_fields = ["created_at", "updated_at", "marketing_objection_at"]
    inlines = [RoleInline]
    fieldsets = [
        (None, {"fields": ["first_name", "last_name", "email", "phone", "language"]}),
        (_("Address"), {"fields": ["street_address", "postcode", "city"]}),
        (
            _("Restriction and objection"),
            {"fields": ["restricted_at", "restriction_ground", "marketing_objection_at"]},
        ),
        (None, {"fields": ["created_at", "updated_at"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[m.DataSubject]:
        # The role filter joins; DISTINCT keeps one row per person.
        return super().get_queryset(request).distinct()


@admin.register(m.SubjectRole)
class SubjectRoleAdmin(AuditedAdmin):
    list_display = ["subject", "category", "organisation", "started_on", "ended_on"]
    list_filter = ["category"]
    list_select_related = ["subject", "category", "organisation"]
    search_fields = ["subject__last_name", "subject__email", "organisation__name"]
    autocomplete_fields = ["subject", "organisation"]


@admin.register(m.WebsiteVisit)
class WebsiteVisitAdmin(admin.ModelAdmin):
    list_display = ["visited_at", "ip_address", "operating_system", "browser", "path"]
    list_filter = ["operating_system", "browser"]
    search_fields = ["ip_address", "path"]
    date_hierarchy = "visited_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(m.ContactMessage)
class ContactMessageAdmin(AuditedAdmin):
    list_display = ["received_at", "first_name", "last_name", "channel", "next_review_on"]
    list_filter = ["channel", "next_review_on"]
    search_fields = ["first_name", "last_name", "email", "phone"]
    autocomplete_fields = ["subject"]
    date_hierarchy = "received_at"


@admin.register(m.Correspondence)
class CorrespondenceAdmin(AuditedAdmin):
    list_display = ["sent_at", "subject_line", "counterpart_email", "direction", "restricted_at"]
    list_filter = ["direction"]
    search_fields = ["subject_line", "counterpart_email"]
    autocomplete_fields = ["subject"]
    date_hierarchy = "sent_at"


@admin.register(m.BrochureRequest)
class BrochureRequestAdmin(AuditedAdmin):
    list_display = ["requested_at", "first_name", "last_name", "email", "followed_up_at"]
    search_fields = ["first_name", "last_name", "email"]
    autocomplete_fields = ["subject"]
    date_hierarchy = "requested_at"


@admin.register(m.NewsletterSubscription)
class NewsletterSubscriptionAdmin(AuditedAdmin):
    list_display = ["email", "basis", "subscribed_at", "unsubscribed_at"]
    list_filter = ["basis", ("unsubscribed_at", admin.EmptyFieldListFilter)]
    search_fields = ["email"]
    autocomplete_fields = ["subject"]
    exclude = ["unsubscribe_token"]


class ParticipantInline(admin.TabularInline):
    model = m.TrajectoryParticipant
    fk_name = "trajectory"
    extra = 0
    autocomplete_fields = ["participant", "mentor"]
    fields = ["participant", "mentor"]


@admin.register(m.Trajectory)
class TrajectoryAdmin(AuditedAdmin):
    list_display = ["title", "kind", "organisation", "coach", "started_on", "ended_on"]
    list_filter = ["kind", ("ended_on", admin.EmptyFieldListFilter)]
    list_select_related = ["organisation", "coach"]
    search_fields = ["title", "organisation__name"]
    autocomplete_fields = ["organisation", "coach"]
    inlines = [ParticipantInline]


@admin.register(m.TrajectoryParticipant)
class TrajectoryParticipantAdmin(AuditedAdmin):
    list_display = ["participant", "trajectory", "mentor"]
    list_select_related = ["participant", "trajectory", "mentor"]
    search_fields = ["participant__last_name", "participant__email", "trajectory__title"]
    autocomplete_fields = ["trajectory", "participant", "mentor"]


@admin.register(m.TraineeProfile)
class TraineeProfileAdmin(AuditedAdmin):
    list_display = ["participation", "job_title", "allergies"]
    list_select_related = ["participation__participant", "participation__trajectory"]
    search_fields = ["participation__participant__last_name", "job_title"]
    autocomplete_fields = ["participation"]


@admin.register(m.CoachingNote)
class CoachingNoteAdmin(AuditedAdmin):
    list_display = ["participant", "trajectory", "written_at", "content"]
    list_select_related = ["participant", "trajectory"]
    search_fields = ["participant__last_name", "trajectory__title"]
    autocomplete_fields = ["participant", "trajectory"]
    date_hierarchy = "written_at"


@admin.register(m.CoachingMonitorParticipation)
class CoachingMonitorParticipationAdmin(AuditedAdmin):
    list_display = ["subject", "trajectory", "invited_at", "research_consent", "anonymised_at"]
    list_filter = ["research_consent", ("anonymised_at", admin.EmptyFieldListFilter)]
    list_select_related = ["subject", "trajectory"]
    search_fields = ["subject__last_name", "trajectory__title"]
    autocomplete_fields = ["subject", "trajectory"]


@admin.register(m.ClientEvaluation)
class ClientEvaluationAdmin(admin.ModelAdmin):
    list_display = ["evaluated_on", "trajectory_kind", "score"]
    list_filter = ["trajectory_kind"]
    date_hierarchy = "evaluated_on"


class ToolAccountAdmin(AuditedAdmin):
    list_display = ["subject", "external_id", "created_at", "deletion_requested_at"]
    list_filter = [("deletion_requested_at", admin.EmptyFieldListFilter)]
    list_select_related = ["subject"]
    search_fields = ["subject__last_name", "subject__email", "external_id"]
    autocomplete_fields = ["subject"]


admin.site.register(m.CliftonStrengthsAccount, ToolAccountAdmin)
admin.site.register(m.E2GrowAccount, ToolAccountAdmin)


@admin.register(m.Invoice)
class InvoiceAdmin(AuditedAdmin):
    list_display = ["number", "issued_on", "billing_name", "amount", "paid_on", "restricted_at"]
    list_filter = [("paid_on", admin.EmptyFieldListFilter)]
    search_fields = ["number", "billing_name", "email"]
    autocomplete_fields = ["subject", "organisation"]
    date_hierarchy = "issued_on"


@admin.register(m.SupplierDetails)
class SupplierDetailsAdmin(AuditedAdmin):
    list_display = ["organisation", "contact", "kvk_number", "last_invoice_on"]
    list_select_related = ["organisation", "contact"]
    search_fields = ["organisation__name", "kvk_number"]
    autocomplete_fields = ["organisation", "contact"]


@admin.register(m.StudyTripReferral)
class StudyTripReferralAdmin(AuditedAdmin):
    list_display = ["subject", "company_name", "shared_at"]
    list_select_related = ["subject"]
    search_fields = ["subject__last_name", "company_name"]
    autocomplete_fields = ["subject"]


@admin.register(m.AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "actor_name", "action", "subject_reference", "target"]
    list_filter = ["action"]
    search_fields = ["actor_label", "action", "subject_reference", "target"]
    date_hierarchy = "at"

    @admin.display(description=_("by"), ordering="actor_label")
    def actor_name(self, obj: m.AuditEvent) -> str:
        return obj.actor_display
