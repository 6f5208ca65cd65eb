"""The privacy statement's pages: the public statement (the newest published version, its
history and the changes between two versions), the staff page where a privacy officer
publishes the register's draft, and the staff list of people who have not had their
Art. 14 notice. Each costs a fixed number of queries."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from leafspring.access import staff_permission_required
from processing.art14 import NOTE_MAX, art14_notice_record_other, art14_notices_pending
from processing.models import Art14Notice, StatementVersion
from processing.statement import (
    statement_status,
    statement_text,
    statement_version_publish,
)
from processing.statement_display import (
    statement_blocks,
    statement_changes,
    statement_sections,
    statement_title,
)
from subjects.models import DataSubject

VIEW_PERMISSION = "processing.view_statementversion"
PUBLISH_PERMISSION = "processing.publish_statementversion"
ART14_VIEW_PERMISSION = "processing.view_art14notice"
ART14_RECORD_PERMISSION = "processing.add_art14notice"


def _language() -> str:
    return (translation.get_language() or "nl")[:2]


def _history() -> list[StatementVersion]:
    """Every version, newest first, without their texts."""
    return list(StatementVersion.objects.defer("text_nl", "text_en").order_by("-number"))


def _statement_page(
    request: HttpRequest, *, text: str, version: StatementVersion | None, history: list
) -> HttpResponse:
    current = history[0] if history else None
    return render(
        request,
        "processing/public/statement.html",
        {
            "title": statement_title(text),
            "blocks": statement_blocks(text),
            "sections": statement_sections(text),
            "version": version,
            "is_current": version is None or (current is not None and version.pk == current.pk),
            "current": current,
            "history": history,
            "today": timezone.localdate(),
        },
    )


@require_GET
def statement(request: HttpRequest) -> HttpResponse:
    """The privacy statement as last published. Before anything is published it is the
    draft the register gives today, and says so."""
    history = _history()
    if not history:
        return _statement_page(request, text=statement_text(_language()), version=None, history=[])
    current = StatementVersion.objects.get(pk=history[0].pk)
    return _statement_page(
        request, text=current.text(_language()), version=current, history=history
    )


@require_GET
def statement_version(request: HttpRequest, number: int) -> HttpResponse:
    version = get_object_or_404(StatementVersion, number=number)
    return _statement_page(
        request, text=version.text(_language()), version=version, history=_history()
    )


class CompareForm(forms.Form):
    van = forms.TypedChoiceField(
        label=gettext_lazy("From version"),
        coerce=int,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    naar = forms.TypedChoiceField(
        label=gettext_lazy("To version"),
        coerce=int,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args: object, numbers: list[int], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        choices = [(n, _("version %(number)d") % {"number": n}) for n in numbers]
        self.fields["van"].choices = choices
        self.fields["naar"].choices = choices

    def clean(self) -> dict[str, object]:
        data = super().clean()
        if data.get("van") is not None and data.get("van") == data.get("naar"):
            raise ValidationError(_("Choose two different versions."))
        return data


@require_GET
def statement_changes_page(request: HttpRequest) -> HttpResponse:
    """What changed between two published versions (by default: the one before the
    newest, and the newest)."""
    history = _history()
    if len(history) < 2:
        return render(
            request,
            "processing/public/statement_changes.html",
            {"history": history, "form": None, "hunks": None},
        )
    numbers = [v.number for v in history]
    data = request.GET if {"van", "naar"} <= set(request.GET) else None
    form = CompareForm(
        data or {"van": numbers[1], "naar": numbers[0]}, numbers=numbers, auto_id="compare-%s"
    )
    hunks = old = new = None
    if form.is_valid():
        wanted = {form.cleaned_data["van"], form.cleaned_data["naar"]}
        texts = dict(
            StatementVersion.objects.filter(number__in=wanted).values_list(
                "number", f"text_{_language()}"
            )
        )
        by_number = {v.number: v for v in history}
        old, new = by_number[form.cleaned_data["van"]], by_number[form.cleaned_data["naar"]]
        hunks = statement_changes(texts[old.number], texts[new.number])
    return render(
        request,
        "processing/public/statement_changes.html",
        {"history": history, "form": form, "hunks": hunks, "old": old, "new": new},
        status=200 if form.is_valid() else 400,
    )


# Staff.


@staff_permission_required(VIEW_PERMISSION)
@require_GET
def staff_statement(request: HttpRequest) -> HttpResponse:
    """The published version against today's draft, and the publish button for a
    privacy officer."""
    status = statement_status()
    language = _language()
    hunks = (
        statement_changes(status.current.text(language), status.draft[language])
        if status.current is not None
        else None
    )
    return render(
        request,
        "processing/staff/statement.html",
        {
            "status": status,
            "hunks": hunks,
            "draft_blocks": statement_blocks(status.draft[language]),
            "can_publish": request.user.has_perm(PUBLISH_PERMISSION),
        },
    )


@staff_permission_required(PUBLISH_PERMISSION)
@require_POST
def staff_statement_publish(request: HttpRequest) -> HttpResponse:
    try:
        version = statement_version_publish(actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Version %(number)d of the privacy statement is published.")
            % {"number": version.number},
        )
    return redirect("statement:staff")


class Art14RecordForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("How and when was the person told?"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


@staff_permission_required(ART14_VIEW_PERMISSION)
@require_GET
def staff_art14(request: HttpRequest) -> HttpResponse:
    """Who has not had their Art. 14 notice yet, the longest waiting first."""
    return render(
        request,
        "processing/staff/art14.html",
        {
            "pending": art14_notices_pending(),
            "told": Art14Notice.objects.count(),
            "can_record": request.user.has_perm(ART14_RECORD_PERMISSION),
            "form": Art14RecordForm(),
        },
    )


@staff_permission_required(ART14_RECORD_PERMISSION)
@require_POST
def staff_art14_record(request: HttpRequest, subject_id: int) -> HttpResponse:
    subject = DataSubject.objects.filter(pk=subject_id).first()
    if subject is None:
        raise Http404
    form = Art14RecordForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("statement:art14")
    try:
        recorded = art14_notice_record_other(
            actor=request.user, subject=subject, note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            ngettext(
                "Recorded for %(name)s: told about %(count)d activity.",
                "Recorded for %(name)s: told about %(count)d activities.",
                recorded,
            )
            % {"name": subject.full_name, "count": recorded},
        )
    return redirect("statement:art14")
