"""Read-only admin views of requests: every change goes through the staff dashboard
(``/staff/requests/``) and its services, so it lands in the request's audit trail."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from leafspring.admin_tools import ReadOnlyAdminMixin
from requests_dsar.models import (
    AnswerPackage,
    DsarRequest,
    ErasureRecord,
    RecipientTask,
    RequestEvent,
)


class RequestEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    """The request's trail: what happened in the reader's language (``subjects.trail``),
    what the staff member wrote as written."""

    model = RequestEvent
    fields = ["at", "actor_name", "what", "note"]
    readonly_fields = fields
    extra = 0

    @admin.display(description=_("by"))
    def actor_name(self, obj: RequestEvent) -> str:
        return obj.actor_display

    @admin.display(description=_("what happened"))
    def what(self, obj: RequestEvent) -> str:
        return obj.what


class RecipientTaskInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = RecipientTask
    fields = ["recipient", "instruction", "state", "reason", "resolved_at"]
    readonly_fields = fields
    extra = 0


@admin.register(DsarRequest)
class DsarRequestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["reference", "request_type", "status", "channel", "due_on", "received_at"]
    list_filter = ["request_type", "status"]
    search_fields = ["reference"]
    exclude = ["verification_token_hash", "status_token_hash"]
    inlines = [RecipientTaskInline, RequestEventInline]


@admin.register(ErasureRecord)
class ErasureRecordAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["request", "performed_at", "performed_by", "subject_kept"]


@admin.register(AnswerPackage)
class AnswerPackageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["request", "created_at", "expires_at", "deleted_at", "download_count"]
    exclude = ["token_hash", "directory"]
