"""Admin for retention rules, legal holds and the log of retention runs.

Rules come from the register in code (``processing.register_data``) and the beat
schedule (``retention.schedule``): their limits, actions and intervals are read-only
here. The run log is read-only for everyone; failed runs stand out in the list.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from leafspring.admin_tools import IsolatedColumnsMixin, ReadOnlyAdminMixin
from retention.models import LegalHold, RetentionRule, RetentionRun
from retention.tasks import retention_rule_apply_task
from subjects.services import audit_event_record


@admin.register(RetentionRule)
class RetentionRuleAdmin(admin.ModelAdmin):
    list_display = ["key", "name_nl", "limit_value", "limit_unit", "action", "run_every_hours"]
    list_filter = ["action", "is_active"]
    readonly_fields = [
        "key",
        "limit_value",
        "limit_unit",
        "clock_anchor",
        "action",
        "run_every_hours",
        "review_every_days",
    ]
    filter_horizontal = ["activities"]
    actions = ["run_now"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Run the selected rules now"), permissions=["change"])
    def run_now(self, request: HttpRequest, queryset: QuerySet[RetentionRule]) -> None:
        for rule in queryset:
            retention_rule_apply_task.delay(rule.key, RetentionRun.Trigger.STAFF)
        self.message_user(
            request,
            _("Queued; the result appears under retention runs."),
            messages.SUCCESS,
        )


@admin.register(LegalHold)
class LegalHoldAdmin(IsolatedColumnsMixin, admin.ModelAdmin):
    """Specific holds (a data subject, until a date) are added here; the statutory hold
    belongs to its rule and comes from the register."""

    list_display = ["key", "name_nl", "article", "retention_rule", "subject", "held_until"]
    list_filter = ["retention_rule"]
    autocomplete_fields = ["subject"]
    readonly_fields = ["created_by", "created_at"]

    def save_model(
        self, request: HttpRequest, obj: LegalHold, form: ModelForm, change: bool
    ) -> None:
        if not change:
            obj.created_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)
        audit_event_record(
            actor=request.user,
            action="retention.hold-change" if change else "retention.hold-add",
            subject=obj.subject,
            target=obj,
            changed_fields=list(form.changed_data),
        )

    def delete_model(self, request: HttpRequest, obj: LegalHold) -> None:
        """Audited with the person, so the next retention runs judge them again (the hold
        may have been all that kept them: ``retention.selectors.people_changed_since``)."""
        subject, target = obj.subject, f"{obj._meta.label} #{obj.pk}"
        super().delete_model(request, obj)
        audit_event_record(
            actor=request.user, action="retention.hold-delete", subject=subject, target=target
        )

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[LegalHold]) -> None:
        holds = [
            (h.subject, f"{h._meta.label} #{h.pk}") for h in queryset.select_related("subject")
        ]
        super().delete_queryset(request, queryset)
        for subject, target in holds:
            audit_event_record(
                actor=request.user, action="retention.hold-delete", subject=subject, target=target
            )


class FailedFirst(admin.SimpleListFilter):
    title = _("needs attention")
    parameter_name = "attention"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("failed", _("failed or still running"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[RetentionRun]) -> Any:
        if self.value() == "failed":
            return queryset.exclude(outcome=RetentionRun.Outcome.SUCCESS)
        return queryset


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """What each run did: read-only, for the privacy officer and the supervisory
    authority (Art. 5(2): the controller can demonstrate compliance)."""

    list_display = [
        "started_at",
        "rule",
        "trigger",
        "outcome_badge",
        "total_rows",
        "due_for_review",
        "duration_seconds",
    ]
    list_filter = [FailedFirst, "outcome", "rule", "trigger", "started_at"]
    list_select_related = ["rule"]
    date_hierarchy = "started_at"
    search_fields = ["rule__key", "error"]
    fields = [
        "rule",
        "trigger",
        "outcome",
        "started_at",
        "finished_at",
        "duration_seconds",
        "cutoff",
        "rows_table",
        "total_rows",
        "due_for_review",
        "error",
    ]
    readonly_fields = fields

    @admin.display(description=_("outcome"), ordering="outcome")
    def outcome_badge(self, obj: RetentionRun) -> str:
        colour = {"success": "green", "failed": "#ba2121", "running": "#b58100"}.get(
            obj.outcome, "inherit"
        )
        return format_html(
            '<strong style="color: {}">{}</strong>', colour, obj.get_outcome_display()
        )

    @admin.display(description=_("rows per model"))
    def rows_table(self, obj: RetentionRun) -> str:
        if not obj.rows_affected:
            return "—"
        return format_html(
            "<table>{}</table>",
            format_html_join(
                "", "<tr><td>{}</td><td>{}</td></tr>", sorted(obj.rows_affected.items())
            ),
        )
