"""Staff pages to find a person and see everything held about them (the "360"), with
what staff do from there: start a rights request on their behalf, restrict or lift, and
preview an access answer before any request exists. Each page costs a fixed number of
queries, however many people or records there are."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from leafspring.access import staff_permission_required
from requests_dsar.fulfilment.access import access_report_render, report_style_hash
from requests_dsar.models import DsarRequest, RequestType
from subjects.models import DataSubject
from subjects.permissions import can_view_special_category
from subjects.person import holds_special_category_data, person_overview
from subjects.registry import Art18Ground, art18_ground_prefix
from subjects.search import CANDIDATES, QUERY_MAX, people_found
from subjects.services import (
    STAFF_RESTRICTION_REFERENCE,
    data_subject_restrict,
    data_subject_restriction_lift,
    reads_record,
)

VIEW_PERMISSION = "subjects.view_datasubject"
RESTRICT_PERMISSION = "subjects.change_datasubject"
PAGE_SIZE = 25
MAX_PAGE = 1000  # no search has more pages than its candidates fill
MAX_ID = 2**63 - 1  # the largest primary key the databases can hold


class RestrictForm(forms.Form):
    ground = forms.ChoiceField(
        label=gettext_lazy("Point of Art. 18(1)"),
        choices=Art18Ground.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    reason = forms.CharField(label=gettext_lazy("Why"), max_length=200, widget=forms.TextInput())


class LiftForm(forms.Form):
    told = forms.CharField(
        label=gettext_lazy("When and how the person was told (Art. 18(3))"), max_length=200
    )


def _subject(pk: int) -> DataSubject:
    return get_object_or_404(DataSubject, pk=min(pk, MAX_ID))


def _reads_record(
    request: HttpRequest, subject: DataSubject, *, special: bool, target: str
) -> None:
    """The read log (issue 12): who opened whose data, and who was shown special-category
    data, as the admin records it."""
    reads_record(actor=request.user, action="read.subject", subject_ids=[subject.pk], target=target)
    if special:
        reads_record(
            actor=request.user,
            action="read.special-category",
            subject_ids=[subject.pk],
            target=target,
        )


@staff_permission_required(VIEW_PERMISSION)
@require_GET
def people(request: HttpRequest) -> HttpResponse:
    """Find a person by name, e-mail address, phone number or organisation. Pages go
    forward and back without counting every match (a page fetches one person more than
    it shows, to know whether there is a next one)."""
    query = request.GET.get("q", "")[:QUERY_MAX].strip()
    try:
        number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        number = 1
    number = min(number, MAX_PAGE)
    start = (number - 1) * PAGE_SIZE
    found = people_found(query, need=start + PAGE_SIZE + 1)
    people = list(found.people[start : start + PAGE_SIZE + 1])
    return render(
        request,
        "subjects/staff/people.html",
        {
            "people": people[:PAGE_SIZE],
            "number": number,
            "has_previous": number > 1,
            "has_next": len(people) > PAGE_SIZE,
            "more": found.more,
            "candidates": CANDIDATES,
            "person_query": query,
        },
    )


@staff_permission_required(VIEW_PERMISSION)
@require_GET
def person(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything held about one person, why, shared with whom and until when. Opening it
    is in the read log (with the special-category data, when it is shown)."""
    subject = _subject(pk)
    target = str(_("the person's page"))
    reads_record(actor=request.user, action="read.subject", subject_ids=[subject.pk], target=target)
    overview = person_overview(subject, user=request.user, pages=request.GET)
    if overview["may_see_special"] and overview["special_held"]:
        reads_record(
            actor=request.user,
            action="read.special-category",
            subject_ids=[subject.pk],
            target=target,
        )
    return render(
        request,
        "subjects/staff/person.html",
        {
            "subject": subject,
            "overview": overview,
            "restrict_form": RestrictForm(),
            "lift_form": LiftForm(),
            "can_restrict": request.user.has_perm(RESTRICT_PERMISSION),
            "can_start_request": request.user.has_perm("requests_dsar.handle_dsarrequest"),
        },
    )


@staff_permission_required(RESTRICT_PERMISSION)
@require_POST
def person_restrict(request: HttpRequest, pk: int) -> HttpResponse:
    """Restrict processing of the person's data (Art. 18) on a point of Art. 18(1)."""
    subject = _subject(pk)
    form = RestrictForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("subjects_staff:person", pk=subject.pk)
    ground = "{} {}".format(
        art18_ground_prefix(form.cleaned_data["ground"], STAFF_RESTRICTION_REFERENCE),
        form.cleaned_data["reason"],
    )
    data_subject_restrict(actor=request.user, subject=subject, ground=ground)
    messages.success(
        request, _("Processing of %(name)s's data is restricted.") % {"name": subject.full_name}
    )
    return redirect("subjects_staff:person", pk=subject.pk)


@staff_permission_required(RESTRICT_PERMISSION)
@require_POST
def person_lift(request: HttpRequest, pk: int) -> HttpResponse:
    """Lift the restriction recorded on this page, once the person has been told."""
    subject = _subject(pk)
    form = LiftForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Record when and how the person was told before lifting."))
        data_subject_restriction_lift(
            actor=request.user, subject=subject, told=form.cleaned_data["told"]
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("The restriction of %(name)s is lifted.") % {"name": subject.full_name}
        )
    return redirect("subjects_staff:person", pk=subject.pk)


@staff_permission_required(VIEW_PERMISSION)
@require_GET
def person_access_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """What an answer to an access request would contain now, before any request
    exists: the report, built in memory in the person's language. Nothing is stored,
    sent or recorded but the read log. A report with special-category data only for staff
    allowed to see such data."""
    subject = _subject(pk)
    withheld = not can_view_special_category(request.user) and holds_special_category_data(subject)
    draft = DsarRequest(
        request_type=RequestType.ACCESS,
        name=subject.full_name,
        email=subject.email,
        language=subject.language,
        reference=_("preview"),
    )
    report_html = "" if withheld else access_report_render(draft, ids=[subject.pk])
    if report_html:
        _reads_record(
            request,
            subject,
            special=can_view_special_category(request.user)
            and holds_special_category_data(subject),
            target=str(_("preview of an access answer")),
        )
    response = render(
        request,
        "subjects/staff/person_preview.html",
        {"subject": subject, "report_html": report_html, "withheld": withheld},
    )
    response._csp_update = {"style-src": [report_style_hash()]}  # type: ignore[attr-defined]
    return response
