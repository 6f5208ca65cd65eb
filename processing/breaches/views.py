"""Staff pages of the breach register. Any staff member can report a suspected breach;
only privacy officers (``subjects.permissions.is_privacy_officer``) see and manage the
register. Anonymous visitors are sent to the login page, everyone else gets 403."""

from __future__ import annotations

import csv
from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from processing.breaches import forms as f
from processing.breaches import notice, services
from processing.breaches.clock import breach_clock
from processing.breaches.export import breach_columns, breach_rows
from processing.breaches.models import Breach, BreachSubject
from processing.breaches.selectors import (
    breach_detail,
    breach_export_list,
    breach_links,
    breach_list,
    breaches_with_clock,
)
from subjects.permissions import is_privacy_officer

View = Callable[..., HttpResponse]
PAGE_SIZE = 50
MAX_ID = 2**62


def staff_required(view: View) -> View:
    """Any active staff member (reporting a breach needs no other permission)."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not (request.user.is_active and request.user.is_staff):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def privacy_officer_required(view: View) -> View:
    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_privacy_officer(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _get(pk: int) -> Breach:
    if pk > MAX_ID:
        raise Http404
    try:
        return breach_detail(pk=pk)
    except Breach.DoesNotExist as exc:
        raise Http404 from exc


def _errors_onto(form: forms.Form, error: ValidationError) -> None:
    """The service's refusal shown on the form, next to the field it concerns."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@staff_required
