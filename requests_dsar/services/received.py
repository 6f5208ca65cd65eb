"""Requests that reached us another way than the form (e-mail, letter, phone, in
person), recorded by staff, and the identity question of Art. 12(6) that holds the
clock while the person has not answered it."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from requests_dsar.emails import absolute_url, request_email_send
from requests_dsar.models import (
    OPEN_STATUSES,
    DsarRequest,
    RequestType,
    Status,
    VerificationMethod,
)
from requests_dsar.services.due import due_dates_apply, held_days_between
from requests_dsar.services.events import request_event_record
from requests_dsar.services.identity import SPECIAL_CATEGORY, staff_verification_reasons
from requests_dsar.services.intake import _reference
from requests_dsar.tokens import token_new
from subjects.models import DataSubject
from subjects.permissions import can_view_special_category
from subjects.selectors import data_subjects_by_email
from subjects.services import Actor, normalise_email, unlinked_rows_adopt

STAFF_CHANNELS = tuple(c for c in DsarRequest.Channel if c != DsarRequest.Channel.FORM)


# A request answered within four weeks (at most three months with an extension) is not
# recorded more than a year after it arrived: an older date is a typing error.
RECEIVED_AT_MAX_AGE_DAYS = 365


def received_at_validate(received_at: datetime | None) -> None:
    if received_at is None:
        raise ValidationError(_("Give the date and time the request was received."))
    if received_at > timezone.now():
        raise ValidationError(
            _("The date and time of receipt cannot be in the future: give when it arrived.")
        )
    if received_at < timezone.now() - timedelta(days=RECEIVED_AT_MAX_AGE_DAYS):
        raise ValidationError(
            _("The date of receipt is more than a year ago: check the date and the year.")
        )


def dsar_request_record(
    *,
    actor: Actor,
    channel: str,
    received_at: datetime,
    request_type: str,
    name: str,
    email: str = "",
    language: str = "nl",
    details: str = "",
    verification_method: str,
    verification_note: str = "",
    subject: DataSubject | None = None,
) -> DsarRequest:
    """Record a request staff received by e-mail, letter, phone or in person. Staff
    checked who asked (the method is recorded, never an ID copy), so there is no e-mail
    confirmation: the request is open at once, due four weeks after it was received,
    and goes through the same workflow as a form request: the data subjects under the
    given address (and ``subject``, from the person's page) are linked. The person gets
    the receipt with the due date and a status link when we have an e-mail address.
    The identity check recorded here does not cover special-category data when the
    recorder may not see such data: a privacy officer records that check. Without a
    ``verification_method`` the identity is not checked yet: the request waits for the
    staff verification (an identity question may hold the period, Art. 12(6))."""
    if channel not in STAFF_CHANNELS:
        raise ValidationError(_("Choose how the request was received."))
    if request_type not in RequestType.values:
        raise ValidationError(_("Choose the right asked for."))
    received_at_validate(received_at)
    if not name.strip():
        raise ValidationError(_("Give the name of the person who asked."))
    if verification_method and verification_method not in VerificationMethod.values:
        raise ValidationError(_("Say how the identity of the person was checked."))
    user = actor if actor is not None and actor.is_authenticated else None
    status_token, status_hash = token_new()
    with transaction.atomic():
        request = DsarRequest(
            reference=_reference(),
            request_type=request_type,
            status=Status.NEW,
            channel=channel,
            received_at=received_at,
            recorded_by=user,
            name=name.strip(),
            email=normalise_email(email) if email else "",
            language=language if language in {"nl", "en"} else "nl",
            details=details.strip(),
            status_token_hash=status_hash if email else "",
            staff_verified_at=timezone.now() if verification_method else None,
            staff_verified_by=user if verification_method else None,
            staff_verification_method=verification_method,
            staff_verification_note=verification_note.strip(),
        )
        due_dates_apply(request)
        request.save()
        if subject is not None:
            request.subjects.add(subject)
        if request.email:
            # Like a confirmed form request: the person's rows under this address.
            unlinked_rows_adopt(actor=actor, email=request.email)
            request.subjects.add(*data_subjects_by_email(request.email))
        reasons = staff_verification_reasons(request)
        request.needs_staff_verification = bool(reasons) or not verification_method
        if SPECIAL_CATEGORY in reasons and not can_view_special_category(user):
            # A check for special-category data takes the right to see it: someone who
            # may records it on the request page before anything is disclosed.
            request.staff_verified_at = None
            request.staff_verified_by = None
            request.staff_verification_method = ""
            request.staff_verification_note = ""
        request.save()
        request_event_record(
            request=request,
            actor=actor,
            action="recorded",
            params={
                "channel": channel,
                "received_on": timezone.localdate(received_at).isoformat(),
                **({"subject": subject.pk} if subject is not None else {}),
            },
        )
        if request.staff_verified_at is not None:
            request_event_record(
                request=request,
                actor=actor,
                action="staff-verified",
                params={"verification_method": verification_method},
            )
    if request.email:
        status_link = absolute_url(
            "requests_dsar:status", language=request.language, kwargs={"token": status_token}
        )
        request_email_send(
            request=request, kind="receipt_recorded", context={"status_link": status_link}
        )
    return request


def _require_open(request: DsarRequest) -> None:
    if request.status not in OPEN_STATUSES:
        raise ValidationError(_("This request is not open."))


@transaction.atomic
def identity_question_ask(*, actor: Actor, request: DsarRequest, question: str) -> None:
    """Art. 12(6): staff asked the person for what they need to confirm who they are.
    From now until the answer the four weeks stand still. Only while there is a doubt to
    resolve within the period: not once staff have recorded that they checked the
    identity, and not after the due date (a question asked late does not undo the delay)."""
    _require_open(request)
    if request.clock_held:
        raise ValidationError(_("An identity question is already waiting for its answer."))
    if request.staff_verified_at is not None:
        raise ValidationError(
            _("The identity was already checked: a question now does not hold the period.")
        )
    if request.due_on is not None and timezone.localdate() > request.due_on:
        raise ValidationError(
            _(
                "The request is past its due date: an identity question now does not hold "
                "the period. Answer the request, or explain the delay to the person."
            )
        )
    if not question.strip():
        raise ValidationError(_("Write down what was asked."))
    request.identity_question_asked_at = timezone.now()
    request.identity_question_answered_at = None
    request.identity_question = question.strip()
    request.save(
        update_fields=[
            "identity_question_asked_at",
            "identity_question_answered_at",
            "identity_question",
        ]
    )
    request_event_record(
        request=request, actor=actor, action="identity-question-asked", note=question.strip()
    )


@transaction.atomic
def identity_question_answer(
    *, actor: Actor, request: DsarRequest, answered_at: datetime | None = None
) -> int:
    """The person answered the identity question: the clock runs again and the due date
    moves by the days it was held. Returns those days."""
    _require_open(request)
    if not request.clock_held:
        raise ValidationError(_("No identity question is waiting for an answer."))
    answered_at = answered_at or timezone.now()
    assert request.identity_question_asked_at is not None
    if answered_at > timezone.now() or answered_at < request.identity_question_asked_at:
        raise ValidationError(
            _("The answer came after the question was asked and not in the future.")
        )
    held = held_days_between(request.identity_question_asked_at, answered_at)
    request.identity_question_answered_at = answered_at
    request.clock_held_days += held
    due_dates_apply(request)
    request.save(
        update_fields=[
            "identity_question_answered_at",
            "clock_held_days",
            "original_due_on",
            "due_on",
        ]
    )
    request_event_record(
        request=request,
        actor=actor,
        action="identity-question-answered",
        params={"days": held, "due_on": request.due_on.isoformat()},
    )
    return held
