"""Staff roles. A privacy officer may do everything in this application, including
seeing special-category data; a staff member sees and handles the register and
requests but not health data, and cannot change the register."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

PRIVACY_OFFICER = "Privacy officer"
STAFF_MEMBER = "Staff member"
APPS = ("subjects", "processing", "retention", "requests_dsar")
SPECIAL_CATEGORY_PERMISSION = "subjects.view_special_category_data"
REGISTER_MODELS = (
    "controller",
    "legalbasis",
    "subjectcategory",
    "datacategory",
    "recipient",
    "processingactivity",
    "consenttext",
    "retentionrule",
    "legalhold",
    # Publishing the privacy statement (processing.publish_statementversion): officers only.
    "statementversion",
)


def staff_groups_ensure() -> tuple[Group, Group]:
    """Create (or refresh) the two staff groups with their permissions. Idempotent."""
    app_perms = Permission.objects.filter(content_type__app_label__in=APPS)
    officer, _ = Group.objects.get_or_create(name=PRIVACY_OFFICER)
    officer.permissions.set(app_perms)
    staff, _ = Group.objects.get_or_create(name=STAFF_MEMBER)
    register_writes = Q(content_type__model__in=REGISTER_MODELS) & ~Q(codename__startswith="view_")
    staff.permissions.set(
        app_perms.exclude(codename="view_special_category_data").exclude(register_writes)
    )
    return officer, staff


def can_view_special_category(user: object) -> bool:
    return bool(getattr(user, "has_perm", None)) and user.has_perm(SPECIAL_CATEGORY_PERMISSION)  # type: ignore[attr-defined]
