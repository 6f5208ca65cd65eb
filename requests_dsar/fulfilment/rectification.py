"""Art. 16: staff apply the correction the person asked for, to the data subject's own
fields (through ``subjects.services.data_subject_update``) or to the rectifiable fields
of a trainee profile; each change is in the audit trail with the changed fields, and the
request records which fields were corrected (never the values) for the answer. Only the
recipients of the data that changed are told (Art. 19).

A form sent back unchanged corrects nothing and is refused; when the data turns out to
be correct already, staff record "no correction needed" with the reason instead."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from requests_dsar.fulfilment.common import (
    TaskVerb,
    activities_holding,
    fulfilment_record,
    recipient_tasks_create,
    staff_verification_require,
    subject_ids,
)
from requests_dsar.models import DsarRequest, RequestType
from subjects.models import DataSubject, TraineeProfile
from subjects.registry import registry
from subjects.services import Actor, audit_event_record, data_subject_update

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
# What a trainee told us for the programme and may have corrected; the allergies are
# health data under a separate consent, changed only by the trainee's own new consent.
PROFILE_RECTIFIABLE_FIELDS = ("job_title", "education", "work_experience")


def _normalised(value: Any) -> Any:
    """Text compared as a person reads it: line endings as "\n", no trailing spaces on
    a line, no blank space around the whole."""
    if not isinstance(value, str):
        return value
    lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


def _nothing_changed() -> ValidationError:
    return ValidationError(
        _(
            "Nothing was changed: the form matches the data we hold. If no correction is "
            "needed, record that with the reason instead."
        )
    )


def _corrections_record(
    *, actor: Actor, request: DsarRequest, row: models.Model, changed: list[str]
) -> None:
    """Add the corrected fields to the request (merged per kind of record) and mark the
    right as carried out."""
    label = row._meta.label
    corrections = [dict(c) for c in request.corrections]
    entry = next((c for c in corrections if c["model"] == label), None)
    if entry is None:
        corrections.append({"model": label, "fields": list(changed)})
    else:
        entry["fields"] = [*entry["fields"], *(n for n in changed if n not in entry["fields"])]
    request.corrections = corrections
    request.save(update_fields=["corrections"])
    fulfilment_record(
        actor=actor,
        request=request,
        action="rectified",
        params={"model": label, "row": row.pk, "fields": list(changed)},
    )


def _require_rectification(request: DsarRequest) -> None:
    if request.request_type != RequestType.RECTIFICATION:
        raise ValidationError(_("This is not a request for rectification."))
    staff_verification_require(request)


@transaction.atomic
def rectification_apply(
    *, actor: Actor, request: DsarRequest, subject: DataSubject, changes: dict[str, Any]
) -> list[str]:
    """Apply the corrections to one linked subject; returns the changed field names.
    The person's contact details go with every record of theirs, so the recipients of
    every activity holding their data are told."""
    _require_rectification(request)
    if subject.pk not in subject_ids(request):
        raise ValidationError(_("This data subject is not linked to the request."))
    unknown = set(changes) - set(RECTIFIABLE_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be corrected here."))
    changed = data_subject_update(
        actor=actor, subject=subject, params={"reference": request.reference}, **changes
    )
    if not changed:
        raise _nothing_changed()
    recipient_tasks_create(
        request=request, activity_keys=activities_holding([subject.pk]), verb=TaskVerb.CORRECT
    )
    _corrections_record(actor=actor, request=request, row=subject, changed=changed)
    return changed


@transaction.atomic
def profile_rectify(
    *, actor: Actor, request: DsarRequest, profile: TraineeProfile, changes: dict[str, Any]
) -> list[str]:
    """Correct a trainee profile of a linked subject (job title, education, work
    experience); returns the changed field names. Only the recipients of the traineeship
    programme are told."""
    _require_rectification(request)
    participant = profile.participation.participant
    if participant.pk not in subject_ids(request):
        raise ValidationError(_("This data subject is not linked to the request."))
    unknown = set(changes) - set(PROFILE_RECTIFIABLE_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be corrected here."))
    # A form sent back unchanged is no correction: the browser sends line endings as
    # "\r\n" and the form strips what the stored value may still have around it.
    changed = [
        name
        for name, value in changes.items()
        if _normalised(getattr(profile, name)) != _normalised(value)
    ]
    if not changed:
        raise _nothing_changed()
    for name in changed:
        setattr(profile, name, changes[name])
    profile.full_clean()
    profile.save(update_fields=changed)
    audit_event_record(
        actor=actor,
        action="trainee-profile.update",
        subject=participant,
        target=profile,
        changed_fields=changed,
        params={"reference": request.reference},
    )
    recipient_tasks_create(
        request=request,
        activity_keys=[registry.get(TraineeProfile).activity],
        verb=TaskVerb.CORRECT,
    )
    _corrections_record(actor=actor, request=request, row=profile, changed=changed)
    return changed


@transaction.atomic
def rectification_no_change_record(*, actor: Actor, request: DsarRequest, reason: str) -> None:
    """The data turned out to be correct (or the correction cannot be made): record why,
    so the answer says that nothing was changed and why."""
    _require_rectification(request)
    if request.corrections:
        raise ValidationError(_("Data was already corrected for this request."))
    if not reason.strip():
        raise ValidationError(_("Say why no correction is needed."))
    request.no_change_reason = reason.strip()
    request.save(update_fields=["no_change_reason"])
    fulfilment_record(
        actor=actor, request=request, action="rectification-not-needed", note=reason.strip()
    )


def profiles_of(ids: list[int]) -> list[TraineeProfile]:
    """The trainee profiles of these data subjects (one query)."""
    return list(
        TraineeProfile.objects.filter(participation__participant__in=ids)
        .select_related("participation__trajectory")
        .order_by("pk")
    )
