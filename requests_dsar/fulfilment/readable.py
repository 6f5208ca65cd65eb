"""Data as a person reads it: every value of a row formatted in the reader's language
(dates, yes/no, numbers, choices by their label, related rows by a name, consents by
their wording, structured results as nested lists), empty fields left out, and kinds of
data named in words rather than model labels.

The access report, the erasure and other answers, and the portability CSV files all use
these, so what a person reads is formatted in one place."""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import functools
import html
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone, translation
from django.utils.dates import MONTHS
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from subjects.registry import LEGAL_HOLD_GROUND, RegistryEntry

# Kinds of data whose model name is a word of the trade ("data subjects", "audit trail"):
# what the person reads instead. Every other kind is named by its model's plural name.
KIND_NAMES = {
    "subjects.DataSubject": gettext_lazy("your personal details"),
    "subjects.SubjectRole": gettext_lazy("your roles with us, such as client or trainee"),
    "subjects.AuditEvent": gettext_lazy("entries in our log of changes to personal data"),
    "subjects.Trajectory": gettext_lazy("trajectories you coach or coached"),
    "subjects.TrajectoryParticipant": gettext_lazy(
        "places in a trajectory, as participant or mentor"
    ),
    "subjects.SuppressedAddress": gettext_lazy(
        "your e-mail address on our do-not-mail list (only as a keyed fingerprint)"
    ),
    "requests_dsar.DsarRequest": gettext_lazy("your requests about your personal data"),
}

# Fields a person is not shown: secrets that only make links work (by their name), the
# restriction columns, which are shown as one sentence instead (``restriction_text``),
# and the version of the key behind a keyed hash, which means nothing to them (data.json
# holds them all).
RESTRICTION_FIELDS = ("restricted_at", "restriction_ground")
HIDDEN_FIELDS = {"subjects.SuppressedAddress": ("key_version",)}
_ISO_DATETIME = re.compile(r"^\d{4}-\d\d-\d\d[T ]\d\d:\d\d")
_ISO_DATE = re.compile(r"^\d{4}-\d\d-\d\d$")
_HOLD_UNTIL = re.compile(r"until (\d{4}-\d\d-\d\d)")
_LETTER_DIGIT = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")


def kind_name(label: str) -> str:
    """A kind of data (a model label such as ``subjects.Invoice``) in the reader's words,
    lower case for use in a sentence: "invoices", "your personal details"."""
    if label in KIND_NAMES:
        return str(KIND_NAMES[label])
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return _("other records")
    return str(model._meta.verbose_name_plural)


@dataclasses.dataclass(frozen=True)
class Shown:
    """A value as a person reads it: a text, a list of values, or labelled values (a
    structured result), nested as deep as the data is."""

    text: str = ""
    items: tuple[Shown, ...] = ()
    pairs: tuple[tuple[str, Shown], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.text or self.items or self.pairs)

    def __str__(self) -> str:
        """The value on one line (for plain text and spreadsheet cells)."""
        if self.pairs:
            return "; ".join(f"{label}: {value}" for label, value in self.pairs)
        if self.items:
            return ", ".join(str(item) for item in self.items)
        return self.text


_MONTH_NAMES: dict[str, tuple[str, ...]] = {}


def _month_names() -> tuple[str, ...]:
    """The months in the active language ("januari" ...), index 1-12: looked up once per
    language, not per date (an answer formats thousands of dates)."""
    language = translation.get_language() or ""
    names = _MONTH_NAMES.get(language)
    if names is None:
        names = _MONTH_NAMES[language] = ("",) + tuple(str(MONTHS[m]) for m in range(1, 13))
    return names


