"""Staff roles. A privacy officer may do everything in this application, including
seeing special-category data, the read log (who read whose data), the staff accounts
and the sign-in locks; a staff member sees and handles the register and requests but not
health data, and cannot change the register."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

PRIVACY_OFFICER = "Privacy officer"
STAFF_MEMBER = "Staff member"
APPS = ("subjects", "processing", "retention", "requests_dsar")
SPECIAL_CATEGORY_PERMISSION = "subjects.view_special_category_data"
# Oversight of the staff side: the read log, the staff accounts' last logins, the locks.
OVERSIGHT_PERMISSION = "subjects.view_readevent"
# The sign-in locks (django-axes): seen and lifted (audited) by privacy officers.
LOGIN_LOCK_PERMISSIONS = (
    ("axes", "view_accessattempt"),
    ("axes", "delete_accessattempt"),
    ("axes", "view_accesslog"),
    ("axes", "view_accessfailurelog"),
)
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
)


def staff_groups_ensure() -> tuple[Group, Group]:
    """Create (or refresh) the two staff groups with their permissions. Idempotent."""
    app_perms = Permission.objects.filter(content_type__app_label__in=APPS)
    lock_perms = Permission.objects.none()
    for app_label, codename in LOGIN_LOCK_PERMISSIONS:
        lock_perms |= Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        )
    officer, _ = Group.objects.get_or_create(name=PRIVACY_OFFICER)
    officer.permissions.set(app_perms | lock_perms)
    staff, _ = Group.objects.get_or_create(name=STAFF_MEMBER)
    register_writes = Q(content_type__model__in=REGISTER_MODELS) & ~Q(codename__startswith="view_")
    staff.permissions.set(
        app_perms.exclude(codename="view_special_category_data")
        .exclude(register_writes)
        .exclude(content_type__model="readevent")
    )
    return officer, staff


def can_view_special_category(user: object) -> bool:
    return bool(getattr(user, "has_perm", None)) and user.has_perm(SPECIAL_CATEGORY_PERMISSION)  # type: ignore[attr-defined]


def can_oversee_staff(user: object) -> bool:
    """A privacy officer: sees the read log, the staff accounts and the sign-in locks."""
    return bool(getattr(user, "has_perm", None)) and user.has_perm(OVERSIGHT_PERMISSION)  # type: ignore[attr-defined]
