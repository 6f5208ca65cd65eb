"""What the trails say happened, in the reader's language.

Both trails (the audit trail, ``AuditEvent``, and a request's trail, ``RequestEvent``)
store what happened as an action code with its parameters (``params``: numbers, dates,
references and codes, never sentences), and what a staff member typed with it (a
reason, a justification, how the person was told) as they typed it, in ``note``. This
module is the one registry of what each code says: ``TRAIL_MESSAGES`` maps a code to a
``TrailMessage``, rendered when a page, the admin or an answer shows the entry, in the
language active then. Counts go through ngettext, dates through Django's formats, and
codes in the parameters (purposes, methods, request types, processing activities,
kinds of data) become their labels.

The audit trail's codes are registered in ``subjects.trail.audit``, the request
trail's in ``requests_dsar.trail`` (both loaded when their app is ready); the notes
stored before codes existed are converted by ``subjects.trail.legacy``.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

Params = Mapping[str, Any]


@dataclasses.dataclass(frozen=True)
class TrailMessage:
    """What one action code says: a short ``label`` (without parameters, for filters and
    when the parameters do not fit any form), and ``forms``: (the parameters a form needs,
    its text), tried in order; the first whose parameters are all present is used. A text
    is a lazy string with ``%(name)s`` placeholders (an ngettext_lazy for a count), or a
    function of the renderer and the formatted parameters. ``choices`` give the labels of
    parameters that hold a code only this message uses."""

    label: Any
    forms: tuple[tuple[tuple[str, ...], Any], ...] = ()
    choices: Mapping[str, Mapping[str, Any]] = dataclasses.field(default_factory=dict)


TRAIL_MESSAGES: dict[str, TrailMessage] = {}


def trail_messages_register(messages: Mapping[str, TrailMessage]) -> None:
    for code, message in messages.items():
        if code in TRAIL_MESSAGES:
            raise ValueError(f"Trail code {code} is registered twice.")
        TRAIL_MESSAGES[code] = message


def message(label: Any, *forms: tuple[tuple[str, ...], Any], **choices: Any) -> TrailMessage:
    return TrailMessage(label=label, forms=tuple(forms), choices=choices)


def _present(value: Any) -> bool:
    return value is not None and value is not False and value != "" and value != [] and value != {}


# Parameter names with a meaning of their own, the same in every message ----------------


def _date(value: Any) -> str:
    try:
        day = datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)
    return formats.date_format(day, "j F Y")


def _purpose(value: Any) -> str:
    from processing.models import ConsentPurpose

    return str(dict(ConsentPurpose.choices)[value])


def _consent_method(value: Any) -> str:
    from processing.models import ConsentMethod

    return str(dict(ConsentMethod.choices)[value])


def _via(value: Any) -> str:
    from processing.models import via_display

    return via_display(str(value))


def _language(value: Any) -> str:
    from django.conf import settings

    return str(dict(settings.LANGUAGES).get(value, value))


def model_name(label: str, *, plural: bool = True) -> str:
    """A model label (``subjects.CoachingNote``) as people call such records, in the
    active language; "other records" for a model that no longer exists."""
    from django.apps import apps

    try:
        meta = apps.get_model(label)._meta
    except (LookupError, ValueError):
        return str(_("other records") if plural else _("another record"))
    return str(meta.verbose_name_plural if plural else meta.verbose_name)


def field_names(label: str, names: Iterable[str]) -> str:
    """Field names of a model as their labels, in the active language."""
    from django.apps import apps
    from django.core.exceptions import FieldDoesNotExist

    shown = []
    for name in names:
        try:
            shown.append(str(apps.get_model(label)._meta.get_field(name).verbose_name))
        except (LookupError, ValueError, FieldDoesNotExist):
            shown.append(str(_("another field")))
    return ", ".join(shown)


FORMATTERS: dict[str, Callable[[Any], str]] = {
    "purpose": _purpose,
    "consent_method": _consent_method,
    "via": _via,
    "language": _language,
}


# Lines of what an erasure, a withdrawal or an upheld objection did ----------------------

LINE_TEXTS = {
    "stop": ngettext_lazy("%(name)s: %(count)s stopped", "%(name)s: %(count)s stopped", "count"),
    "fields": ngettext_lazy(
        "%(name)s: %(fields)s removed from %(count)s record",
        "%(name)s: %(fields)s removed from %(count)s records",
        "count",
    ),
    "anonymise": ngettext_lazy(
        "%(name)s: %(count)s record made anonymous",
        "%(name)s: %(count)s records made anonymous",
        "count",
    ),
    # Earlier requests stay as proof; only what the person wrote in them goes.
    "blanked": ngettext_lazy(
        "%(name)s: %(count)s kept as proof, %(fields)s removed",
        "%(name)s: %(count)s kept as proof, %(fields)s removed",
        "count",
    ),
}
LINE_ERASED = ngettext_lazy(
    "%(name)s: %(count)s record erased", "%(name)s: %(count)s records erased", "count"
)
LINE_UNLINKED = ngettext_lazy(
    "%(name)s: the person removed from %(count)s record",
    "%(name)s: the person removed from %(count)s records",
    "count",
)
LINE_KEPT = ngettext_lazy(
    "%(name)s: %(count)s record kept and restricted (legal hold)",
    "%(name)s: %(count)s records kept and restricted (legal hold)",
    "count",
)


def lines_text(lines: Iterable[Mapping[str, Any]]) -> str:
    """Lines in the erasure record's shape (model, action, erased, unlinked, kept,
    fields) as one sentence: per kind of data what was erased, stopped or kept."""
    parts = []
    for line in lines:
        label = str(line.get("model", ""))
        name = model_name(label)
        erased, unlinked, kept = (int(line.get(k) or 0) for k in ("erased", "unlinked", "kept"))
        if erased:
            text = LINE_TEXTS.get(str(line.get("action", "")), LINE_ERASED)
            fields = field_names(label, line.get("fields") or [])
            parts.append(str(text % {"name": name, "count": erased, "fields": fields}))
        if unlinked:
            parts.append(str(LINE_UNLINKED % {"name": name, "count": unlinked}))
        if kept:
            parts.append(str(LINE_KEPT % {"name": name, "count": kept}))
    return "; ".join(parts) or str(_("nothing held"))


def trail_lines(lines: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The erasure record's lines as a trail parameter: kinds of data and counts only."""
    keys = ("model", "action", "erased", "unlinked", "kept", "fields")
    return [{k: line[k] for k in keys if line.get(k)} for line in lines]


