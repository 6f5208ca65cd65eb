"""The register of processing activities (Art. 30(1) GDPR) as staff hand it to the
Autoriteit Persoonsgegevens (Art. 30(4)): a printable page, a CSV file and a PDF, in the
active language."""

from __future__ import annotations

import csv

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.views.decorators.http import require_safe

from leafspring.access import staff_permission_required
from processing.register_export import register_csv_rows, register_pdf_render, register_rows
from processing.selectors import activity_list, controller_get

VIEW_REGISTER = "processing.view_processingactivity"


def _filename(extension: str) -> str:
    language = (translation.get_language() or "nl")[:2]
    return f"register-verwerkingen-{timezone.localdate():%Y-%m-%d}-{language}.{extension}"


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
    rows = register_csv_rows()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    response.write("\ufeff")  # Excel opens UTF-8 correctly with a byte-order mark
    writer = csv.DictWriter(response, fieldnames=list(rows[0]) if rows else [])
    writer.writeheader()
    writer.writerows(rows)
    return response


@staff_permission_required(VIEW_REGISTER)
def register_pdf(request: HttpRequest) -> HttpResponse:
    """The register as a PDF to hand to the supervisory authority: the controller, every
    activity with all Art. 30(1) fields, the recipients with their agreements and
    transfer safeguards, the generation date on every page."""
    response = HttpResponse(register_pdf_render(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename("pdf")}"'
    response["Cache-Control"] = "private, no-store"
    return response
