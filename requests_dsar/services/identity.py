"""When the requester's proven e-mail address is not enough: the identity check staff
record (with its method) before a right is carried out or answered."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from requests_dsar.models import DsarRequest
from requests_dsar.services.intake import DISCLOSING_TYPES, holds_special_category_data
from subjects.models import DataSubject
from subjects.services import normalise_email

SPECIAL_CATEGORY = "special-category"
OTHER_ADDRESS = "other-address"
STAFF_VERIFICATION_REASONS = {
    SPECIAL_CATEGORY: gettext_lazy("the request discloses special-category data"),
    OTHER_ADDRESS: gettext_lazy(
        "a data subject was linked by hand under another e-mail address than the verified one"
    ),
}


def is_other_address(request: DsarRequest, subject: DataSubject) -> bool:
    """Whether the subject's address is not the one the requester proved to control."""
    return normalise_email(subject.email or "") != request.email


def subjects_under_other_address(request: DsarRequest) -> list[DataSubject]:
    """Linked data subjects whose e-mail address is not the verified one. They were linked
    by hand: control of the requester's mailbox proves nothing about them."""
    return [s for s in request.subjects.all() if is_other_address(request, s)]


def staff_verification_reasons(request: DsarRequest) -> list[str]:
    """The keys of ``STAFF_VERIFICATION_REASONS`` that apply to this request now."""
    reasons = []
    if request.request_type in DISCLOSING_TYPES and holds_special_category_data(request):
        reasons.append(SPECIAL_CATEGORY)
    if subjects_under_other_address(request):
        reasons.append(OTHER_ADDRESS)
    return reasons
