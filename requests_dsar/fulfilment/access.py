"""Art. 15: a copy of all of the person's data found through the registry, with for
each processing activity the information of Art. 15(1)(a-h) and 15(2) from the register.

Delivered as two files built from the same rows: ``report.html``, a document for the
person (first in short what we hold and why, per processing activity; then the data
itself, formatted in their language; then their rights and how to use them), and
``data.json``, complete and machine-readable. Building it costs a query per registered
model, not per row (``held_rows``)."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
from typing import Any

from django.db import models
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from processing.models import ProcessingActivity
from processing.selectors import controller_get
from requests_dsar.fulfilment.common import (
    activities_by_key,
    fulfilment_record,
    plain,
    row_as_dict,
    staff_verification_require,
    subject_ids,
)
from requests_dsar.fulfilment.packages import answer_package_create
from requests_dsar.fulfilment.readable import kind_name, record_html, related_paths, rows_shown
from requests_dsar.models import AnswerPackage, DsarRequest
from subjects.emails import site_url
from subjects.models import SuppressedAddress
from subjects.registry import RegistryEntry, registry
from subjects.services import Actor
from subjects.suppression import suppression_entries

# What an access answer shows of the person's own requests (no tokens).
REQUEST_FIELDS = (
    "reference",
    "request_type",
    "status",
    "name",
    "email",
    "details",
    "created_at",
    "verified_at",
    "due_on",
    "closed_at",
)
# The register's entry for the proof of consents and requests.
PRIVACY_ADMINISTRATION = "privacy-administration"


@dataclasses.dataclass(frozen=True)
class Held:
    """The person's rows of one kind of data, with the processing activity they serve."""

    label: str
    activity: str
    rows: list[models.Model]
    entry: RegistryEntry | None = None
    fields: tuple[str, ...] | None = None  # only these fields (the person's requests)


def _related(entry: RegistryEntry) -> list[str]:
    """The relations a readable row names, without the link to the person themselves
    where every row has it (one direct link: the rows were found by it, and a row's
    link to its own person is not shown), so it is not read once per row."""
    paths = related_paths(entry.model)
    if len(entry.subject_paths) == 1 and "__" not in entry.subject_paths[0]:
        own = entry.subject_paths[0]
        paths = [p for p in paths if p != own and not p.startswith(f"{own}__")]
    return paths


def held_rows(request: DsarRequest, ids: list[int] | None = None) -> list[Held]:
    """Every kind of data held about the request's subjects, with the related rows a
    readable answer names (one query per registered model, whatever the number of rows):
    the registry's rows, the suppression list (found by a keyed hash of the request's
    address, it names no data subject) and the person's own verified requests."""
    ids = subject_ids(request) if ids is None else ids
    held = []
    for entry in registry.subject_entries() if ids else []:
        rows = list(entry.rows_for(ids).select_related(*_related(entry)))
        if rows:
            held.append(Held(entry.label, entry.activity, rows, entry))
    suppressed = list(suppression_entries(request.email)) if request.email else []
    if suppressed:
        entry = registry.get(SuppressedAddress)
        held.append(Held(entry.label, entry.activity, suppressed, entry))
    requests = list(
        # Confirmed by e-mail, or recorded by staff (who checked the identity).
        DsarRequest.objects.filter(Q(subjects__in=ids) | Q(email=request.email))
        .filter(Q(verified_at__isnull=False) | Q(recorded_by__isnull=False))
        .distinct()
        .order_by("pk")
    )
    held.append(
        Held(DsarRequest._meta.label, PRIVACY_ADMINISTRATION, requests, fields=REQUEST_FIELDS)
    )
    return held


def activity_information(activity: ProcessingActivity) -> dict[str, Any]:
    """Art. 15(1)(a-h), 15(2) for one activity, in the active language."""
    return {
        "key": activity.key,
        "name": activity.tr("name"),
        "purposes": activity.tr("purpose"),
        "legal_bases": [str(b) for b in activity.legal_bases.all()],
        "legitimate_interest": activity.tr("legitimate_interest"),
        "categories": [c.tr("name") for c in activity.data_categories.all()],
        "recipients": [
            {
                "name": r.name,
                "country": r.country,
                "outside_eea": r.outside_eea,
                "safeguard": str(r.get_transfer_mechanism_display()),
            }
            for r in activity.recipients.all()
        ],
        "retention": activity.tr("retention"),
        "source": activity.tr("source"),
        "automated_decision_making": activity.automated_decision_making,
    }


