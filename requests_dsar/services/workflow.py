"""Staff handling of a request: linking subjects, staff verification, extension,
rejection, duplicates, Art. 19 recipient tasks, completion and due-date reminders."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from requests_dsar.emails import absolute_url, request_email_send, staff_email_send
from requests_dsar.fulfilment.packages import answer_package_link_issue
from requests_dsar.models import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    DsarRequest,
    ObjectionKind,
    RecipientTask,
    RequestType,
    Status,
)
from requests_dsar.services.due import due_dates_apply
from requests_dsar.services.events import request_event_record
from requests_dsar.services.identity import (
    check_cleared_by_link,
    is_other_address,
    staff_verification_reasons,
)
from subjects.models import DataSubject
from subjects.services import Actor, audit_event_record

MAX_EXTENSION_MONTHS = 2


def _require_open(request: DsarRequest) -> None:
    if request.status not in OPEN_STATUSES:
        raise ValidationError(_("This request is not open."))


@transaction.atomic
def dsar_request_subject_link(*, actor: Actor, request: DsarRequest, subject: DataSubject) -> None:
    """Link the request to a data subject by hand (when the e-mail address differs).

    The requester proved control of their own address only. A data subject under another
    address may be someone else entirely, so the request then needs an identity check by
    staff (recorded with its method) before any right is carried out or answered.

    A check recorded earlier covers what was linked then: when this link brings another
    person under another address, or special-category data the person who recorded the
    check may not see, the check is cleared (the trail says why) and a new one is needed."""
    request.subjects.add(subject)
    other_address = is_other_address(request, subject)
    reasons = staff_verification_reasons(request)
    cleared = check_cleared_by_link(request, subject, reasons)
    if reasons and not request.needs_staff_verification:
        request.needs_staff_verification = True
        request.save(update_fields=["needs_staff_verification"])
    request_event_record(
        request=request,
        actor=actor,
        action="subject-linked",
        params={"subject": subject.pk, "other_address": other_address},
    )
    if cleared:
        request.needs_staff_verification = True
        request.staff_verified_at = None
        request.staff_verified_by = None
        request.staff_verification_method = ""
        request.staff_verification_note = ""
        request.save(
            update_fields=[
                "needs_staff_verification",
                "staff_verified_at",
                "staff_verified_by",
                "staff_verification_method",
                "staff_verification_note",
            ]
        )
        request_event_record(
            request=request,
            actor=actor,
            action="staff-verification-cleared",
            params={"reason": cleared},
        )
    open_request_link(actor=actor, request=request)


def open_request_link(*, actor: Actor, request: DsarRequest) -> DsarRequest | None:
    """Link requests of one person for the same right that are open at once: the same
    verified e-mail address, or a data subject linked to both. The later request points
    at the earliest open one (``open_request``) and both trails say so, so staff see it
    on either page and in the queue and handle them together, or mark the later one as
    a duplicate (``dsar_request_mark_duplicate``). Returns the earliest open request
    when a link was made, else None."""
    if request.status not in OPEN_STATUSES:
        return None
    ids = list(request.subjects.values_list("pk", flat=True))
    same_person = Q(email=request.email) | Q(subjects__in=ids) if ids else Q(email=request.email)
    others = list(
        DsarRequest.objects.filter(
            same_person, request_type=request.request_type, status__in=OPEN_STATUSES
        )
        .exclude(pk=request.pk)
        .distinct()
        .order_by("created_at", "pk")
    )
    if not others:
        return None
    everyone = sorted([request, *others], key=lambda r: (r.created_at, r.pk))
    earliest = everyone[0]
    linked = False
    for later in everyone[1:]:
        if later.open_request_id is not None:
            continue
        later.open_request = earliest
        later.save(update_fields=["open_request"])
        request_event_record(
            request=later,
            actor=actor,
            action="open-request-linked",
            params={"reference": earliest.reference},
        )
        request_event_record(
            request=earliest,
            actor=actor,
            action="later-request-linked",
            params={"reference": later.reference},
        )
        linked = True
    return earliest if linked else None


@transaction.atomic
def dsar_request_subject_unlink(
    *, actor: Actor, request: DsarRequest, subject: DataSubject
) -> None:
    """Unlink a data subject. While no staff check has been recorded, the need for one is
    worked out again from the subjects still linked (a wrong link can be undone)."""
    request.subjects.remove(subject)
    if request.needs_staff_verification and not request.staff_verified_at:
        request.needs_staff_verification = bool(staff_verification_reasons(request))
        request.save(update_fields=["needs_staff_verification"])
    request_event_record(
        request=request, actor=actor, action="subject-unlinked", params={"subject": subject.pk}
    )
    # In the person's trail too: the request may have been all that kept them, and the
    # daily retention passes judge again whoever the trail names.
    audit_event_record(
        actor=actor,
        action="request.subject-unlink",
        subject=subject,
        params={"reference": request.reference},
    )


@transaction.atomic
def dsar_request_start(*, actor: Actor, request: DsarRequest) -> None:
    _require_open(request)
    if request.status == Status.NEW:
        request.status = Status.IN_PROGRESS
        request.save(update_fields=["status"])
    request_event_record(request=request, actor=actor, action="started")


@transaction.atomic
def dsar_request_staff_verify(
    *, actor: Actor, request: DsarRequest, method: str, note: str
) -> None:
    """Record the extra identity check a request needs (special-category data, or a data
    subject linked under another address), and how it was done (never by asking for a
    copy of an ID document)."""
    _require_open(request)
    if not method:
        raise ValidationError(_("Name the verification method."))
    request.staff_verified_at = timezone.now()
    request.staff_verified_by = actor if actor and actor.is_authenticated else None
    request.staff_verification_method = method
    request.staff_verification_note = note
    request.save(
        update_fields=[
            "staff_verified_at",
            "staff_verified_by",
            "staff_verification_method",
            "staff_verification_note",
        ]
    )
    request_event_record(
        request=request,
        actor=actor,
        action="staff-verified",
        params={"verification_method": method},
        note=note.strip(),
    )


def extension_allowed(request: DsarRequest, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return (
        request.status in OPEN_STATUSES
        and request.extended_at is None
        and request.original_due_on is not None
        and today <= request.original_due_on
    )


def delivery_require(request: DsarRequest, sent_how: str) -> None:
    """Without an e-mail address (a request received by letter, phone or in person)
    nothing reaches the person by itself: staff say how it does (a letter, a call)."""
    if not request.email and not sent_how.strip():
        raise ValidationError(
            _(
                "No e-mail address is known for this request: say how the person receives "
                "this (a letter, a call) and send it that way. Nothing was changed."
            )
        )


def _delivery_record(request: DsarRequest, actor: Actor, sent_how: str) -> None:
    if not request.email:
        request_event_record(
            request=request, actor=actor, action="sent-otherwise", note=sent_how.strip()
        )


def dsar_request_extend(
    *, actor: Actor, request: DsarRequest, months: int, reason: str, sent_how: str = ""
) -> None:
    """Art. 12(3): extend by at most two further months, only with reasons, told to the
    requester within the first four weeks."""
    if not extension_allowed(request):
        raise ValidationError(_("An extension is only possible once, within the first four weeks."))
    if months not in range(1, MAX_EXTENSION_MONTHS + 1):
        raise ValidationError(_("An extension is one or two months."))
    if not reason.strip():
        raise ValidationError(_("State the reason for the extension."))
    delivery_require(request, sent_how)
    with transaction.atomic():
        request.extension_months = months
        due_dates_apply(request)
        request.extension_reason = reason.strip()
        request.extended_at = timezone.now()
        request.status = Status.EXTENDED
        request.save(
            update_fields=[
                "due_on",
                "original_due_on",
                "extension_months",
                "extension_reason",
                "extended_at",
                "status",
            ]
        )
        request_event_record(
            request=request,
            actor=actor,
            action="extended",
            params={"months": months},
            note=reason.strip(),
        )
        _delivery_record(request, actor, sent_how)
    request_email_send(request=request, kind="extension")


def dsar_request_reject(
    *, actor: Actor, request: DsarRequest, justification: str, sent_how: str = ""
) -> None:
    """Art. 12(4): a refusal is written down with its reasons, and the answer names the
    right to complain to the Autoriteit Persoonsgegevens and to go to court."""
    _require_open(request)
    if not justification.strip():
        raise ValidationError(_("A rejection needs a written justification."))
    delivery_require(request, sent_how)
    with transaction.atomic():
        request.status = Status.REJECTED
        request.rejection_reason = justification.strip()
        request.closed_at = timezone.now()
        request.save(update_fields=["status", "rejection_reason", "closed_at"])
        request_event_record(
            request=request, actor=actor, action="rejected", note=justification.strip()
        )
        _delivery_record(request, actor, sent_how)
    request_email_send(request=request, kind="rejection")


@transaction.atomic
def dsar_request_mark_duplicate(
    *, actor: Actor, request: DsarRequest, original: DsarRequest
) -> None:
    _require_open(request)
    if original.pk == request.pk:
        raise ValidationError(_("A request cannot duplicate itself."))
    request.status = Status.DUPLICATE
    request.duplicate_of = original
    request.closed_at = timezone.now()
    request.save(update_fields=["status", "duplicate_of", "closed_at"])
    request_event_record(
        request=request, actor=actor, action="duplicate", params={"reference": original.reference}
    )


@transaction.atomic
def recipient_task_resolve(
    *, actor: Actor, task: RecipientTask, state: str, reason: str = ""
) -> None:
    """Art. 19: a recipient task is done, or recorded as impossible with the reason."""
    if state not in {RecipientTask.State.DONE, RecipientTask.State.NOT_POSSIBLE}:
        raise ValidationError(_("Choose done or not possible."))
    if state == RecipientTask.State.NOT_POSSIBLE and not reason.strip():
        raise ValidationError(_("Say why it is not possible."))
    task.state = state
    task.reason = reason.strip()
    task.resolved_at = timezone.now()
    task.resolved_by = actor if actor and actor.is_authenticated else None
    task.save()
    request = task.request
    request_event_record(
        request=request,
        actor=actor,
        action=f"recipient-task-{state}",
        params={"recipient": task.recipient.name},
        note=task.reason,
    )
    if (
        request.status == Status.WAITING_FOR_TASKS
        and not request.recipient_tasks.filter(state=RecipientTask.State.OPEN).exists()
    ):
        request.status = Status.IN_PROGRESS
        request.save(update_fields=["status"])


def completion_blockers(request: DsarRequest) -> list[str]:
    """What still stands between this request and its answer."""
    blockers = []
    if request.status not in OPEN_STATUSES:
        blockers.append(_("The request is not open."))
    if request.needs_staff_verification and not request.staff_verified_at:
        blockers.append(_("Staff verification of the requester is required first."))
    if request.fulfilled_at is None:
        blockers.append(_("The right has not been carried out yet."))
    if request.recipient_tasks.filter(state=RecipientTask.State.OPEN).exists():
        blockers.append(_("Recipient tasks are still open (Art. 19)."))
    if (
        request.request_type == RequestType.OBJECTION
        and request.objection_kind == ObjectionKind.LEGITIMATE_INTEREST
        and not request.objection_decision
    ):
        blockers.append(_("The objection needs a decision with reasons."))
    return blockers


def dsar_request_complete(
    *, actor: Actor, request: DsarRequest, answer: str, sent_how: str = ""
) -> None:
    """Close the request with its answer; refused while anything in
    ``completion_blockers`` remains. The answer e-mail names the right to complain;
    without an e-mail address staff say how the answer reaches the person."""
    blockers = completion_blockers(request)
    if blockers:
        raise ValidationError(blockers)
    delivery_require(request, sent_how)
    with transaction.atomic():
        request.answer = answer.strip()
        request.status = Status.COMPLETED
        request.closed_at = timezone.now()
        request.save(update_fields=["answer", "status", "closed_at"])
        request_event_record(request=request, actor=actor, action="completed")
        _delivery_record(request, actor, sent_how)
        package = next((p for p in request.packages.all() if p.is_available), None)
        download_link = (
            absolute_url(
                "requests_dsar:download",
                language=request.language,
                kwargs={"token": answer_package_link_issue(package=package)},
            )
            if package
            else ""
        )
    request_email_send(request=request, kind="answer", context={"download_link": download_link})


def dsar_reminders_send(*, today: date | None = None) -> int:
    """Remind staff of open requests due within ``DSAR_REMINDER_DAYS`` days (or
    overdue), once a day at most. Returns the number of requests in the reminder."""
    today = today or timezone.localdate()
    due = list(
        DsarRequest.objects.filter(
            status__in=OPEN_STATUSES,
            due_on__lte=today + timedelta(days=settings.DSAR_REMINDER_DAYS),
        )
        .exclude(reminded_on=today)
        .order_by("due_on")
    )
    if not due:
        return 0
    staff_email_send(
        kind="staff_reminder",
        context={
            "requests": due,
            "today": today,
            "queue_link": absolute_url("requests_dsar:staff_queue", language="nl"),
        },
    )
    DsarRequest.objects.filter(pk__in=[r.pk for r in due]).update(reminded_on=today)
    return len(due)


def is_closed(request: DsarRequest) -> bool:
    return request.status in CLOSED_STATUSES
