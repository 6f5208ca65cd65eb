"""The register of processing activities (Art. 30(1) GDPR) as staff hand it to the
Autoriteit Persoonsgegevens: a printable page and a CSV file, in the active language."""

from __future__ import annotations

import csv

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from leafspring.access import staff_permission_required
from processing.models import ProcessingActivity
from processing.selectors import activity_list, controller_get

VIEW_REGISTER = "processing.view_processingactivity"


def register_rows(activities: list[ProcessingActivity]) -> list[dict[str, str]]:
    """One flat row per activity with every Art. 30(1) field, worded in the active language."""
    rows = []
    for a in activities:
        recipients = list(a.recipients.all())
        bases = list(a.legal_bases.all())
        rows.append(
            {
                _("Number"): str(a.number),
                _("Processing activity"): a.tr("name"),
                _("Purpose"): a.tr("purpose"),
                _("Categories of data subjects"): "; ".join(
                    c.tr("name") for c in a.subject_categories.all()
                ),
                _("Categories of personal data"): "; ".join(
                    c.tr("name") + (" (art. 9)" if c.is_special_category else "")
                    for c in a.data_categories.all()
                ),
                _("Legal basis"): "; ".join(f"{b.article} {b.tr('name')}" for b in bases),
                _("Legal basis explained"): a.tr("legal_basis_note"),
                _("Legitimate interest"): a.tr("legitimate_interest"),
                _("Art. 9(2) condition"): a.get_special_category_condition_display()
                if a.special_category_condition
                else "",
                _("Recipients"): "; ".join(r.name for r in recipients),
                _("Transfers outside the EEA"): "; ".join(
                    f"{r.name} ({r.country}: {r.get_transfer_mechanism_display()})"
                    for r in recipients
                    if r.outside_eea
                ),
                _("Erasure time limit"): a.tr("retention"),
                _("Security measures"): a.tr("security_measures"),
                _("Source"): a.tr("source"),
            }
        )
    return rows


@require_safe
@staff_permission_required(VIEW_REGISTER)
def register(request: HttpRequest) -> HttpResponse:
    rows = register_rows(list(activity_list()))
    return render(
        request,
        "staff/register.html",
        {"rows": rows, "controller": controller_get(), "today": timezone.localdate()},
    )


@require_safe
@staff_permission_required(VIEW_REGISTER)
def register_csv(request: HttpRequest) -> HttpResponse:
    rows = register_rows(list(activity_list()))
    language = translation.get_language() or "nl"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="register-verwerkingen-{timezone.localdate():%Y-%m-%d}'
        f'-{language[:2]}.csv"'
    )
    response.write("\ufeff")  # Excel opens UTF-8 correctly with a byte-order mark
    writer = csv.DictWriter(response, fieldnames=list(rows[0]) if rows else [])
    writer.writeheader()
    writer.writerows(rows)
    return response
