"""When the requester's proven e-mail address is not enough: the identity check staff
record (with its method) before a right is carried out or answered.

``staff_verification_reasons`` is the one place that decides whether a request needs
that check and why; intake, linking, unlinking, the staff page and the demo all ask it.
A recorded check covers what was linked when it was recorded: linking another person
under another address afterwards, or special-category data when the check was recorded
by someone who may not see it, clears the check (``staff_check_still_covers``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from processing.models import DataCategory
from requests_dsar.models import DsarRequest, RequestType
from subjects.models import DataSubject
from subjects.permissions import can_view_special_category
from subjects.registry import registry
from subjects.services import normalise_email

# Rights whose answer discloses data: a special-category record asks for a second check.
DISCLOSING_TYPES = {RequestType.ACCESS, RequestType.PORTABILITY}

SPECIAL_CATEGORY = "special-category"
OTHER_ADDRESS = "other-address"
STAFF_VERIFICATION_REASONS = {
    SPECIAL_CATEGORY: gettext_lazy("the request discloses special-category data"),
    OTHER_ADDRESS: gettext_lazy(
        "a data subject was linked by hand under another e-mail address than the verified one"
    ),
}
# Why a recorded check no longer counts (the trail note of "staff-verification-cleared").
CHECK_CLEARED_REASONS = {
    OTHER_ADDRESS: gettext_lazy(
        "another data subject under another e-mail address was linked after the check"
    ),
    SPECIAL_CATEGORY: gettext_lazy(
        "special-category data was linked; the check was recorded by someone without "
        "access to special-category data"
    ),
}


def is_other_address(request: DsarRequest, subject: DataSubject) -> bool:
    """Whether the subject's address is not the one the requester proved to control."""
    return normalise_email(subject.email or "") != request.email


def subjects_under_other_address(request: DsarRequest) -> list[DataSubject]:
    """Linked data subjects whose e-mail address is not the verified one. They were linked
    by hand: control of the requester's mailbox proves nothing about them."""
    return [s for s in request.subjects.all() if is_other_address(request, s)]


def holds_special_category_data(request: DsarRequest) -> bool:
    """Whether any linked data subject has a row holding a special category of data."""
    special = set(
        DataCategory.objects.filter(is_special_category=True).values_list("key", flat=True)
    )
    ids = list(request.subjects.values_list("pk", flat=True))
    if not ids:
        return False
    return any(
        entry.rows_for(ids).exists()
        for entry in registry.subject_entries()
        if special & set(entry.categories)
    )


def staff_verification_reasons(request: DsarRequest) -> list[str]:
    """The keys of ``STAFF_VERIFICATION_REASONS`` that apply to this request now; a
    request needs the staff identity check when this is not empty."""
    reasons = []
    if request.request_type in DISCLOSING_TYPES and holds_special_category_data(request):
        reasons.append(SPECIAL_CATEGORY)
    if subjects_under_other_address(request):
        reasons.append(OTHER_ADDRESS)
    return reasons


def check_cleared_by_link(
    request: DsarRequest, subject: DataSubject, reasons: list[str]
) -> str | None:
    """Whether a check recorded before ``subject`` was linked no longer covers the request
    (``reasons`` are those that apply after the link). Returns the key of
    ``CHECK_CLEARED_REASONS``, or None when the check still counts (or none was recorded).

    A check covers the people it was done for: another person under another address is
    someone the check said nothing about. A check for special-category data takes the
    right to see that data, so one recorded without it does not cover it."""
    if request.staff_verified_at is None:
        return None
    if is_other_address(request, subject):
        return OTHER_ADDRESS
    if SPECIAL_CATEGORY in reasons and not can_view_special_category(request.staff_verified_by):
        return SPECIAL_CATEGORY
    return None
