"""Staff roles. A privacy officer may do everything in this application, including
seeing special-category data, the breach register, the read log (who read whose data),
the staff accounts and the sign-in locks; a staff member sees and handles the register
and requests but not health data, cannot change the register, and can only report a
suspected breach (the register itself is the privacy officers'). Finance keeps the
bookkeeping records (invoices, supplier details) in the admin and sees no other staff
page, though like every employee it can report a suspected breach."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

PRIVACY_OFFICER = "Privacy officer"
STAFF_MEMBER = "Staff member"
FINANCE = "Finance"
# Finance: view and change the bookkeeping records in the admin, nothing else.
FINANCE_MODELS = ("invoice", "supplierdetails")
FINANCE_ACTIONS = ("view", "change")
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
    "recipientcheck",
    "processingactivity",
    "consenttext",
    "retentionrule",
    "legalhold",
    # Publishing the privacy statement (processing.publish_statementversion): officers only.
    "statementversion",
)
# The breach register: only privacy officers see or manage it (``is_privacy_officer``).
BREACH_MODELS = ("breach", "breachnotification", "breachsubject")
MANAGE_BREACHES_PERMISSION = "processing.manage_breaches"


def staff_groups_ensure() -> tuple[Group, Group]:
    """Create (or refresh) the staff groups with their permissions: the privacy officer
    and staff member groups (returned) and Finance. Idempotent."""
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
        .exclude(content_type__model__in=BREACH_MODELS)
        .exclude(content_type__model="readevent")
    )
    finance, _ = Group.objects.get_or_create(name=FINANCE)
    finance.permissions.set(
        app_perms.filter(
            content_type__app_label="subjects",
            codename__in=[f"{a}_{m}" for m in FINANCE_MODELS for a in FINANCE_ACTIONS],
        )
    )
    return officer, staff


def can_view_special_category(user: object) -> bool:
    return bool(getattr(user, "has_perm", None)) and user.has_perm(SPECIAL_CATEGORY_PERMISSION)  # type: ignore[attr-defined]


def is_privacy_officer(user: object) -> bool:
    """Whether ``user`` may see and manage the breach register: an active superuser, or
    active staff holding ``processing.manage_breaches`` (the privacy officer group)."""
    if not getattr(user, "is_active", False):
        return False
    if getattr(user, "is_superuser", False):
        return True
    return bool(getattr(user, "is_staff", False)) and user.has_perm(MANAGE_BREACHES_PERMISSION)  # type: ignore[attr-defined]


def can_oversee_staff(user: object) -> bool:
    """A privacy officer: sees the read log, the staff accounts and the sign-in locks."""
    return bool(getattr(user, "has_perm", None)) and user.has_perm(OVERSIGHT_PERMISSION)  # type: ignore[attr-defined]
