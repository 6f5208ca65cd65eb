"""Art. 16: staff apply the correction the person asked for through
``subjects.services.data_subject_update``, which records the changed fields in the audit
trail; recipients of the data are told (Art. 19)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from requests_dsar.fulfilment.common import (
    TaskVerb,
    activities_holding,
    fulfilment_record,
    recipient_tasks_create,
    staff_verification_require,
    subject_ids,
)
from requests_dsar.models import DsarRequest
from subjects.models import DataSubject
from subjects.services import Actor, data_subject_update

RECTIFIABLE_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "street_address",
    "postcode",
    "city",
    "language",
)


@transaction.atomic
def rectification_apply(
    *, actor: Actor, request: DsarRequest, subject: DataSubject, changes: dict[str, Any]
) -> list[str]:
    """Apply the corrections to one linked subject; returns the changed field names."""
    staff_verification_require(request)
    if subject.pk not in subject_ids(request):
        raise ValidationError(_("This data subject is not linked to the request."))
    unknown = set(changes) - set(RECTIFIABLE_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be corrected here."))
    changed = data_subject_update(
        actor=actor, subject=subject, note=f"rectification {request.reference}", **changes
    )
    recipient_tasks_create(
        request=request, activity_keys=activities_holding([subject.pk]), verb=TaskVerb.CORRECT
    )
    fulfilment_record(
        actor=actor, request=request, action="rectified", note=", ".join(changed) or "-"
    )
    return changed