def report(request: HttpRequest) -> HttpResponse:
    """A short form for any staff member: it starts the 72-hour clock and alerts the
    privacy officers."""
    form = f.BreachReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            breach = services.breach_report(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors_onto(form, error)
        else:
            messages.success(
                request,
                _(
                    "Reported as %(reference)s. The privacy officers have been alerted and "
                    "take it from here; tell them anything else you learn."
                )
                % {"reference": breach.reference},
            )
            if is_privacy_officer(request.user):
                return redirect("processing:breach_detail", pk=breach.pk)
            return redirect("staff_dashboard")
    return render(request, "processing/breaches/report.html", {"form": form})


@privacy_officer_required
def register(request: HttpRequest) -> HttpResponse:
    """Every incident, open ones first, with the state of its clock."""
    page = Paginator(breach_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "processing/breaches/list.html",
        {"page": page, "rows": breaches_with_clock(list(page))},
    )


def _detail_context(breach: Breach, **bound: forms.Form) -> dict[str, Any]:
    links = list(breach_links(breach))
    return {
        "breach": breach,
        "clock": breach_clock(breach, now=timezone.now(), notified_at=breach.notified_at),
        "rows": breach_rows(breach),
        "notifications": list(breach.notifications.all()),
        "links": links,
        "waiting": sum(1 for link in links if link.subject and not link.notified_at),
        "without_email": sum(
            1 for link in links if link.subject and not link.notified_at and not link.subject.email
        ),
        "blockers": services.close_blockers(breach),
        "forms": {
            "notify": bound.get("notify") or f.NotificationForm(),
            "link": bound.get("link") or f.LinkSubjectsForm(),
            "notice_text": bound.get("notice_text") or f.NoticeTextForm(instance=breach),
            "notice_other": bound.get("notice_other") or f.NoticeOtherForm(),
            "exception": bound.get("exception")
            or f.NoticeExceptionForm(
                initial={
                    "exception": breach.notice_exception,
                    "reasons": breach.notice_exception_reasons,
                }
            ),
        },
    }


@privacy_officer_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    breach = _get(pk)
    return render(request, "processing/breaches/detail.html", _detail_context(breach))


@privacy_officer_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Document the incident and assess the risk."""
    breach = _get(pk)
    if breach.closed_at is not None:
        messages.error(request, _("This incident is closed. Reopen it first to change it."))
        return redirect("processing:breach_detail", pk=breach.pk)
    form = f.BreachForm(request.POST or None, instance=breach)
    if request.method == "POST" and form.is_valid():
        try:
            services.breach_update(
                actor=request.user, breach=_get(pk), data=dict(form.cleaned_data)
            )
        except ValidationError as error:
            _errors_onto(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("processing:breach_detail", pk=breach.pk)
    return render(request, "processing/breaches/edit.html", {"breach": breach, "form": form})


# The actions of the detail page: (form class or None, the form's key on the page).
ACTION_FORMS: dict[str, tuple[type[forms.Form] | None, str]] = {
    "notify": (f.NotificationForm, "notify"),
    "link": (f.LinkSubjectsForm, "link"),
    "unlink": (f.UnlinkForm, ""),
    "notice-text": (f.NoticeTextForm, "notice_text"),
    "notice-send": (None, ""),
    "notice-other": (f.NoticeOtherForm, "notice_other"),
    "exception": (f.NoticeExceptionForm, "exception"),
    "close": (None, ""),
    "reopen": (None, ""),
}


def _do(request: HttpRequest, breach: Breach, action: str, data: dict[str, Any]) -> str:
    user = request.user
    if action == "notify":
        services.breach_notification_record(actor=user, breach=breach, **data)
        return _("The notification is recorded.")
    if action == "link":
        linked = services.breach_subjects_link(
            actor=user, breach=breach, subject_ids=data["subjects"]
        )
        return ngettext("%(count)d person linked.", "%(count)d people linked.", len(linked)) % {
            "count": len(linked)
        }
    if action == "unlink":
        link = BreachSubject.objects.filter(pk=data["link"], breach=breach).first()
        if link is None:
            raise ValidationError(_("This person is not linked to this incident."))
        services.breach_subject_unlink(actor=user, breach=breach, link=link)
        return _("Unlinked.")
    if action == "notice-text":
        notice.breach_notice_update(actor=user, breach=breach, data=data)
        return _("The notice is saved.")
    if action == "notice-send":
        result = notice.breach_notice_send(actor=user, breach=breach)
        parts = [
            ngettext(
                "The notice was sent to %(count)d person.",
                "The notice was sent to %(count)d people.",
                result.sent,
            )
            % {"count": result.sent}
        ]
        if result.failed:
            parts.append(
                ngettext(
                    "%(count)d e-mail could not be sent: send again later.",
                    "%(count)d e-mails could not be sent: send again later.",
                    result.failed,
                )
                % {"count": result.failed}
            )
        if result.without_email:
            parts.append(
                ngettext(
                    "%(count)d person has no e-mail address: tell them another way and record it.",
                    "%(count)d people have no e-mail address: tell them another way and record it.",
                    result.without_email,
                )
                % {"count": result.without_email}
            )
        return " ".join(parts)
    if action == "notice-other":
        marked = notice.breach_notice_other_record(actor=user, breach=breach, **data)
        return ngettext(
            "Recorded; %(count)d linked person marked as told.",
            "Recorded; %(count)d linked people marked as told.",
            marked,
        ) % {"count": marked}
    if action == "exception":
        notice.breach_notice_exception_record(actor=user, breach=breach, **data)
        return _("The exception is recorded.")
    if action == "close":
        services.breach_close(actor=user, breach=breach)
        return _("The incident is closed.")
    if action == "reopen":
        services.breach_reopen(actor=user, breach=breach)
        return _("The incident is open again.")
    raise Http404


@privacy_officer_required
@require_POST
def action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Carry out one action of the detail page. Bad input shows the page again with
    what was typed and what is wrong with it, next to the field; nothing is written."""
    if action not in ACTION_FORMS:
        raise Http404
    breach = _get(pk)
    form_class, key = ACTION_FORMS[action]
    form = None
    if form_class is not None:
        kwargs = {"instance": breach} if issubclass(form_class, forms.ModelForm) else {}
        form = form_class(request.POST, **kwargs)
        if not form.is_valid():
            return _detail_again(request, pk, key, form)
    try:
        done = _do(request, breach, action, dict(form.cleaned_data) if form else {})
    except ValidationError as error:
        if form is None or not key:
            for message in error.messages:
                messages.error(request, message)
            return redirect("processing:breach_detail", pk=breach.pk)
        _errors_onto(form, error)
        return _detail_again(request, pk, key, form)
    messages.success(request, done)
    return redirect("processing:breach_detail", pk=breach.pk)


def _detail_again(request: HttpRequest, pk: int, key: str, form: forms.Form) -> HttpResponse:
    if not key:  # a hidden field only: nothing typed to show again
        messages.error(request, _("Nothing was changed: the request was incomplete."))
        return redirect("processing:breach_detail", pk=pk)
    context = _detail_context(_get(pk), **{key: form})
    return render(request, "processing/breaches/detail.html", context, status=400)


@privacy_officer_required
def export(request: HttpRequest, pk: int) -> HttpResponse:
    """One incident on a printable page, for the Autoriteit Persoonsgegevens."""
    if pk > MAX_ID:
        raise Http404
    breach = breach_export_list().filter(pk=pk).first()
    if breach is None:
        raise Http404
    return render(
        request,
        "processing/breaches/export.html",
        {"breach": breach, "rows": breach_rows(breach), "printed_at": timezone.localtime()},
    )


@privacy_officer_required
def register_csv(request: HttpRequest) -> HttpResponse:
    """The whole register as a CSV file (one row per incident), in the active language."""
    rows = [breach_rows(b) for b in breach_export_list()]
    language = (translation.get_language() or "nl")[:2]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="datalekregister-{timezone.localdate():%Y-%m-%d}-{language}.csv"'
    )
    response.write("\ufeff")  # Excel opens UTF-8 correctly with a byte-order mark
    writer = csv.writer(response)
    writer.writerow(breach_columns())
    writer.writerows([value for _label, value in row] for row in rows)
    return response
