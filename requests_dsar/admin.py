"""Read-only admin views of requests: every change goes through the staff dashboard
(``/staff/requests/``) and its services, so it lands in the request's audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from requests_dsar.models import (
    AnswerPackage,
    DsarRequest,
    ErasureRecord,
    RecipientTask,
    RequestEvent,
)


class ReadOnlyMixin:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RequestEventInline(ReadOnlyMixin, admin.TabularInline):
    model = RequestEvent
    fields = ["at", "actor_label", "action", "note"]
    readonly_fields = fields
    extra = 0


class RecipientTaskInline(ReadOnlyMixin, admin.TabularInline):
    model = RecipientTask
    fields = ["recipient", "instruction", "state", "reason", "resolved_at"]
    readonly_fields = fields
    extra = 0


@admin.register(DsarRequest)
class DsarRequestAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["reference", "request_type", "status", "due_on", "created_at"]
    list_filter = ["request_type", "status"]
    search_fields = ["reference"]
    exclude = ["verification_token_hash", "status_token_hash"]
    inlines = [RecipientTaskInline, RequestEventInline]


@admin.register(ErasureRecord)
class ErasureRecordAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["request", "performed_at", "performed_by", "subject_kept"]


@admin.register(AnswerPackage)
class AnswerPackageAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["request", "created_at", "expires_at", "deleted_at", "download_count"]
    exclude = ["token_hash", "directory"]
