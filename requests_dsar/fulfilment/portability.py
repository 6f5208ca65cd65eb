"""Art. 20: the data the person provided themselves, processed under consent or a
contract, in a structured, machine-readable form (JSON and CSV in a ZIP), to the person
or directly to another organisation they name."""

from __future__ import annotations

import csv
import datetime
import decimal
import io
import json
import zipfile

from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import capfirst, slugify

from processing.models import ProcessingActivity
from requests_dsar.emails import request_email_send
from requests_dsar.fulfilment.common import (
    fulfilment_record,
    row_as_dict,
    staff_verification_require,
    subject_ids,
)
from requests_dsar.fulfilment.packages import answer_package_create
from requests_dsar.fulfilment.readable import (
    field_shown,
    key_text,
    kind_name,
    related_paths,
    shown_fields,
)
from requests_dsar.models import AnswerPackage, DsarRequest
from requests_dsar.services.events import request_event_record
from subjects.registry import RegistryEntry, registry
from subjects.services import Actor

PORTABLE_BASES = {"a", "b"}  # Art. 20(1)(a): consent or contract


def portable_entries() -> list[RegistryEntry]:
    """Registry entries the person provided, whose activity rests on consent or contract."""
    bases: dict[str, set[str]] = {}
    for activity in ProcessingActivity.objects.prefetch_related("legal_bases"):
        bases[activity.key] = {b.code for b in activity.legal_bases.all()}
    return [
        entry
        for entry in registry.subject_entries()
        if entry.provided_by_subject and bases.get(entry.activity, set()) & PORTABLE_BASES
    ]


def _csv_safe(value: object) -> object:
    """A plain cell: yes/no as true/false, a date as year-month-day and a moment with
    its offset from UTC (2026-03-15 10:30:00+01:00), a list as JSON text, which other
    software can read, never Python's own notation; nothing as an empty cell.
    Spreadsheets run cells starting with = + - @ as formulas: they are quoted."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return local.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        value = json.dumps(value, ensure_ascii=False)
    if isinstance(value, decimal.Decimal):
        value = str(value)
    if isinstance(value, str) and value[:1] in {"=", "+", "-", "@"}:
        return "'" + value
    return value


def _structured_cells(label: str, value: object) -> dict[str, object]:
    """Structured data (a tool's results) in columns of its own, one per part ("Results:
    top 5"); a list of plain values as JSON text in one cell."""
    if isinstance(value, dict):
        cells: dict[str, object] = {}
        for key, item in value.items():
            cells.update(_structured_cells(f"{label}: {key_text(key)}", item))
        return cells or {label: ""}
    if isinstance(value, list | tuple) and any(isinstance(i, dict | list) for i in value):
        cells = {}
        for number, item in enumerate(value, start=1):
            cells.update(_structured_cells(f"{label} {number}", item))
        return cells or {label: ""}
    return {label: _csv_safe(value)}


def csv_row(row: models.Model, *, entry: RegistryEntry, own_ids: set[int]) -> dict[str, object]:
    """One record as CSV cells, columns named by their labels in the person's language:
    the fields a person is shown (``shown_fields``), choices by their label, a related
    record by its name (a consent wording by its text), structured data in columns of
    its own, other values plain (``_csv_safe``)."""
    cells: dict[str, object] = {}
    for field in shown_fields(row, entry=entry, own_ids=own_ids):
        label = capfirst(str(field.verbose_name))
        value = getattr(row, field.attname)
        if field.is_relation:
            cells[label] = str(field_shown(row, field))
        elif field.choices and value not in (None, ""):
            cells[label] = _csv_safe(str(getattr(row, f"get_{field.name}_display")()))
        elif isinstance(field, models.JSONField):
            cells.update(_structured_cells(label, value))
        else:
            cells[label] = _csv_safe(value)
    return cells


def csv_name(label: str) -> str:
    """The CSV file of a kind of data, named in the person's language
    ("newsletter-subscriptions.csv")."""
    return slugify(kind_name(label)) + ".csv"


def _readme(request: DsarRequest, files: list[tuple[str, str, int]]) -> str:
    """README.txt of the ZIP, in the person's language: what each file holds."""
    return render_to_string(
        "requests_dsar/portability_readme.txt", {"request": request, "files": files}
    )


def portability_files(request: DsarRequest) -> dict[str, str]:
    """The files of the ZIP in the person's language: README.txt explaining them,
    data.json (every stored field, plain values, by kind of data) and a CSV file per kind
    of data. Builds, records and sends nothing by itself."""
    language = request.language if request.language in {"nl", "en"} else "nl"
    ids = subject_ids(request)
    own = set(ids)
    data: dict[str, list[dict[str, object]]] = {}
    tables: dict[str, list[dict[str, object]]] = {}
    listed: list[tuple[str, str, int]] = []
    with translation.override(language):
        for entry in portable_entries() if ids else []:
            rows = list(entry.rows_for(ids).select_related(*related_paths(entry.model)))
            if not rows:
                continue
            data[entry.label] = [row_as_dict(row) for row in rows]
            name = csv_name(entry.label)
            tables[name] = [csv_row(row, entry=entry, own_ids=own) for row in rows]
            listed.append((name, kind_name(entry.label), len(rows)))
        files = {
            "README.txt": _readme(request, listed),
            "data.json": json.dumps(data, indent=2, ensure_ascii=False),
        }
    for name, rows in tables.items():
        columns = list(dict.fromkeys(column for row in rows for column in row))
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=columns, restval="")
        writer.writeheader()
        writer.writerows(rows)
        files[name] = out.getvalue()
    return files


def portability_zip(request: DsarRequest) -> bytes:
    """The ZIP of ``portability_files``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in portability_files(request).items():
            archive.writestr(name, content)
    return buffer.getvalue()


def portability_package_build(
    *, actor: Actor, request: DsarRequest, send_to_organisation: bool = False
) -> tuple[AnswerPackage, str]:
    """Build the ZIP, make it downloadable for 7 days, and if the person named another
    organisation (and staff confirm) send it there directly (Art. 20(2)). Refused while
    a required staff identity check is missing."""
    staff_verification_require(request)
    content = portability_zip(request)
    package, token = answer_package_create(request=request, files={"data.zip": content})
    fulfilment_record(actor=actor, request=request, action="portability-package-built")
    if send_to_organisation and request.portability_recipient_email:
        with translation.override(request.language):
            sent = request_email_send(
                request=request,
                kind="portability_transfer",
                to=request.portability_recipient_email,
                attachments=[("data.zip", content, "application/zip")],
            )
        request_event_record(
            request=request,
            actor=actor,
            action="portability-sent" if sent else "portability-send-failed",
        )
    return package, token
