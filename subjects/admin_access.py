"""Admin of access itself, for privacy officers: the read log (who read whose personal
data), the sign-in locks (lifted by an audited action) and the sign-ins.

Staff members without the oversight permission see none of it (the models' view
permissions are the privacy officer's only, ``subjects.permissions``)."""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from leafspring.admin_tools import ReadOnlyAdminMixin
from subjects.models import ReadEvent
from subjects.services import READ_ACTIONS, login_locks_release


@admin.register(ReadEvent)
class ReadEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Who read whose personal data and when, kept 1 year (rule reads-1y)."""

    list_display = ["at", "actor_name", "read", "subject_reference"]
    list_filter = ["action"]
    search_fields = ["actor_label", "subject_reference"]
    search_help_text = _("Search by staff user name or data subject number.")
    date_hierarchy = "at"
    fields = ["at", "actor_label", "action", "subject_reference", "target"]

    @admin.display(description=_("by"), ordering="actor_label")
    def actor_name(self, obj: ReadEvent) -> str:
        return obj.actor_display

    @admin.display(description=_("what"), ordering="action")
    def read(self, obj: ReadEvent) -> str:
        return str(READ_ACTIONS.get(obj.action, obj.action))


class _LoginRecordAdmin(admin.ModelAdmin):
    """Sign-in records are written by django-axes only, never by hand."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AccessAttempt)
class LoginLockAdmin(_LoginRecordAdmin):
    """Failed sign-ins per user name, address and browser; from the set number on, that
    user name is locked from that address until the lock runs out or is lifted here."""

    list_display = ["attempt_time", "username", "ip_address", "failures_since_start", "locked"]
    search_fields = ["username", "ip_address"]
    date_hierarchy = "attempt_time"
    fields = ["username", "ip_address", "user_agent", "failures_since_start", "attempt_time"]
    actions = ["lift_locks"]

    @admin.display(description=_("locked"), boolean=True)
    def locked(self, obj: AccessAttempt) -> bool:
        return obj.failures_since_start >= settings.AXES_FAILURE_LIMIT

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # lifting is the audited action below
        return actions

    @admin.action(
        description=_("Lift the lock (recorded in the audit trail)"), permissions=["delete"]
    )
    def lift_locks(self, request: HttpRequest, queryset: QuerySet[AccessAttempt]) -> None:
        count = login_locks_release(actor=request.user, attempts=list(queryset))
        messages.success(
            request,
            ngettext(
                "%(count)d lock lifted: signing in works again for that user name and address.",
                "%(count)d locks lifted: signing in works again for those user names and "
                "addresses.",
                count,
            )
            % {"count": count},
        )

    def delete_model(self, request: HttpRequest, obj: AccessAttempt) -> None:
        login_locks_release(actor=request.user, attempts=[obj])

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[AccessAttempt]) -> None:
        login_locks_release(actor=request.user, attempts=list(queryset))


@admin.register(AccessLog)
class SignInAdmin(_LoginRecordAdmin):
    """Successful sign-ins (and when the session ended), kept 4 weeks (rule login-4w)."""

    list_display = ["attempt_time", "username", "ip_address", "logout_time"]
    search_fields = ["username", "ip_address"]
    date_hierarchy = "attempt_time"
    fields = ["username", "ip_address", "user_agent", "attempt_time", "logout_time"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
