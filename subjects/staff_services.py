"""Staff writes on what came in: the follow-up call of a brochure request, and a MeetIn
referral recorded as passed on. Each is audited."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from subjects.models import BrochureRequest, StudyTripReferral
from subjects.services import Actor, audit_event_record

FOLLOW_UP_NOTE_MAX = 2000
CALL_PURPOSE = "brochure-call"


def brochure_call_refusal(brochure_request: BrochureRequest) -> str:
    """Why Leafspring may not call about this brochure request now ("" when it may).

    A sales call is telemarketing: only with the person's separate, active consent to be
    called, within the 3 months the consent covers (``BrochureRequest.may_be_called``),
    and never for a restricted request or person (Art. 18) nor for someone who objected
    to direct marketing (Art. 21(3))."""
    consent = brochure_request.call_consent
    if consent is None or consent.withdrawn_at is not None or consent.purpose != CALL_PURPOSE:
        return _("There is no active consent to be called: Leafspring may not call.")
    if not brochure_request.may_be_called:
        return _("The 3 months in which the person agreed to be called are over.")
    subject = brochure_request.subject
    if brochure_request.restricted_at is not None or (
        subject is not None and subject.restricted_at is not None
    ):
        return _("Processing is restricted (Art. 18): Leafspring may not call.")
    if subject is not None and subject.marketing_objection_at is not None:
        return _("The person objected to direct marketing (Art. 21(3)): Leafspring may not call.")
    return ""


def brochure_follow_up_refusal(brochure_request: BrochureRequest) -> str:
    """Why the follow-up of this brochure request may not be recorded ("" when it may):
    it was recorded already, or the call is not allowed (``brochure_call_refusal``)."""
    if brochure_request.followed_up_at is not None:
        return _("The follow-up of this brochure request was already recorded.")
    return brochure_call_refusal(brochure_request)


@transaction.atomic
def brochure_follow_up_record(
    *, actor: Actor, brochure_request: BrochureRequest, note: str = ""
) -> BrochureRequest:
    """Record that the person was called about the traineeship after their brochure
    request, with a note. Refused (``ValidationError``) when the call is not allowed
    (``brochure_follow_up_refusal``): no active consent to be called, the 3 months are
    over, restricted, objected, or already recorded."""
    row = (
        BrochureRequest.objects.select_for_update(of=("self",))
        .select_related("call_consent", "subject")
        .get(pk=brochure_request.pk)
    )
    refusal = brochure_follow_up_refusal(row)
    if refusal:
        raise ValidationError(refusal)
    row.followed_up_at = timezone.now()
    row.followed_up_by = actor if actor is not None and actor.is_authenticated else None
    row.follow_up_note = note.strip()[:FOLLOW_UP_NOTE_MAX]
    row.save(update_fields=["followed_up_at", "followed_up_by", "follow_up_note"])
    audit_event_record(
        actor=actor,
        action="brochure.follow-up",
        subject=row.subject,
        target=row,
        changed_fields=["followed_up_at", "followed_up_by", "follow_up_note"],
    )
    return row


@transaction.atomic
def study_trip_referrals_shared_record(
    *, actor: Actor, referrals: Iterable[StudyTripReferral]
) -> int:
    """Record that referrals were passed on to MeetIn now (once; ``shared_at`` is never
    moved). Only a referral whose consent is still active may go: a withdrawal deletes
    the referral, and one passed on becomes an Art. 19 task for MeetIn. Returns how many
    were recorded."""
    rows = (
        StudyTripReferral.objects.select_for_update(of=("self",))
        .filter(
            pk__in=[r.pk for r in referrals],
            shared_at__isnull=True,
            consent__withdrawn_at__isnull=True,
        )
        .select_related("subject")
    )
    now = timezone.now()
    count = 0
    for row in rows:
        row.shared_at = now
        row.save(update_fields=["shared_at"])
        audit_event_record(
            actor=actor,
            action="study-trip-referral.shared",
            subject=row.subject,
            target=row,
            changed_fields=["shared_at"],
        )
        count += 1
    return count
