"""Art. 20: the data the person provided themselves, processed under consent or a
contract, in a structured, machine-readable form (JSON and CSV in a ZIP), to the person
or directly to another organisation they name."""

from __future__ import annotations

import csv
import io
import json
import zipfile

from django.template.loader import render_to_string
from django.utils import translation

from processing.models import ProcessingActivity
from requests_dsar.emails import request_email_send
from requests_dsar.fulfilment.common import (
    fulfilment_record,
    row_as_dict,
    staff_verification_require,
    subject_ids,
)
from requests_dsar.fulfilment.packages import answer_package_create
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
    """A plain cell: nested data (a structured result, a list) as JSON text, which other
    software can read, never Python's own notation; yes/no as true/false; nothing as an
    empty cell. Spreadsheets run cells starting with = + - @ as formulas: they are
    quoted."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list | tuple):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, str) and value[:1] in {"=", "+", "-", "@"}:
        return "'" + value
    return value


def _readme(request: DsarRequest, data: dict[str, list[dict[str, object]]]) -> str:
    """README.txt of the ZIP, in the person's language: what each file holds."""
    language = request.language if request.language in {"nl", "en"} else "nl"
    files = [
        (f"{label}.csv", str(registry.get_by_label(label).verbose_name), len(rows))
        for label, rows in data.items()
    ]
    with translation.override(language):
        return render_to_string(
            "requests_dsar/portability_readme.txt",
            {"request": request, "files": files},
        )


def portability_zip(request: DsarRequest) -> bytes:
    ids = subject_ids(request)
    data: dict[str, list[dict[str, object]]] = {}
    for entry in portable_entries():
        rows = [row_as_dict(row) for row in entry.rows_for(ids)] if ids else []
        if rows:
            data[entry.label] = rows
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", _readme(request, data))
        archive.writestr("data.json", json.dumps(data, indent=2, ensure_ascii=False))
        for label, rows in data.items():
            out = io.StringIO()
            writer = csv.DictWriter(out, fieldnames=list(rows[0]))
            writer.writeheader()
            for row in rows:
                writer.writerow({k: _csv_safe(v) for k, v in row.items()})
            archive.writestr(f"{label}.csv", out.getvalue())
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