def _machine_section(held: Held) -> dict[str, Any]:
    """One kind of data for data.json: every stored field (or the named ones) with its
    plain value, and the field labels."""
    model = held.rows[0]._meta.model if held.rows else DsarRequest
    names = held.fields
    fields = [f for f in model._meta.concrete_fields if names is None or f.name in names]
    if names is None:
        rows = [row_as_dict(row) for row in held.rows]
    else:
        rows = [{f.name: plain(getattr(row, f.name)) for f in fields} for row in held.rows]
    return {
        "model": held.label,
        "name": kind_name(held.label),
        "activity": held.activity,
        "labels": {f.attname if names is None else f.name: str(f.verbose_name) for f in fields},
        "rows": rows,
    }


def access_report_data(request: DsarRequest, held: list[Held] | None = None) -> dict[str, Any]:
    """Everything the answer to an access request contains, as plain data (data.json):
    complete, machine-readable, with ISO dates. ``held``: the rows, when the caller has
    them already (``held_rows``)."""
    held = held_rows(request) if held is None else held
    activities = activities_by_key({h.activity for h in held})
    controller = controller_get()
    return {
        "request": request.reference,
        "generated_at": timezone.localtime().isoformat(),
        "controller": {
            "name": controller.name if controller else "",
            "email": controller.email if controller else "",
        },
        "data": [_machine_section(h) for h in held],
        "processing": [activity_information(a) for a in activities],
        "rights": [str(title) for title, _text in RIGHTS],
        "complaint": {
            "authority": controller.authority_name if controller else "",
            "address": controller.authority_address if controller else "",
            "url": controller.authority_url if controller else "",
        },
    }


# The rights of the person, each in a plain sentence (Art. 15(1)(e), (f); 12(1)).
RIGHTS = (
    (
        gettext_lazy("Access (Art. 15 GDPR)"),
        gettext_lazy(
            "You may ask us at any time which personal data we hold about you and receive "
            "a copy, as in this report."
        ),
    ),
    (
        gettext_lazy("Rectification (Art. 16 GDPR)"),
        gettext_lazy(
            "If something here is wrong or incomplete, you may ask us to correct or complete it."
        ),
    ),
    (
        gettext_lazy("Erasure (Art. 17 GDPR)"),
        gettext_lazy(
            "You may ask us to erase your personal data. What the law obliges us to keep "
            "(for example invoices, for seven years) we keep until then, but no longer use."
        ),
    ),
    (
        gettext_lazy("Restriction (Art. 18 GDPR)"),
        gettext_lazy(
            "You may ask us to keep your data but not use it for a while, for example while "
            "we check whether it is correct."
        ),
    ),
    (
        gettext_lazy("Objection (Art. 21 GDPR)"),
        gettext_lazy(
            "You may object to what we do with your data on the basis of our legitimate "
            "interest. To direct marketing, such as our newsletter, you may always object: "
            "we then stop at once."
        ),
    ),
    (
        gettext_lazy("Data portability (Art. 20 GDPR)"),
        gettext_lazy(
            "You may receive the data you gave us yourself as a computer file, or have us "
            "send it to another organisation."
        ),
    ),
    (
        gettext_lazy("Withdrawing your consent (Art. 7(3) GDPR)"),
        gettext_lazy(
            "Where we use your data because you consented, you may withdraw that consent at "
            "any time, as easily as you gave it. What we did before stays lawful."
        ),
    ),
)


def legal_basis_lines(activity: ProcessingActivity) -> list[str]:
    """The legal basis of an activity in words: the bases by name, the explanation, the
    legitimate interest and the condition for special-category data, where there are."""
    lines = [capfirst(b.tr("name")) for b in activity.legal_bases.all()]
    lines += [text for text in (activity.tr("legal_basis_note"),) if text]
    if interest := activity.tr("legitimate_interest"):
        lines.append(_("Our legitimate interest: %(interest)s") % {"interest": interest})
    if activity.special_category_condition:
        lines.append(
            _("For special categories of data (such as health): %(condition)s")
            % {"condition": activity.get_special_category_condition_display()}
        )
    return lines


