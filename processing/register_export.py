"""The register of processing activities (Art. 30(1) GDPR) as staff hand it to the
Autoriteit Persoonsgegevens (Art. 30(4)): flat rows for the page and the CSV file, and a
PDF with the controller, every activity, the recipients with their agreements and
transfer safeguards, and the generation date on every page. Worded in the active
language.

The PDF is rendered by WeasyPrint from a Django template (``processing.pdf``), which
fetches nothing but local files: a register export must not make the server call out."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from processing.models import Controller, ProcessingActivity, Recipient, RecipientCheck
from processing.selectors import activity_list, controller_get, recipient_list


def _date(value: datetime.date) -> str:
    return date_format(value, "j F Y")


def transfer_safeguard_text(recipient: Recipient) -> str:
    """The safeguard of a transfer outside the EEA with its evidence, in words: for the
    Data Privacy Framework the listed organisation and the day its certification was
    checked, for standard contractual clauses the module, the version and the transfer
    impact assessment."""
    parts = [str(recipient.get_transfer_mechanism_display())]
    if recipient.transfer_mechanism == Recipient.TransferMechanism.DPF:
        if recipient.dpf_checked_on:
            parts.append(
                _("certification of “%(name)s” checked on %(date)s")
                % {
                    "name": recipient.dpf_listed_as or recipient.name,
                    "date": _date(recipient.dpf_checked_on),
                }
            )
        else:
            parts.append(_("certification not yet checked"))
    if recipient.scc_module:
        parts.append(str(recipient.get_scc_module_display()))
    if recipient.scc_version:
        parts.append(recipient.scc_version)
    if recipient.transfer_assessment_on:
        parts.append(
            _("transfer impact assessment of %(date)s")
            % {"date": _date(recipient.transfer_assessment_on)}
        )
    return "; ".join(parts)


def register_rows(activities: list[ProcessingActivity]) -> list[dict[str, str]]:
    """One flat row per activity with every Art. 30(1) field, worded in the active
    language: (b) purposes, (c) categories of data subjects and of personal data, (d)
    recipients, (e) transfers with each third country by name and the safeguard, (f)
    erasure time limits, (g) security measures; and the legal basis and source."""
    rows = []
    for a in activities:
        recipients = list(a.recipients.all())
        outside = [r for r in recipients if r.outside_eea]
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
                _("Third countries"): "; ".join(sorted({r.tr_country for r in outside})),
                _("Transfers outside the EEA"): "; ".join(
                    f"{r.name} ({r.tr_country}: {transfer_safeguard_text(r)})" for r in outside
                ),
                _("Erasure time limit"): a.tr("retention"),
                _("Security measures"): a.tr("security_measures"),
                _("Source"): a.tr("source"),
            }
        )
    return rows


def controller_columns(controller: Controller | None) -> dict[str, str]:
    """The controller's name and contact details (Art. 30(1)(a)), as CSV columns."""
    if controller is None:
        return {}
    return {
        _("Controller"): controller.name,
        _("Controller's address"): (
            f"{controller.street_address}, {controller.postcode} {controller.city}"
        ),
        _("Controller's e-mail address"): controller.email,
        _("Controller's phone number"): controller.phone,
        _("Controller's Chamber of Commerce number"): controller.kvk_number,
    }


def register_csv_rows() -> list[dict[str, str]]:
    """The CSV: every activity's row, each starting with the controller's identity."""
    controller = controller_columns(controller_get())
    return [{**controller, **row} for row in register_rows(list(activity_list()))]


def _recipients_for_export() -> list[Recipient]:
    return list(
        recipient_list().prefetch_related(
            Prefetch("activities", queryset=ProcessingActivity.objects.order_by("number"))
        )
    )


def _css_string(value: str) -> str:
    """``value`` as a CSS string literal (for the page footer)."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    # No "<" at all, so nothing in the string can close the <style> element.
    escaped = escaped.replace("<", "\\3c ")
    return f'"{escaped}"'


def _page_counter_css() -> str:
    """ "page 3 of 18" in the active language as a CSS ``content`` value: the translated
    words as strings, the numbers as the page counters (in the translation's order)."""
    marker = "\x00"
    text = _("page %(page)s of %(pages)s") % {
        "page": f"{marker}page{marker}",
        "pages": f"{marker}pages{marker}",
    }
    parts = []
    for index, piece in enumerate(text.split(marker)):
        if index % 2:
            parts.append(f"counter({piece})")
        elif piece:
            parts.append(_css_string(piece))
    return " ".join(parts)


def register_pdf_render(*, now: datetime.datetime | None = None) -> bytes:
    """The register as a PDF for the supervisory authority, in the active language."""
    from processing.pdf import pdf_from_html

    now = timezone.localtime(now or timezone.now())
    controller = controller_get()
    generated = _("Generated on %(date)s at %(time)s") % {
        "date": date_format(now.date(), "j F Y"),
        "time": now.strftime("%H:%M"),
    }
    title = _("Register of processing activities")
    recipients = _recipients_for_export()
    for recipient in recipients:
        recipient.safeguard_text = (
            transfer_safeguard_text(recipient) if recipient.outside_eea else ""
        )
        recipient.last_outcome_label = (
            RecipientCheck.Outcome(recipient.last_outcome).label if recipient.last_outcome else ""
        )
    # Each activity under its number and name, then its other fields in register order.
    activities = [
        (f"{values[0]}. {values[1]}", list(row.items())[2:])
        for row in register_rows(list(activity_list()))
        for values in [list(row.values())]
    ]
    html = render_to_string(
        "processing/register_pdf.html",
        {
            "controller": controller,
            "activities": activities,
            "recipients": recipients,
            "generated": generated,
            "footer_left": _css_string(
                " · ".join(filter(None, [title, controller.name if controller else "", generated]))
            ),
            "footer_pages": _page_counter_css(),
        },
    )
    return pdf_from_html(html)
