"""Staff pages of what comes in: contact messages and brochure requests (with the 3-month
follow-up of each brochure request and a way to record it), and the newsletter audience
export for Mailchimp. Each list costs a fixed number of queries."""

from __future__ import annotations

import csv
import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from leafspring.access import staff_permission_required
from retention.models import RetentionRule
from subjects.bidi import isolated
from subjects.models import BrochureRequest, ContactMessage
from subjects.newsletter import audience_rows
from subjects.selectors import brochure_requests_for_follow_up, contact_messages_incoming
from subjects.services import audit_event_record
from subjects.staff_services import (
    FOLLOW_UP_NOTE_MAX,
    brochure_call_refusal,
    brochure_follow_up_record,
)

VIEW_PERMISSION = "subjects.view_datasubject"
FOLLOW_UP_PERMISSION = "subjects.change_brochurerequest"
AUDIENCE_PERMISSION = "subjects.view_newslettersubscription"
PAGE_SIZE = 25
REVIEW_RULE = "contact-review"
MAX_ID = 2**63 - 1  # the largest primary key the databases can hold

# The column layout of Mailchimp's contact import: a header row, then one contact a row.
MAILCHIMP_COLUMNS = ("Email Address", "First Name", "Last Name")
# A cell starting with one of these is a formula to a spreadsheet program.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class FollowUpForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=FOLLOW_UP_NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _review_date(message: ContactMessage, review_days: int | None) -> datetime.date | None:
    """When the message is (next) due for review under rule contact-review."""
    if message.next_review_on is not None:
        return message.next_review_on
    if not review_days:
        return None
    return timezone.localdate(message.received_at) + datetime.timedelta(days=review_days)


@staff_permission_required(VIEW_PERMISSION)
@require_GET
def intake(request: HttpRequest) -> HttpResponse:
    """Contact messages (newest first) and brochure requests with their follow-up."""
    rule = RetentionRule.objects.filter(key=REVIEW_RULE).first()
    review_days = (rule.review_every_days or rule.limit_value) if rule else None
    message_page = Paginator(contact_messages_incoming(), PAGE_SIZE).get_page(
        request.GET.get("messages")
    )
    contact_rows = [(m, _review_date(m, review_days)) for m in message_page]
    brochure_page = Paginator(brochure_requests_for_follow_up(), PAGE_SIZE).get_page(
        request.GET.get("brochures")
    )
    brochure_rows = [(b, brochure_call_refusal(b)) for b in brochure_page]
    return render(
        request,
        "subjects/staff/intake.html",
        {
            "message_page": message_page,
            "contact_rows": contact_rows,
            "brochure_page": brochure_page,
            "brochure_rows": brochure_rows,
            "can_follow_up": request.user.has_perm(FOLLOW_UP_PERMISSION),
            "can_export": request.user.has_perm(AUDIENCE_PERMISSION),
            "now": timezone.now(),
        },
    )


@staff_permission_required(FOLLOW_UP_PERMISSION)
@require_POST
def brochure_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the follow-up call of a brochure request (refused with the reason when the
    call is not allowed)."""
    brochure_request = get_object_or_404(BrochureRequest, pk=min(pk, MAX_ID))
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("subjects_staff:intake")
    try:
        brochure_follow_up_record(
            actor=request.user, brochure_request=brochure_request, note=form.cleaned_data["note"]
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The follow-up of the brochure request of %(name)s was recorded.")
            % {
                "name": isolated(
                    f"{brochure_request.first_name} {brochure_request.last_name}".strip()
                )
            },
        )
    return redirect("subjects_staff:intake")


def _cell(value: str) -> str:
    """Text typed by the public, safe to open in a spreadsheet program: a leading formula
    character is quoted."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


@staff_permission_required(AUDIENCE_PERMISSION)
@require_GET
def newsletter_audience_csv(request: HttpRequest) -> HttpResponse:
    """The newsletter audience in the column layout of Mailchimp's import (UTF-8, a
    header row): only who may be mailed now (``subjects.newsletter.audience_rows``:
    confirmed, not unsubscribed, not restricted, not on the suppression list, no
    objection to direct marketing). Never cached; each export is audited."""
    rows = audience_rows()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="newsletter-audience-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    response["Cache-Control"] = "no-store"
    writer = csv.writer(response)
    writer.writerow(MAILCHIMP_COLUMNS)
    for subscription in rows:
        subject = subscription.subject
        first_name = subscription.first_name or (subject.first_name if subject else "")
        last_name = subject.last_name if subject else ""
        writer.writerow([subscription.email, _cell(first_name), _cell(last_name)])
    audit_event_record(
        actor=request.user,
        action="newsletter.audience-export",
        target="subjects.NewsletterSubscription",
        params={"count": len(rows)},
    )
    return response