def recipient_lines(activity: ProcessingActivity) -> list[dict[str, Any]]:
    return [
        {
            "name": r.name,
            "country": r.country,
            "outside_eea": r.outside_eea,
            "safeguard": str(r.get_transfer_mechanism_display()) if r.outside_eea else "",
        }
        for r in activity.recipients.all()
    ]


def access_report_context(
    request: DsarRequest, ids: list[int] | None = None, held: list[Held] | None = None
) -> dict[str, Any]:
    """What report.html shows, in the active language: per processing activity what we
    hold and why (purpose, legal basis, recipients and transfers with their safeguard,
    how long, the source) and the data itself, row by row with labels and formatted
    values; then the rights, how to use them and where to complain. The rows are written
    as HTML here (escaped), not by the template row by row: a person with thousands of
    records gets their answer in well under a second."""
    ids = subject_ids(request) if ids is None else ids
    held = held_rows(request, ids) if held is None else held
    own = set(ids)
    by_activity: dict[str, list[dict[str, Any]]] = {}
    for h in held:
        rows = [row for row in rows_shown(h.rows, entry=h.entry, own_ids=own, only=h.fields) if row]
        if rows:
            by_activity.setdefault(h.activity, []).append(
                {
                    "name": capfirst(kind_name(h.label)),
                    "count": len(rows),
                    "records_html": mark_safe(  # noqa: S308 - every value escaped by record_html
                        "".join(f"\n      {record_html(row)}\n    " for row in rows)
                    ),
                }
            )
    activities = [
        {
            "name": a.tr("name"),
            "purpose": a.tr("purpose"),
            "legal_basis": legal_basis_lines(a),
            "categories": [c.tr("name") for c in a.data_categories.all()],
            "recipients": recipient_lines(a),
            "retention": a.tr("retention"),
            "source": a.tr("source"),
            "automated_decision_making": a.automated_decision_making,
            "kinds": by_activity[a.key],
        }
        for a in activities_by_key(by_activity)
    ]
    language = translation.get_language() or "nl"
    return {
        "reference": request.reference,
        "made_on": timezone.now(),
        "language": language[:2],
        "activities": activities,
        "rights": RIGHTS,
        "form_url": site_url("requests_dsar:form", language=language[:2]),
        "consent_url": site_url("processing:consent_request", language=language[:2]),
        "controller": controller_get(),
    }


def access_report_render(
    request: DsarRequest, ids: list[int] | None = None, held: list[Held] | None = None
) -> str:
    """report.html in the requester's language. Builds, records and sends nothing (the
    staff preview shows it as it is). With ``ids``: the report of these data subjects,
    for a request not yet stored (the person's page previews an access answer)."""
    with translation.override(request.language):
        return render_to_string(
            "requests_dsar/report.html", {"report": access_report_context(request, ids, held)}
        )


def access_package_build(*, actor: Actor, request: DsarRequest) -> tuple[AnswerPackage, str]:
    """Build the access package (report.html and data.json) in the requester's
    language and record the right as carried out. Refused while a required staff
    identity check is missing."""
    staff_verification_require(request)
    files = access_files(request)
    package, token = answer_package_create(request=request, files=files)
    kinds = len(json.loads(files["data.json"])["data"])
    fulfilment_record(
        actor=actor,
        request=request,
        action="access-package-built",
        params={"count": kinds},
    )
    return package, token


def access_files(request: DsarRequest) -> dict[str, bytes]:
    """The files of the access package, in the requester's language: report.html for
    the person and data.json, complete and machine-readable. Builds, records and sends
    nothing by itself. Both files are built from one read of the rows."""
    ids = subject_ids(request)
    held = held_rows(request, ids)
    html = access_report_render(request, ids, held)
    with translation.override(request.language):
        data = access_report_data(request, held)
    return {
        "report.html": html.encode(),
        "data.json": json.dumps(data, indent=2, ensure_ascii=False).encode(),
    }


def report_style_hash() -> str:
    """A CSP source that allows exactly one inline style block: the report's stylesheet
    (``requests_dsar/report.css``), where staff see the report inside a page."""
    digest = hashlib.sha256(render_to_string("requests_dsar/report.css").encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"
