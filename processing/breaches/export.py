"""An incident as the Autoriteit Persoonsgegevens asks for it (Art. 33(3)) and as Art.
33(5) documents it: one list of (label, value) pairs, for the printable page and for
each row of the CSV file. Names of the people affected are not in it: their number is."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from processing.breaches.models import Breach


def _moment(value: datetime.datetime | None) -> str:
    return date_format(timezone.localtime(value), "j F Y H:i") if value else ""


def _count(value: int | None) -> str:
    return str(value or 0)


def _number(value: int | None) -> str:
    return "" if value is None else str(value)


def _names(items: Any, attribute: str = "") -> str:
    return "; ".join(item.tr(attribute) if attribute else str(item) for item in items)


def _initial(breach: Breach) -> Any:
    return next((n for n in breach.notifications.all() if n.phase == n.Phase.INITIAL), None)


def _late(breach: Breach) -> str:
    initial = _initial(breach)
    if initial is None:
        return ""
    return _("yes") if breach.is_late(initial.sent_at) else _("no")


def _notifications(breach: Breach) -> str:
    lines = []
    for n in breach.notifications.all():
        line = f"{n.get_phase_display()}: {_moment(n.sent_at)}, {_('reference')} {n.reference}"
        if n.summary:
            line += f". {n.summary}"
        if n.late_reason:
            line += f". {_('Reasons for the delay')}: {n.late_reason}"
        lines.append(line)
    return "\n".join(lines)


Column = tuple[Any, Callable[[Breach], str]]

COLUMNS: list[Column] = [
    (gettext_lazy("Reference"), lambda b: b.reference),
    (gettext_lazy("Reported at"), lambda b: _moment(b.reported_at)),
    (gettext_lazy("Happened at"), lambda b: _moment(b.occurred_at) or _("not known")),
    (gettext_lazy("Leafspring aware since"), lambda b: _moment(b.aware_at)),
    (gettext_lazy("Deadline to notify (72 hours)"), lambda b: _moment(b.deadline)),
    (gettext_lazy("Caused at the processor"), lambda b: b.processor.name if b.processor else ""),
    (gettext_lazy("The processor told Leafspring at"), lambda b: _moment(b.processor_told_at)),
    (gettext_lazy("What happened"), lambda b: b.description),
    (gettext_lazy("Kind of breach"), lambda b: "; ".join(b.kinds)),
    (
        gettext_lazy("Categories of data subjects"),
        lambda b: _names(b.subject_categories.all(), "name"),
    ),
    (gettext_lazy("Approximate number of data subjects"), lambda b: _number(b.subjects_approx)),
    (
        gettext_lazy("Categories of personal data"),
        lambda b: _names(b.data_categories.all(), "name"),
    ),
    (gettext_lazy("Approximate number of records"), lambda b: _number(b.records_approx)),
    (gettext_lazy("Processing activities"), lambda b: _names(b.activities.all(), "name")),
    (gettext_lazy("Recipients involved"), lambda b: _names(b.recipients.all())),
    (gettext_lazy("Contact point for more information"), lambda b: b.contact_point),
    (gettext_lazy("Likely consequences"), lambda b: b.likely_consequences),
    (gettext_lazy("Measures taken"), lambda b: b.measures_taken),
    (gettext_lazy("Measures proposed"), lambda b: b.measures_proposed),
    (
        gettext_lazy("Risk to people"),
        lambda b: b.get_risk_display() if b.risk else _("not assessed yet"),
    ),
    (gettext_lazy("Reasoning of the risk assessment"), lambda b: b.risk_reasoning),
    (gettext_lazy("Notifications to the Autoriteit Persoonsgegevens"), _notifications),
    (gettext_lazy("Notified after the 72 hours"), _late),
    (gettext_lazy("Why the authority was not notified"), lambda b: b.not_notified_reason),
    (gettext_lazy("People affected linked"), lambda b: _count(b.linked)),
    (gettext_lazy("Of whom told by e-mail"), lambda b: _count(b.told_email)),
    (gettext_lazy("Of whom told another way"), lambda b: _count(b.told_other)),
    (gettext_lazy("Of whom erased since (unlinked)"), lambda b: _count(b.unlinked_by_erasure)),
    (gettext_lazy("People affected told at"), lambda b: _moment(b.subjects_notified_at)),
    (gettext_lazy("How the people affected were told"), lambda b: b.subjects_notice_how),
    (
        gettext_lazy("Exception to telling the people affected"),
        lambda b: b.get_notice_exception_display() if b.notice_exception else "",
    ),
    (gettext_lazy("Reasons for the exception"), lambda b: b.notice_exception_reasons),
    (gettext_lazy("Closed at"), lambda b: _moment(b.closed_at)),
]


def breach_columns() -> list[str]:
    """The column names, in the active language."""
    return [str(label) for label, _get in COLUMNS]


def breach_rows(breach: Breach) -> list[tuple[str, str]]:
    """Every documented fact of ``breach`` in the active language. Expects what
    ``processing.breaches.selectors.breach_export_list`` loads (relations and counts)."""
    return list(zip(breach_columns(), (get(breach) for _label, get in COLUMNS), strict=True))