def date_text(
    value: datetime.date | datetime.datetime, months: tuple[str, ...] | None = None
) -> str:
    """A date (and time) as the reader writes it: "31 januari 2026, 09:54" (Django's
    ``j F Y, H:i``). ``months``: the month names of the active language, where the
    caller has them (``_month_names``)."""
    months = months or _month_names()
    if isinstance(value, datetime.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return (
            f"{local.day} {months[local.month]} {local.year:04d}, "
            f"{local.hour:02d}:{local.minute:02d}"
        )
    return f"{value.day} {months[value.month]} {value.year:04d}"


def scalar_text(value: Any) -> str:
    """One plain value in the reader's language: yes/no, dates, numbers with the local
    decimal sign; a text that holds an ISO date (from a tool's results) as a date."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, datetime.date):
        return date_text(value)
    if isinstance(value, int | float | decimal.Decimal):
        return str(formats.localize(value, use_l10n=True))
    text = str(value).strip()
    if _ISO_DATETIME.match(text) or _ISO_DATE.match(text):
        try:
            parsed = (
                datetime.datetime.fromisoformat(text)
                if _ISO_DATETIME.match(text)
                else datetime.date.fromisoformat(text)
            )
        except ValueError:
            return text
        return date_text(parsed)
    return text


def key_text(key: object) -> str:
    """A key of structured data as a label: "top5" -> "Top 5", "work_style" -> "Work
    style"."""
    text = re.sub(r"[_\-]+", " ", str(key)).strip()
    return capfirst(_LETTER_DIGIT.sub(" ", text)) or str(key)


def structured_shown(value: Any) -> Shown:
    """Structured data (a tool's results, questionnaire answers) as nested lists: a
    mapping as labelled values, a list as items, empty parts left out."""
    if isinstance(value, dict):
        pairs = tuple(
            (key_text(key), shown)
            for key, item in value.items()
            if (shown := structured_shown(item))
        )
        return Shown(pairs=pairs)
    if isinstance(value, list | tuple):
        return Shown(items=tuple(shown for item in value if (shown := structured_shown(item))))
    return Shown(text=scalar_text(value))


def related_text(obj: models.Model, *, language: str | None = None) -> str:
    """A related row by the name a person knows it by: a consent wording by its text (in
    ``language``, the language it was shown in, where known), a register entry by its
    name, a person by their name, anything else as it names itself."""
    if hasattr(obj, "text_nl") and hasattr(obj, "tr"):
        return "“" + obj.tr("text", language) + "”"
    if hasattr(obj, "name_nl") and hasattr(obj, "tr"):
        return str(obj.tr("name"))
    full_name = getattr(obj, "full_name", None)
    if isinstance(full_name, str):
        return full_name
    return str(obj)


def _is_user(field: models.Field) -> bool:
    """A link to a staff account: who recorded something is not data about the person."""
    return field.is_relation and field.related_model is apps.get_model(settings.AUTH_USER_MODEL)


def _secret(field: models.Field) -> bool:
    return field.name.endswith(("_token", "token_hash"))


def related_paths(model: type[models.Model], depth: int = 2) -> list[str]:
    """The foreign keys (two steps deep) a readable row needs, for ``select_related``:
    a related row's name may need its own relations (a participation is named by its
    participant and trajectory). Staff accounts are never needed."""
    paths: list[str] = []
    for field in model._meta.concrete_fields:
        if not field.is_relation or _is_user(field) or _secret(field):
            continue
        paths.append(field.name)
        if depth > 1:
            paths += [f"{field.name}__{path}" for path in related_paths(field.related_model, 1)]
    return paths


def restriction_text(row: models.Model) -> str:
    """The restriction of a row in a sentence ("" when it is not restricted): kept only
    because the law requires it (with until when, where known), or restricted under
    Art. 18."""
    restricted_at = getattr(row, "restricted_at", None)
    if restricted_at is None:
        return ""
    ground = getattr(row, "restriction_ground", "") or ""
    if ground.startswith(LEGAL_HOLD_GROUND):
        until = _HOLD_UNTIL.search(ground)
        if until:
            return _(
                "Kept only because the law requires it, until %(date)s. We store it, but no "
                "longer use it."
            ) % {"date": date_text(datetime.date.fromisoformat(until.group(1)))}
        return _("Kept only because the law requires it. We store it, but no longer use it.")
    return _("Restricted since %(date)s (Art. 18 GDPR): we store it, but do not use it.") % {
        "date": date_text(restricted_at)
    }


def field_shown(row: models.Model, field: models.Field) -> Shown:
    """One field of a row as the reader reads it (empty when there is nothing)."""
    if field.is_relation:
        related = getattr(row, field.name)
        if related is None:
            return Shown()
        # A wording is quoted as it was shown: in the language the row records.
        return Shown(text=related_text(related, language=getattr(row, "language", None)))
    value = getattr(row, field.attname)
    if value is None or value == "":
        return Shown()
    if field.choices:
        return Shown(text=str(getattr(row, f"get_{field.name}_display")()))
    # A code stored by the system with its own wording (where a consent was given).
    display = getattr(type(row), f"{field.name}_display", None)
    if isinstance(display, property):
        return Shown(text=str(getattr(row, f"{field.name}_display")))
    if isinstance(field, models.JSONField):
        return structured_shown(value)
    return Shown(text=scalar_text(value))


def shown_fields(
    row: models.Model,
    *,
    entry: RegistryEntry | None = None,
    own_ids: Iterable[int] = (),
    only: Iterable[str] | None = None,
) -> Iterator[models.Field]:
    """The fields of a row a person is shown (or the ones ``only`` names), in the
    model's order: not the row's number, link secrets, staff accounts, the restriction
    columns (a sentence instead) or the link back to the person themselves."""
    own = set(own_ids)
    own_path = entry.subject_paths[0] if entry and entry.subject_paths else None
    wanted = set(only) if only is not None else None
    hidden = HIDDEN_FIELDS.get(row._meta.label, ())
    for field in row._meta.concrete_fields:
        if (
            (wanted is not None and field.name not in wanted)
            or field.primary_key
            or _secret(field)
            or _is_user(field)
            or field.name in RESTRICTION_FIELDS
            or field.name in hidden
        ):
            continue
        if field.name == own_path and getattr(row, field.attname) in own:
            continue
        yield field


def row_shown(
    row: models.Model,
    *,
    entry: RegistryEntry | None = None,
    own_ids: Iterable[int] = (),
    only: Iterable[str] | None = None,
) -> list[tuple[str, Shown]]:
    """A row as (label, value) pairs a person reads: every field with a value (of
    ``shown_fields``), labelled in the reader's language, empty fields left out; a
    restriction as one sentence at the end."""
    renderer = ROW_RENDERERS.get(row._meta.label)
    if renderer is not None:
        return renderer(row)
    pairs: list[tuple[str, Shown]] = []
    for field in shown_fields(row, entry=entry, own_ids=own_ids, only=only):
        shown = field_shown(row, field)
        if shown:
            pairs.append((capfirst(str(field.verbose_name)), shown))
    if restriction := restriction_text(row):
        pairs.append((_("Restriction"), Shown(text=restriction)))
    return pairs


_Formatter = Callable[[models.Model], Shown]


def _field_formatter(model: type[models.Model], field: models.Field) -> _Formatter:
    """How one field of ``model`` is read (as ``field_shown``), decided once per model:
    the choices' labels and the words for yes and no are looked up once, not per row."""
    if field.is_relation or isinstance(field, models.JSONField):
        return lambda row: field_shown(row, field)
    attname = field.attname
    if field.choices:
        try:
            labels = {value: str(label) for value, label in field.flatchoices}
        except TypeError:  # unhashable choices: as Django shows them
            return lambda row: field_shown(row, field)

        def chosen(row: models.Model) -> Shown:
            value = getattr(row, attname)
            if value is None or value == "":
                return Shown()
            try:
                return Shown(text=str(labels.get(value, value)))
            except TypeError:
                return field_shown(row, field)

        return chosen
    if isinstance(getattr(model, f"{field.name}_display", None), property):
        return lambda row: field_shown(row, field)
    if isinstance(field, models.DateField):  # and DateTimeField
        months = _month_names()

        def dated(row: models.Model) -> Shown:
            value = getattr(row, attname)
            return Shown() if value is None else Shown(text=date_text(value, months))

        return dated
    if isinstance(field, models.BooleanField):
        yes, no = Shown(text=str(_("yes"))), Shown(text=str(_("no")))
        return lambda row: Shown() if (v := getattr(row, attname)) is None else (yes if v else no)

    if isinstance(field, models.CharField | models.TextField):

        def text(row: models.Model) -> Shown:
            value = getattr(row, attname)
            if value is None or value == "":
                return Shown()
            stripped = str(value).strip()
            if _ISO_DATETIME.match(stripped) or _ISO_DATE.match(stripped):
                return Shown(text=scalar_text(stripped))
            return Shown(text=stripped)

        return text

    def scalar(row: models.Model) -> Shown:
        value = getattr(row, attname)
        if value is None or value == "":
            return Shown()
        return Shown(text=scalar_text(value))

    return scalar


def _trail_render(rows: Sequence[models.Model]) -> None:
    """Audit entries' sentences ("what happened") rendered once per distinct entry,
    with one renderer for all (``subjects.trail``), not one per row."""
    from subjects.trail import TrailRenderer

    renderer = None
    sentences: dict[tuple[str, str], str] = {}
    for row in rows:
        if row._meta.label != "subjects.AuditEvent" or hasattr(row, "rendered"):
            continue
        renderer = renderer or TrailRenderer()
        key = (row.action, json.dumps(row.params, sort_keys=True, default=str))
        if key not in sentences:
            sentences[key] = renderer.text(row.action, row.params)
        row.rendered = sentences[key]


def rows_shown(
    rows: Sequence[models.Model],
    *,
    entry: RegistryEntry | None = None,
    own_ids: Iterable[int] = (),
    only: Iterable[str] | None = None,
) -> list[list[tuple[str, Shown]]]:
    """``row_shown`` of every row, the same pairs, with the work per kind of row done
    once: which fields are shown, their labels in the reader's language and how each is
    formatted (thousands of rows of one person cost formatting, not lookups)."""
    own = set(own_ids)
    only = tuple(only) if only is not None else None
    plans: dict[type[models.Model], list[tuple[str, _Formatter, str | None]]] = {}
    shown_rows = []
    _trail_render(rows)
    for row in rows:
        renderer = ROW_RENDERERS.get(row._meta.label)
        if renderer is not None:
            shown_rows.append(renderer(row))
            continue
        plan = plans.get(type(row))
        if plan is None:
            own_path = entry.subject_paths[0] if entry and entry.subject_paths else None
            plan = plans[type(row)] = [
                (
                    capfirst(str(field.verbose_name)),
                    _field_formatter(type(row), field),
                    field.attname if field.name == own_path else None,
                )
                # Every field but the link to the person themselves (decided per row).
                for field in shown_fields(row, entry=None, only=only)
            ]
        pairs: list[tuple[str, Shown]] = []
        for label, formatter, own_attname in plan:
            if own_attname is not None and getattr(row, own_attname) in own:
                continue
            shown = formatter(row)
            if shown:
                pairs.append((label, shown))
        if getattr(row, "restricted_at", None) is not None:
            pairs.append((_("Restriction"), Shown(text=restriction_text(row))))
        shown_rows.append(pairs)
    return shown_rows


def shown_html(shown: Shown) -> str:
    """A value as HTML (escaped), exactly as ``requests_dsar/_shown.html`` writes it
    (with the template's closing line break): labelled values and lists as nested lists,
    a text with its line breaks."""
    if shown.pairs:
        inner = "".join(
            f"<li>{html.escape(str(label))}: {shown_html(value)}</li>"
            for label, value in shown.pairs
        )
        return f"<ul>{inner}</ul>\n"
    if shown.items:
        inner = "".join(f"<li>{shown_html(item)}</li>" for item in shown.items)
        return f"<ul>{inner}</ul>\n"
    text = str(shown.text).replace("\r\n", "\n").replace("\r", "\n")  # normalize_newlines
    return html.escape(text).replace("\n", "<br>") + "\n"


@functools.lru_cache(maxsize=1024)
def _label_html(label: str) -> str:
    """A label escaped once (a person's rows repeat the same few labels)."""
    return html.escape(label)


def record_html(pairs: Iterable[tuple[str, Shown]]) -> str:
    """One record as a definition list (escaped HTML), label by value."""
    return (
        '<dl class="record">'
        + "".join(
            f"<dt>{_label_html(str(label))}</dt><dd>{shown_html(value)}</dd>"
            for label, value in pairs
        )
        + "</dl>"
    )


# What an audit event was about, by the first part of its action code.
AUDIT_TOPICS = {
    "admin": gettext_lazy("a change by a staff member in the administration"),
    "brochure": gettext_lazy("the follow-up of your brochure request"),
    "consent": gettext_lazy("a consent of yours"),
    "newsletter": gettext_lazy("your newsletter subscription"),
    "retention": gettext_lazy("a check whether we still need your data"),
    "study-trip-referral": gettext_lazy("passing your details on for a study trip"),
    "subject": gettext_lazy("your personal details"),
    "trainee-profile": gettext_lazy("your trainee profile"),
}
_TARGET = re.compile(r"^([a-z_]+\.[A-Za-z]+) #\d+$")


_AUDIT_WORDS: dict[str, dict[str, Any]] = {}


def _audit_words() -> dict[str, Any]:
    """The fixed words of an audit entry in the active language, looked up once per
    language (a person's trail can hold thousands of entries)."""
    language = translation.get_language() or ""
    words = _AUDIT_WORDS.get(language)
    if words is None:
        at_field = apps.get_model("subjects", "AuditEvent")._meta.get_field("at")
        words = _AUDIT_WORDS[language] = {
            "at": capfirst(str(at_field.verbose_name)),
            "by": _("By"),
            "system": Shown(text=_("the system (automatically)")),
            "staff": Shown(text=_("a staff member of ours")),
            "about": _("About"),
            "topics": {
                key: Shown(text=capfirst(str(topic))) for key, topic in AUDIT_TOPICS.items()
            },
            "other topic": Shown(text=capfirst(str(gettext_lazy("your data")))),
            "what": _("What happened"),
            "kind": _("Kind of data"),
            "kinds": {},
            "fields": _("Fields changed"),
            "months": _month_names(),
        }
    return words


def audit_event_shown(event: models.Model) -> list[tuple[str, Shown]]:
    """An entry of the audit trail as the person reads it: when, by whom (the system or
    a staff member, never an account name), what it was about and which fields changed
    (by their labels); the internal note and codes are not shown."""
    words = _audit_words()
    pairs = [
        (words["at"], Shown(text=date_text(event.at, words["months"]))),
        (
            words["by"],
            words["system"]
            if event.actor_id is None and event.actor_label in {"", "system"}
            else words["staff"],
        ),
        (words["about"], words["topics"].get(event.action.split(".", 1)[0], words["other topic"])),
    ]
    what = getattr(event, "what", "")
    if what:
        pairs.append((words["what"], Shown(text=capfirst(str(what)))))
    target = _TARGET.match(event.target or "")
    if target:
        kinds = words["kinds"]
        label = target.group(1)
        if label not in kinds:
            kinds[label] = Shown(text=capfirst(kind_name(label)))
        pairs.append((words["kind"], kinds[label]))
    if event.changed_fields:
        labels = field_labels_for_people(target.group(1) if target else "", event.changed_fields)
        pairs.append((words["fields"], Shown(items=tuple(Shown(text=t) for t in labels))))
    return pairs


def field_labels_for_people(label: str, names: Iterable[str]) -> list[str]:
    """Field names of a model (by label) as their labels in the reader's language; a
    name the model does not know is humanised."""
    try:
        meta = apps.get_model(label)._meta
    except (LookupError, ValueError):
        meta = None
    labels = []
    for name in names:
        try:
            labels.append(str(meta.get_field(name).verbose_name) if meta else key_text(name))
        except FieldDoesNotExist:
            labels.append(key_text(name))
    return labels


# Kinds of data whose rows are not read field by field (their fields hold codes).
ROW_RENDERERS = {"subjects.AuditEvent": audit_event_shown}
