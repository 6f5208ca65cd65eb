"""Staff pages: the queue and one request with its actions. Login, staff status and the
permission to handle requests are required; recording the extra identity check for
special-category data needs the special-category permission too."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from leafspring.access import staff_permission_required
from processing.models import SPECIAL_CATEGORY_PURPOSES
from requests_dsar import forms as f
from requests_dsar.fulfilment.access import access_package_build, report_style_hash
from requests_dsar.fulfilment.answers import answer_draft, erasure_lines
from requests_dsar.fulfilment.common import no_data_held_record
from requests_dsar.fulfilment.consent import consent_withdraw
from requests_dsar.fulfilment.erasure import ACCOUNT_TOOLS, MARKETING_ACTIVITY, erasure_carry_out
from requests_dsar.fulfilment.irreversible import irreversible_preview
from requests_dsar.fulfilment.objection import objection_decide, objection_direct_marketing_apply
from requests_dsar.fulfilment.portability import portability_package_build
from requests_dsar.fulfilment.preview import answer_preview
from requests_dsar.fulfilment.rectification import (
    PROFILE_RECTIFIABLE_FIELDS,
    RECTIFIABLE_FIELDS,
    profile_rectify,
    profiles_of,
    rectification_apply,
    rectification_no_change_record,
)
from requests_dsar.fulfilment.restriction import (
    restricted_rows_count,
    restriction_apply,
    restriction_ground_set,
    restriction_lift,
)
from requests_dsar.models import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    DsarRequest,
    ErasureRecord,
    ObjectionDecision,
    RecipientTask,
    RequestType,
    Status,
)
from requests_dsar.selectors import dsar_detail, dsar_queue, subject_candidates
from requests_dsar.services import received, workflow
from requests_dsar.services.identity import (
    SPECIAL_CATEGORY,
    STAFF_VERIFICATION_REASONS,
    is_other_address,
    staff_verification_reasons,
)
from requests_dsar.services.withdrawal_tasks import withdrawal_task_resolve
from retention.restricted import art18_restrictions_keeping_data_of, restricted_rows_held
from subjects.models import DataSubject, TraineeProfile
from subjects.permissions import can_view_special_category
from subjects.selectors import consent_withdrawal_tasks_open
from subjects.services import reads_record
from subjects.trail import trail_prepare

HANDLE_PERMISSION = "requests_dsar.handle_dsarrequest"
PAGE_SIZE = 50


staff_required = staff_permission_required(HANDLE_PERMISSION)

ALL_TYPES = frozenset(RequestType)

# Fulfilment actions carry out a right: only on an open (verified, not closed) request,
# and only the actions that fit the right asked for.
FULFILMENT_ACTIONS: dict[str, frozenset[str]] = {
    "access": frozenset({RequestType.ACCESS}),
    "portability": frozenset({RequestType.PORTABILITY}),
    "erase": frozenset({RequestType.ERASURE}),
    "restrict": frozenset({RequestType.RESTRICTION}),
    "lift": frozenset({RequestType.RESTRICTION}),
    "restriction-ground": frozenset({RequestType.RESTRICTION}),
    "marketing-objection": frozenset({RequestType.OBJECTION}),
    "objection-decision": frozenset({RequestType.OBJECTION}),
    "withdraw-consent": frozenset({RequestType.CONSENT_WITHDRAWAL}),
    "rectify": frozenset({RequestType.RECTIFICATION}),
    "rectify-profile": frozenset({RequestType.RECTIFICATION}),
    "no-change": frozenset({RequestType.RECTIFICATION}),
    "no-data": ALL_TYPES,
}
# Lifting a restriction (Art. 18(3)) usually comes after the answer, once the accuracy
# check or the objection is settled: also on a completed restriction request. So does
# recording the ground of a restriction made before grounds were recorded.
FULFILMENT_ALSO_WHEN = {
    "lift": frozenset({Status.COMPLETED}),
    "restriction-ground": frozenset({Status.COMPLETED}),
}
# Workflow actions: their services check the status themselves where it matters
# (start, verify, extend, reject, duplicate, complete); linking is refused on a closed
# request. Recording a recipient's answer to an Art. 19 task stays possible.
WORKFLOW_ACTIONS = frozenset(
    {
        "start",
        "link",
        "unlink",
        "verify",
        "extend",
        "reject",
        "duplicate",
        "task",
        "complete",
        "identity-question",
        "identity-answer",
    }
)
NOT_ON_CLOSED = frozenset({"link", "unlink"})
# What cannot be undone asks first, naming what will go (``irreversible_preview``), and is
# not done twice: an erasure, a consent withdrawal on a request, an upheld objection.
IRREVERSIBLE_ACTIONS = frozenset({"erase", "withdraw-consent", "objection-decision"})


def irreversible_done(dsar: DsarRequest) -> str:
    """Why an irreversible action of this request is no longer offered ("" while it is):
    it was carried out already."""
    if dsar.objection_decision:
        return _(
            "Refused: this objection was already decided (%(decision)s). Nothing was changed."
        ) % {"decision": dsar.get_objection_decision_display()}
    record = ErasureRecord.objects.filter(request=dsar).only("performed_at").first()
    if record is not None:
        return _(
            "Refused: this was already carried out on %(date)s and is not done twice. "
            "Nothing was changed."
        ) % {"date": formats.date_format(timezone.localtime(record.performed_at), "j F Y H:i")}
    return ""


def action_refusal(dsar: DsarRequest, action: str) -> str:
    """Why this action may not be taken on this request now ("" when it may)."""
    if action in FULFILMENT_ACTIONS:
        allowed_statuses = set(OPEN_STATUSES) | FULFILMENT_ALSO_WHEN.get(action, frozenset())
        if dsar.status not in allowed_statuses:
            return _(
                "Refused: a right is only carried out on an open request, and this "
                "request is %(status)s."
            ) % {"status": dsar.get_status_display()}
        if dsar.request_type not in FULFILMENT_ACTIONS[action]:
            return _("Refused: this action does not belong to a request for %(right)s.") % {
                "right": dsar.get_request_type_display()
            }
        if action in IRREVERSIBLE_ACTIONS:
            return irreversible_done(dsar)
    elif action in NOT_ON_CLOSED and dsar.status in CLOSED_STATUSES:
        return _("Refused: this request is closed (%(status)s).") % {
            "status": dsar.get_status_display()
        }
    return ""


@require_safe
@staff_required
def queue(request: HttpRequest) -> HttpResponse:
    form = f.QueueFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = dsar_queue(request_type=filters.get("request_type", ""), status=filters.get("status", ""))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "requests_dsar/staff/queue.html",
        {"form": form, "page": page, "today": timezone.localdate()},
    )


@staff_required
def record(request: HttpRequest) -> HttpResponse:
    """Record a request received by e-mail, letter, phone or in person. With
    ``?subject=<pk>`` (the person's page) the form starts from that data subject and the
    request is linked to them."""
    subject = None
    raw = request.GET.get("subject") or request.POST.get("subject_id")
    if raw:
        if not str(raw).isdigit() or int(raw) > f.MAX_ID:
            raise Http404
        subject = DataSubject.objects.filter(pk=int(raw)).first()
        if subject is None:
            raise Http404
    if request.method == "POST":
        form = f.RecordRequestForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            data.pop("subject_id", None)
            try:
                dsar = received.dsar_request_record(actor=request.user, subject=subject, **data)
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(
                    request,
                    _("Request %(ref)s recorded; due on %(due)s.")
                    % {"ref": dsar.reference, "due": date_format(dsar.due_on, "j F Y")},
                )
                return redirect("requests_dsar:staff_detail", pk=dsar.pk)
    elif request.method in {"GET", "HEAD"}:
        initial: dict[str, Any] = {
            "received_at": timezone.localtime().replace(second=0, microsecond=0),
            "channel": DsarRequest.Channel.EMAIL,
        }
        if subject is not None:
            initial.update(
                subject_id=subject.pk,
                name=subject.full_name,
                email=subject.email or "",
                language=getattr(subject, "language", "") or "nl",
            )
        form = f.RecordRequestForm(initial=initial)
    else:
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    return render(request, "requests_dsar/staff/record.html", {"form": form, "subject": subject})


def _get(pk: int) -> DsarRequest:
    if pk > f.MAX_ID:
        raise Http404
    try:
        return dsar_detail(pk=pk)
    except DsarRequest.DoesNotExist as exc:
        raise Http404 from exc


@require_safe
@staff_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    dsar = _get(pk)
    subjects = list(dsar.subjects.all())
    record = getattr(dsar, "erasure_record", None)
    reasons = staff_verification_reasons(dsar) if dsar.needs_staff_verification else []
    context = {
        "dsar": dsar,
        "subjects": subjects,
        "other_address_ids": {s.pk for s in subjects if is_other_address(dsar, s)},
        "verification_reasons": [STAFF_VERIFICATION_REASONS[r] for r in reasons],
        "can_verify": SPECIAL_CATEGORY not in reasons or can_view_special_category(request.user),
        "candidates": subject_candidates(query=request.GET.get("q", "")),
        "query": request.GET.get("q", "")[:100],
        "erasure_lines": erasure_lines(record) if record else [],
        # An erasure of named tool accounts only: staff see that before pressing erase.
        "erasure_accounts": [ACCOUNT_TOOLS.get(key, key) for key in sorted(dsar.activities)]
        if dsar.request_type == RequestType.ERASURE
        else [],
        "blockers": workflow.completion_blockers(dsar),
        **_restriction_context(dsar, subjects),
        "extension_allowed": workflow.extension_allowed(dsar),
        # Carried out already: the irreversible actions are no longer offered.
        "irreversible_done": record is not None or bool(dsar.objection_decision),
        "events": trail_prepare(dsar.events.all()),
        "forms": {
            "verify": f.StaffVerifyForm(),
            "identity_question": f.IdentityQuestionForm(),
            "identity_answer": f.IdentityAnswerForm(
                initial={"answered_at": timezone.localtime().replace(second=0, microsecond=0)}
            ),
            "extend": f.ExtendForm(has_email=bool(dsar.email)),
            "reject": f.RejectForm(has_email=bool(dsar.email)),
            "duplicate": f.DuplicateForm(
                initial={"original": dsar.open_request.reference} if dsar.open_request else None
            ),
            "link": f.LinkSubjectForm(),
            "objection": f.ObjectionDecisionForm(
                absolute=set(dsar.activities) == {MARKETING_ACTIVITY}
            ),
            "lift": f.RestrictionLiftForm(),
            "restrict": f.RestrictForm(
                initial={"ground": dsar.restriction_ground or dsar.restriction_ground_stated}
            ),
            "portability": f.PortabilityForm(),
            "no_change": f.NoChangeForm(),
            "complete": f.CompleteForm(
                initial={"answer": answer_draft(dsar)}, has_email=bool(dsar.email)
            ),
        },
        "rectification_forms": [
            f.RectificationForm(
                initial={"subject_id": s.pk, **{k: getattr(s, k) for k in RECTIFIABLE_FIELDS}},
                prefix=f"s{s.pk}",
            )
            for s in subjects
        ],
        "profile_forms": [
            (
                profile,
                f.ProfileRectificationForm(
                    initial={
                        "profile_id": profile.pk,
                        **{k: getattr(profile, k) for k in PROFILE_RECTIFIABLE_FIELDS},
                    },
                    prefix=f"p{profile.pk}",
                ),
            )
            for profile in (
                profiles_of([s.pk for s in subjects])
                if dsar.request_type == RequestType.RECTIFICATION
                else []
            )
        ],
    }
    return render(request, "requests_dsar/staff/detail.html", context)


@require_safe
@staff_required
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    """What the person will receive, before it is sent: the answer e-mail with the
    drafted answer and the files of the package, built in memory. Nothing is built,
    stored, sent or recorded. Only for an open request; a package with special-category
    data only for staff allowed to see such data."""
    dsar = _get(pk)
    if not dsar.is_open:
        raise Http404
    response = render(
        request,
        "requests_dsar/staff/preview.html",
        {"dsar": dsar, "preview": answer_preview(request=dsar, user=request.user)},
    )
    # The report is shown in a sandboxed frame of this page, whose policy it inherits:
    # its own stylesheet (and nothing else inline) is allowed by its hash.
    response._csp_update = {"style-src": [report_style_hash()]}
    return response


def _restriction_context(dsar: DsarRequest, subjects: list[DataSubject]) -> dict[str, Any]:
    """What staff need to see about a restriction on the request page: how many rows this
    restriction holds now, the rows of the person that (b), (c) or an unrecorded ground
    keeps past their retention limit (they go at the next run after the lift: the person
    is told so first, Art. 18(3)), and, on an erasure, the restrictions that keep data
    for the person and must be lifted first, and the open breaches the person must be told
    about before the erasure takes their address (Art. 34)."""
    ids = [s.pk for s in subjects]
    if dsar.request_type == RequestType.RESTRICTION:
        return {
            "restricted_rows": restricted_rows_count(dsar),
            "held_rows": restricted_rows_held(subject_ids=ids) if ids else [],
        }
    if dsar.request_type == RequestType.ERASURE and ids and dsar.is_open:
        from processing.breaches.selectors import notices_pending_for

        activities = set(dsar.activities) or None
        return {
            "keeping_restrictions": art18_restrictions_keeping_data_of(ids, activities=activities),
            "breach_notices_pending": [] if activities else notices_pending_for(ids),
        }
    return {}


def _error_line(form: Any, name: str, errors: list[str]) -> str:
    """An error as staff read it: the field's label (in their language), not its name."""
    text = " ".join(errors)
    field = form.fields.get(name)
    if field is None or not field.label:
        return text
    label = str(field.label)
    return f"{label[:1].upper()}{label[1:]}: {text}"


def _form(form_class: type, request: HttpRequest, **kwargs: Any) -> dict[str, Any]:
    form = form_class(request.POST, **kwargs)
    if not form.is_valid():
        raise ValidationError([_error_line(form, k, v) for k, v in form.errors.items()])
    return form.cleaned_data


def _subject(dsar: DsarRequest, pk: int) -> DataSubject:
    subject = DataSubject.objects.filter(pk=pk).first()
    if subject is None:
        raise ValidationError(_("No data subject with that number."))
    return subject


def _package_read_record(user: Any, dsar: DsarRequest) -> None:
    """A package collects everything held about the request's people: the read log says
    which staff member had it built, for whom."""
    reads_record(
        actor=user,
        action="read.access-package",
        subject_ids=dsar.subjects.values_list("pk", flat=True),
        target=f"{dsar._meta.label} #{dsar.pk}",
    )


def _do(request: HttpRequest, dsar: DsarRequest, action: str) -> str:
    user = request.user
    refusal = action_refusal(dsar, action)
    if refusal:
        raise ValidationError(refusal)
    if action == "start":
        workflow.dsar_request_start(actor=user, request=dsar)
    elif action == "link":
        data = _form(f.LinkSubjectForm, request)
        workflow.dsar_request_subject_link(
            actor=user, request=dsar, subject=_subject(dsar, data["subject_id"])
        )
    elif action == "unlink":
        data = _form(f.LinkSubjectForm, request)
        workflow.dsar_request_subject_unlink(
            actor=user, request=dsar, subject=_subject(dsar, data["subject_id"])
        )
    elif action == "verify":
        # Checking the identity for special-category data takes the right to see it; a
        # check because of a subject linked under another address is any handler's job.
        special = SPECIAL_CATEGORY in staff_verification_reasons(dsar)
        if special and not can_view_special_category(user):
            raise PermissionDenied
        data = _form(f.StaffVerifyForm, request)
        workflow.dsar_request_staff_verify(
            actor=user, request=dsar, method=data["method"], note=data["note"]
        )
    elif action == "identity-question":
        data = _form(f.IdentityQuestionForm, request)
        received.identity_question_ask(actor=user, request=dsar, question=data["question"])
    elif action == "identity-answer":
        data = _form(f.IdentityAnswerForm, request)
        held = received.identity_question_answer(
            actor=user, request=dsar, answered_at=data["answered_at"]
        )
        return _("Answer recorded: the period was held %(days)s day(s); due on %(due)s.") % {
            "days": held,
            "due": date_format(dsar.due_on, "j F Y"),
        }
    elif action == "extend":
        data = _form(f.ExtendForm, request, has_email=bool(dsar.email))
        workflow.dsar_request_extend(
            actor=user,
            request=dsar,
            months=data["months"],
            reason=data["reason"],
            sent_how=data.get("sent_how", ""),
        )
    elif action == "reject":
        data = _form(f.RejectForm, request, has_email=bool(dsar.email))
        workflow.dsar_request_reject(
            actor=user,
            request=dsar,
            justification=data["justification"],
            sent_how=data.get("sent_how", ""),
        )
    elif action == "duplicate":
        data = _form(f.DuplicateForm, request)
        original = DsarRequest.objects.filter(reference=data["original"].strip()).first()
        if original is None:
            raise ValidationError(_("No request with that reference."))
        workflow.dsar_request_mark_duplicate(actor=user, request=dsar, original=original)
    elif action == "task":
        data = _form(f.TaskResolveForm, request)
        task = RecipientTask.objects.filter(pk=data["task_id"], request=dsar).first()
        if task is None:
            raise ValidationError(_("No such task."))
        workflow.recipient_task_resolve(
            actor=user, task=task, state=data["state"], reason=data["reason"]
        )
    elif action == "access":
        access_package_build(actor=user, request=dsar)
        _package_read_record(user, dsar)
    elif action == "portability":
        data = _form(f.PortabilityForm, request)
        portability_package_build(
            actor=user, request=dsar, send_to_organisation=data["send_to_organisation"]
        )
        _package_read_record(user, dsar)
    elif action == "erase":
        erasure_carry_out(actor=user, request=dsar)
    elif action == "restrict":
        data = _form(f.RestrictForm, request)
        restriction_apply(
            actor=user, request=dsar, ground=data["ground"], reason=dsar.details[:200]
        )
    elif action == "restriction-ground":
        data = _form(f.RestrictForm, request)
        restriction_ground_set(actor=user, request=dsar, ground=data["ground"])
    elif action == "lift":
        data = _form(f.RestrictionLiftForm, request)
        restriction_lift(
            actor=user,
            request=dsar,
            informed_on=data["informed_on"],
            informed_how=data["informed_how"],
        )
    elif action == "marketing-objection":
        objection_direct_marketing_apply(actor=user, request=dsar)
    elif action == "objection-decision":
        data = _form(f.ObjectionDecisionForm, request)
        objection_decide(
            actor=user, request=dsar, decision=data["decision"], reasons=data["reasons"]
        )
    elif action == "no-data":
        no_data_held_record(actor=user, request=dsar)
    elif action == "withdraw-consent":
        consent_withdraw(actor=user, request=dsar)
    elif action == "rectify":
        prefix = str(request.POST.get("prefix", ""))[:20]
        data = _form(f.RectificationForm, request, prefix=prefix)
        subject = _subject(dsar, data.pop("subject_id"))
        rectification_apply(actor=user, request=dsar, subject=subject, changes=data)
    elif action == "rectify-profile":
        prefix = str(request.POST.get("prefix", ""))[:20]
        data = _form(f.ProfileRectificationForm, request, prefix=prefix)
        profile = TraineeProfile.objects.filter(pk=data.pop("profile_id")).first()
        if profile is None:
            raise ValidationError(_("No trainee profile with that number."))
        profile_rectify(actor=user, request=dsar, profile=profile, changes=data)
    elif action == "no-change":
        data = _form(f.NoChangeForm, request)
        rectification_no_change_record(actor=user, request=dsar, reason=data["reason"])
    elif action == "complete":
        data = _form(f.CompleteForm, request, has_email=bool(dsar.email))
        workflow.dsar_request_complete(
            actor=user, request=dsar, answer=data["answer"], sent_how=data.get("sent_how", "")
        )
    else:
        raise Http404
    return _("Done.")


def _confirmation(request: HttpRequest, dsar: DsarRequest, action: str) -> HttpResponse | None:
    """An irreversible action first shows what will go, with the form sent again to
    confirm (``confirmed=yes``); None when the action runs now (confirmed, not
    irreversible, or an objection overruled, which changes nothing)."""
    if action not in IRREVERSIBLE_ACTIONS or request.POST.get("confirmed") == "yes":
        return None
    refusal = action_refusal(dsar, action)
    if refusal:
        raise ValidationError(refusal)
    if action == "objection-decision":
        form = f.ObjectionDecisionForm(request.POST)
        if not form.is_valid() or form.cleaned_data["decision"] != ObjectionDecision.UPHELD:
            return None  # the errors are reported by the action itself
    context = {
        "dsar": dsar,
        "action": action,
        "preview": irreversible_preview(dsar, action=action),
        "fields": [
            (name, value)
            for name, values in request.POST.lists()
            if name not in {"csrfmiddlewaretoken", "confirmed"}
            for value in values
        ],
    }
    return render(request, "requests_dsar/staff/confirm.html", context)


@staff_required
@require_POST
def action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in FULFILMENT_ACTIONS and action not in WORKFLOW_ACTIONS:
        raise Http404
    dsar = _get(pk)
    try:
        confirmation = _confirmation(request, dsar, action)
        if confirmation is not None:
            return confirmation
        messages.success(request, _do(request, dsar, action))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("requests_dsar:staff_detail", pk=dsar.pk)


@require_safe
@staff_required
def withdrawal_tasks(request: HttpRequest) -> HttpResponse:
    """Open Art. 19 tasks made by consents withdrawn outside a rights request: which
    recipient to tell what, for whom, since when; oldest first."""
    tasks = consent_withdrawal_tasks_open(user=request.user)
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "requests_dsar/staff/withdrawal_tasks.html",
        {"page": page},
    )


@staff_required
@require_POST
def withdrawal_task_action(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that the recipient was told (done) or why it was not possible."""
    tasks = RecipientTask.objects.filter(pk=min(pk, f.MAX_ID), request__isnull=True)
    if not can_view_special_category(request.user):
        tasks = tasks.exclude(consent__purpose__in=SPECIAL_CATEGORY_PURPOSES)
    task = tasks.first()
    if task is None:
        raise Http404
    try:
        data = _form(f.TaskResolveForm, request)
        if data["task_id"] != task.pk:
            raise ValidationError(_("No such task."))
        withdrawal_task_resolve(
            actor=request.user, task=task, state=data["state"], reason=data["reason"]
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Done."))
    return redirect("requests_dsar:staff_withdrawal_tasks")
