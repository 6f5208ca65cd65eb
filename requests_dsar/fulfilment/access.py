"""Art. 15: a copy of all of the person's data found through the registry, with for
each processing activity the information of Art. 15(1)(a-h) and 15(2) from the register.
Delivered as a readable HTML report and a JSON file."""

from __future__ import annotations

import json
from typing import Any

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from processing.selectors import controller_get
from requests_dsar.fulfilment.common import (
    activities_by_key,
    field_labels,
    fulfilment_record,
    plain,
    row_as_dict,
    row_for_people,
    rows_by_entry,
    staff_verification_require,
    subject_ids,
)
from requests_dsar.fulfilment.packages import answer_package_create
from requests_dsar.models import AnswerPackage, DsarRequest
from subjects.models import SuppressedAddress
from subjects.registry import registry
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


def activity_information(activity: Any) -> dict[str, Any]:
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


def access_report_data(request: DsarRequest) -> dict[str, Any]:
    """Everything the answer to an access request contains, as plain data."""
    ids = subject_ids(request)
    sections = []
    for entry, rows in rows_by_entry(ids):
        if not rows:
            continue
        sections.append(
            {
                "model": entry.label,
                "name": entry.verbose_name,
                "activity": entry.activity,
                "labels": field_labels(entry),
                "rows": [row_as_dict(row) for row in rows],
                "readable": [row_for_people(row) for row in rows],
            }
        )
    # The suppression list holds no data subject, only a keyed hash of the address: it is
    # found from the address the request came from.
    suppressed = list(suppression_entries(request.email)) if request.email else []
    if suppressed:
        entry = registry.get(SuppressedAddress)
        sections.append(
            {
                "model": entry.label,
                "name": entry.verbose_name,
                "activity": entry.activity,
                "labels": field_labels(entry),
                "rows": [row_as_dict(row) for row in suppressed],
                "readable": [row_for_people(row) for row in suppressed],
            }
        )
    request_labels = {
        str(DsarRequest._meta.get_field(k).verbose_name).lower() for k in REQUEST_FIELDS
    }
    requests = DsarRequest.objects.filter(
        Q(subjects__in=ids) | Q(email=request.email), verified_at__isnull=False
    ).distinct()
    sections.append(
        {
            "model": DsarRequest._meta.label,
            "name": str(DsarRequest._meta.verbose_name_plural),
            "activity": "privacy-administration",
            "labels": {k: str(DsarRequest._meta.get_field(k).verbose_name) for k in REQUEST_FIELDS},
            "rows": [
                {k: plain(getattr(r, k)) for k in REQUEST_FIELDS} for r in requests.order_by("pk")
            ],
            "readable": [
                [
                    (label, value)
                    for label, value in row_for_people(r)
                    if label.lower() in request_labels
                ]
                for r in requests.order_by("pk")
            ],
        }
    )
    activities = activities_by_key({s["activity"] for s in sections})
    controller = controller_get()
    return {
        "request": request.reference,
        "generated_at": timezone.localtime().isoformat(),
        "controller": {
            "name": controller.name if controller else "",
            "email": controller.email if controller else "",
        },
        "data": sections,
        "processing": [activity_information(a) for a in activities],
        "rights": [
            _("access (Art. 15)"),
            _("rectification (Art. 16)"),
            _("erasure (Art. 17)"),
            _("restriction (Art. 18)"),
            _("portability (Art. 20)"),
            _("objection (Art. 21)"),
            _("withdrawal of consent (Art. 7(3))"),
        ],
        "complaint": {
            "authority": controller.authority_name if controller else "",
            "address": controller.authority_address if controller else "",
            "url": controller.authority_url if controller else "",
        },
    }


def access_package_build(*, actor: Actor, request: DsarRequest) -> tuple[AnswerPackage, str]:
    """Build the access package (report.html and data.json) in the requester's
    language and record the right as carried out. Refused while a required staff
    identity check is missing."""
    staff_verification_require(request)
    with translation.override(request.language):
        data = access_report_data(request)
        html = render_to_string("requests_dsar/report.html", {"report": data, "request": request})
    machine = {
        **data,
        "data": [{k: v for k, v in s.items() if k != "readable"} for s in data["data"]],
    }
    files = {
        "report.html": html.encode(),
        "data.json": json.dumps(machine, indent=2, ensure_ascii=False).encode(),
    }
    package, token = answer_package_create(request=request, files=files)
    fulfilment_record(
        actor=actor,
        request=request,
        action="access-package-built",
        params={"count": len(data["data"])},
    )
    return package, token