# Rendering -----------------------------------------------------------------------------


class TrailRenderer:
    """Renders trail entries in the active language. Keep one for a list of entries:
    the names of processing activities are read once (one query), not per entry."""

    def __init__(self) -> None:
        self._activities: dict[str, Any] | None = None

    def activity_names(self, keys: Iterable[str]) -> str:
        if self._activities is None:
            from processing.models import ProcessingActivity

            self._activities = {a.key: a for a in ProcessingActivity.objects.all()}
        names = []
        for key in keys:
            activity = self._activities.get(key)
            names.append(activity.tr_name if activity else str(_("a processing activity")))
        return ", ".join(names)

    def value(self, name: str, value: Any, message: TrailMessage, params: Params) -> Any:
        if name in message.choices:
            # An unknown code fails the form (KeyError): the label is shown instead.
            return str(message.choices[name][value])
        if isinstance(value, bool | int | float):
            return value
        if name.endswith("_on"):
            return _date(value)
        if name == "activities":
            return self.activity_names(value if isinstance(value, list) else [value])
        if name == "lines":
            return lines_text(value)
        if name == "model":
            return model_name(str(value), plural=False)
        if name == "fields":
            return field_names(str(params.get("model", "")), value)
        if name in FORMATTERS:
            return FORMATTERS[name](value)
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        return str(value)

    def text(self, action: str, params: Params | None) -> str:
        """The entry as a sentence: the first form whose parameters are present, else
        the label. A code no message knows is shown as it is (a test keeps every code
        the application writes registered)."""
        found = TRAIL_MESSAGES.get(action)
        if found is None:
            return action
        params = params or {}
        for needs, text in found.forms:
            if not all(_present(params.get(name)) for name in needs):
                continue
            try:
                shown = {k: self.value(k, v, found, params) for k, v in params.items()}
                return text(shown) if callable(text) else str(text % shown)
            except (KeyError, TypeError, ValueError):
                break
        return str(found.label)


def trail_text(action: str, params: Params | None) -> str:
    """One entry as a sentence in the active language (for a list, use one
    ``TrailRenderer`` or ``trail_prepare``)."""
    return TrailRenderer().text(action, params)


def trail_prepare(events: Iterable[Any]) -> list[Any]:
    """Render a list of trail entries (``AuditEvent`` or ``RequestEvent``) in the active
    language at once, so showing them costs no query per entry; returns the list."""
    renderer = TrailRenderer()
    events = list(events)
    for event in events:
        event.rendered = renderer.text(event.action, event.params)
    return events


TARGET = re.compile(r"^(?P<label>\w+\.\w+)(?: #(?P<pk>\d+))?$")


def target_display(target: str) -> str:
    """An audit event's object (``subjects.ContactMessage #12``) as staff read it
    ("contact message no. 12"); anything else (a name such as "Mailchimp") as it is."""
    match = TARGET.match(target or "")
    if match is None:
        return target
    pk = match.group("pk")
    if pk is None:
        return model_name(match.group("label"))
    return str(_("%(model)s no. %(number)s")) % {
        "model": model_name(match.group("label"), plural=False),
        "number": pk,
    }


def changed_fields_display(target: str, names: Iterable[str]) -> str:
    """The changed fields of an audit event by their labels (the target's model)."""
    match = TARGET.match(target or "")
    if match is None:
        return ", ".join(names)
    return field_names(match.group("label"), names)
