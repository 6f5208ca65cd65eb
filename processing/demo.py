"""Demo values for the recipients: for each, the written agreement with a small PDF of
it in private storage, the evidence of each transfer outside the EEA, and a compliance
check. Zoom's check is overdue and E2Grow's agreement is due for review, so the
dashboard shows what needs attention.

Idempotent like ``subjects.demo``: an agreement, evidence or check someone recorded is
left as it is; only what is missing is filled in. Dates are relative to the load."""

from __future__ import annotations

import datetime
import os
import tempfile
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify

from processing.models import Recipient, RecipientCheck
from processing.selectors import controller_get

DEMO_CHECKER = "M. Jansen"

# key: (signed days ago, version, review in days, checked days ago, next check in days,
#       outcome, findings)
AGREEMENTS: dict[str, tuple[int, str, int, int, int, str, str]] = {
    "hosting": (
        900,
        "2.1 (model NL Digital)",
        240,
        120,
        245,
        "compliant",
        "ISO 27001-certificaat geldig; back-ups en logbestanden binnen de EU; geen "
        "subverwerkers bijgekomen.",
    ),
    "web-administrator": (
        700,
        "1.3",
        300,
        90,
        275,
        "compliant",
        "Beheertoegang alleen met tweestapsverificatie; updates binnen een week geïnstalleerd.",
    ),
    "financial-administration": (
        1000,
        "2.0 (model NBA)",
        180,
        150,
        215,
        "compliant",
        "Toegang tot de administratie per medewerker; bewaartermijn 7 jaar nageleefd.",
    ),
    "zoom": (
        800,
        "Global DPA, september 2023",
        150,
        380,
        -14,
        "compliant",
        "DPF-certificering actief; opnemen staat standaard uit; datacenterregio EU ingesteld.",
    ),
    "mailchimp": (
        650,
        "Data Processing Addendum 2023",
        200,
        60,
        305,
        "actions",
        "DPF-certificering actief. Afgesproken: ongebruikte audiences verwijderen "
        "(gedaan binnen 30 dagen).",
    ),
    "microsoft-365": (
        500,
        "Products and Services DPA, januari 2024",
        400,
        45,
        320,
        "compliant",
        "DPF-certificering actief; EU Data Boundary ingeschakeld; beheerdersaccounts met MFA.",
    ),
    "meetin": (
        400,
        "Gegevensdelingsovereenkomst 1.0",
        330,
        100,
        265,
        "compliant",
        "Alleen deelnemers met toestemming doorgegeven; MeetIn bevestigt verwijdering na de reis.",
    ),
    "e2grow": (
        710,
        "Verwerkersovereenkomst 2.0",
        20,
        200,
        165,
        "compliant",
        "Profielen standaard verborgen (opt-in); accounts verwijderbaar door de deelnemer.",
    ),
    "coaching-monitor": (
        600,
        "Verwerkersovereenkomst 2021 met onderzoeksbijlage",
        260,
        170,
        195,
        "compliant",
        "Onderzoek alleen met geanonimiseerde antwoorden en toestemming; rapportages "
        "alleen aan de coach.",
    ),
    "gallup": (
        550,
        "Gallup DPA 2022 met SCC's",
        210,
        140,
        225,
        "compliant",
        "SCC's module 2 ondertekend; TIA bijgewerkt; accounts verwijderd op verzoek.",
    ),
    "trainers-coaches": (
        300,
        "Verwerkersovereenkomst trainers 1.1",
        430,
        80,
        285,
        "compliant",
        "Coachaantekeningen alleen in de versleutelde omgeving; geen kopieën op eigen schijf.",
    ),
    "nobco": (
        350,
        "Gegevensdelingsovereenkomst 1.0",
        380,
        110,
        255,
        "compliant",
        "Alleen geanonimiseerde evaluaties aangeleverd; niet herleidbaar gecontroleerd.",
    ),
}

# key: (DPF list name) or SCC (module, version, assessment days ago)
DPF_LISTED_AS = {
    "zoom": "Zoom Video Communications, Inc.",
    "mailchimp": "The Rocket Science Group LLC (Mailchimp)",
    "microsoft-365": "Microsoft Corporation",
    "gallup": "Gallup, Inc.",
}
SCC = {"gallup": ("2", "Uitvoeringsbesluit (EU) 2021/914", 200)}
DPF_CHECKED_DAYS_AGO = 30


def _document_write(recipient: Recipient) -> str:
    """A one-page demo PDF of the agreement, written into the agreement storage under a
    name fixed by the recipient and version (so loading again writes nothing new)."""
    from processing.pdf import pdf_from_html

    storage = recipient.processing_agreement_document.storage
    slug = slugify(recipient.processing_agreement_version)
    name = f"demo/{recipient.key}-{slug}.pdf"
    if storage.exists(name):
        return name
    controller = controller_get()
    with translation.override("nl"):
        html = render_to_string(
            "processing/demo_agreement.html",
            {
                "recipient": recipient,
                "title": recipient.agreement_label[:1].upper() + recipient.agreement_label[1:],
                "controller": controller.name if controller else "Leafspring B.V.",
            },
        )
    pdf = pdf_from_html(html)
    path = Path(storage.path(name))
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # Written to a temporary file and renamed: a parallel load never sees half a file.
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
    with os.fdopen(handle, "wb") as file:
        file.write(pdf)
    os.replace(temporary, path)
    return name


def demo_recipients_load(*, now: datetime.datetime | None = None) -> int:
    """Fill in what each recipient lacks; returns the number of compliance checks."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    days = datetime.timedelta
    for recipient in Recipient.objects.filter(key__in=AGREEMENTS):
        signed, version, review, checked, next_check, outcome, findings = AGREEMENTS[recipient.key]
        if not recipient.processing_agreement_document:
            recipient.processing_agreement_date = today - days(days=signed)
            recipient.processing_agreement_version = version
            recipient.next_review_on = today + days(days=review)
            recipient.processing_agreement_document.name = _document_write(recipient)
            recipient.processing_agreement_uploaded_at = now - days(days=signed - 1)
            recipient.save(
                update_fields=[
                    "processing_agreement_date",
                    "processing_agreement_version",
                    "next_review_on",
                    "processing_agreement_document",
                    "processing_agreement_uploaded_at",
                ]
            )
        if recipient.transfer_evidence_missing():
            if recipient.transfer_mechanism == Recipient.TransferMechanism.DPF:
                recipient.dpf_checked_on = today - days(days=DPF_CHECKED_DAYS_AGO)
                recipient.dpf_listed_as = DPF_LISTED_AS.get(recipient.key, recipient.name)
            if recipient.transfer_mechanism == Recipient.TransferMechanism.SCC:
                module, scc_version, assessed = SCC[recipient.key]
                recipient.scc_module = module
                recipient.scc_version = scc_version
                recipient.transfer_assessment_on = today - days(days=assessed)
            recipient.save(
                update_fields=[
                    "dpf_checked_on",
                    "dpf_listed_as",
                    "scc_module",
                    "scc_version",
                    "transfer_assessment_on",
                ]
            )
        if not recipient.checks.exists():
            RecipientCheck.objects.create(
                recipient=recipient,
                checked_on=today - days(days=checked),
                checked_by_name=DEMO_CHECKER,
                outcome=outcome,
                findings=findings,
                next_check_on=today + days(days=next_check),
                recorded_at=now - days(days=checked),
            )
    return RecipientCheck.objects.count()
