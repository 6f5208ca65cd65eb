"""The person's page for staff (the "360"): everything held about one data subject,
found through the registry and grouped by processing activity, with for each activity
why (purpose, legal basis) and with whom it is shared, and for each record when it will
be deleted or anonymised under its retention rule, or why it has no date yet.

The cost is fixed whatever the number of records: one query counts the rows of every
registry entry and of the page's other lists, then one page of rows per entry that has
any (read from an index on (person, key) where there is one), and a handful of queries
for the register, the rules and the consents, roles, requests, holds and audit trail
there are (queries grow with registered models, not rows)."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Mapping
from html import escape
from typing import Any

from django.db import connection, models
from django.db.models import (
    BigIntegerField,
    Count,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Value,
)
from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from leafspring.built_sql import built_sql
from processing.models import (
    SPECIAL_CATEGORY_PURPOSES,
    Consent,
    DataCategory,
    ProcessingActivity,
)
from requests_dsar.fulfilment.access import legal_basis_lines, recipient_lines
from requests_dsar.fulfilment.readable import (
    Shown,
    date_text,
    related_paths,
    restriction_text,
    rows_shown,
)
from requests_dsar.models import DsarRequest
from retention.clock import limit_passes_at
from retention.models import LegalHold, RetentionRule
from subjects.models import AuditEvent, DataSubject, SubjectRole
from subjects.permissions import can_view_special_category
from subjects.registry import (
    ART18_TEMPORARY_GROUNDS,
    RegistryEntry,
    RestrictableModel,
    art18_ground_label,
    art18_ground_of,
    art18_keeps_data,
    registry,
)
from subjects.trail import trail_prepare

PAGE_SIZE = 20


@dataclasses.dataclass(frozen=True)
class Pager:
    """One page of a list: which page, of how many, and how many items in all."""

    number: int
    count: int
    param: str
    anchor: str = ""  # where on the page the list is (a link to another page ends there)

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // PAGE_SIZE))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def start(self) -> int:
        return (self.number - 1) * PAGE_SIZE

    @property
    def html(self) -> str:
        """Links to the previous and the next page, around which page this is of how
        many (escaped HTML; nothing for a list of one page)."""
        if self.num_pages <= 1:
            return ""
        anchor = escape(self.anchor)

        def link(number: int, text: str) -> str:
            return f'<a href="?{escape(self.param)}={number}#{anchor}">{escape(text)}</a>'

        where = _("page %(number)s of %(pages)s") % {
            "number": self.number,
            "pages": self.num_pages,
        }
        return mark_safe(  # noqa: S308 - every value escaped above
            f'<nav aria-label="{escape(_("Pages"))}" class="small mb-3">'
            + (link(self.number - 1, "« " + _("previous")) if self.has_previous else "")
            + f" {escape(where)} "
            + (link(self.number + 1, _("next") + " »") if self.has_next else "")
            + "</nav>"
        )


def _page_number(pages: Mapping[str, str], param: str, count: int) -> int:
    try:
        number = int(pages.get(param, "1"))
    except (TypeError, ValueError):
        number = 1
    return min(max(number, 1), max(1, -(-count // PAGE_SIZE)))


def _paged(
    qs: QuerySet[Any], pages: Mapping[str, str], param: str, *, count: int | None = None
) -> tuple[list[Any], Pager]:
    """A page of ``qs``: a slice, and a count unless ``count`` is known already (none
    for an empty list). The list is at ``#<param without p->`` on the page."""
    if count is None:
        count = qs.count()
    pager = Pager(_page_number(pages, param, count), count, param, param.removeprefix("p-"))
    rows = list(qs[pager.start : pager.start + PAGE_SIZE]) if count else []
    return rows, pager


@dataclasses.dataclass(frozen=True)
class RecordShown:
    """One record as staff read it, with when it ends or why it has no end yet."""

    pairs: list[tuple[str, Shown]]
    ends: str
    reason: str
    restricted: bool

    @property
    def html(self) -> str:
        """The record's values as the rows of a definition list (escaped HTML), written
        here rather than value by value in the template."""
        return mark_safe(  # noqa: S308 - every label and value escaped by _staff_shown_html
            "".join(
                f'<dt class="col-sm-4 fw-semibold">{escape(label)}</dt>'
                f'<dd class="col-sm-8 mb-1">{_staff_shown_html(value)}</dd>'
                for label, value in self.pairs
            )
            or '<dd class="col-12 mb-0">–</dd>'
        )

    @property
    def row_html(self) -> str:
        """The record as a row of its kind's table (escaped HTML): its values, and when
        it ends or why it has no end yet."""
        end = (
            escape(self.ends)
            if self.ends
            else f'<span class="text-body-secondary">{escape(self.reason)}</span>'
        )
        warning = ' class="table-warning"' if self.restricted else ""
        return (
            f'<tr{warning}><td><dl class="row mb-0 small">{self.html}</dl></td>'
            f'<td class="small record-end">{end}</td></tr>'
        )


def _staff_shown_html(value: Shown) -> str:
    """A value as staff read it (escaped HTML): labelled values as a nested definition
    list, a list as a list, a text as typed."""
    if value.pairs:
        inner = "".join(
            f'<dt class="fw-normal fst-italic">{escape(label)}</dt>'
            f'<dd class="mb-1">{_staff_shown_html(item)}</dd>'
            for label, item in value.pairs
        )
        return f'<dl class="mb-0">{inner}</dl>'
    if value.items:
        inner = "".join(f"<li>{_staff_shown_html(item)}</li>" for item in value.items)
        return f'<ul class="mb-0 ps-3">{inner}</ul>'
    return f'<span class="text-typed">{escape(str(value.text))}</span>'


@dataclasses.dataclass(frozen=True)
class KindShown:
    """The person's records of one registry entry: a page of them, with counts."""

    name: str
    label: str
    rule: RetentionRule | None
    records: list[RecordShown]
    pager: Pager
    restricted: int
    special_hidden: bool

    @property
    def rows_html(self) -> str:
        """The page's records as the rows of a table (escaped HTML), written here rather
        than cell by cell in the template (a hundred records on a page of five kinds)."""
        return mark_safe(  # noqa: S308 - every value escaped by RecordShown.row_html
            "\n".join(record.row_html for record in self.records)
        )


def _trail_rows_html(events: list[AuditEvent]) -> str:
    """The audit trail's page as the rows of a table (escaped HTML), written here rather
    than cell by cell in the template: when, by whom, what happened (prepared by
    ``trail_prepare``) and the note."""
    rows = []
    for event in events:
        at = date_filter(timezone.template_localtime(event.at), "j N Y, H:i")
        rows.append(
            f'<tr><td class="text-nowrap">{conditional_escape(at)}</td>'
            f"<td>{conditional_escape(event.actor_display or '–')}</td>"
            f"<td>{conditional_escape(event.rendered)}</td>"
            f'<td class="text-typed">{conditional_escape(event.note or "–")}</td></tr>'
        )
    return mark_safe("\n".join(rows))  # noqa: S308 - every value escaped above


@dataclasses.dataclass
class Keeping:
    """What keeps the person's records past their retention limit, as of today."""

    holds: list[LegalHold]
    consent_until: dict[str, datetime.date]
    subject: DataSubject


def _rule_entry(entry: RegistryEntry) -> RegistryEntry | None:
    """The entry whose rule ends this entry's rows: its own, or (for a model without a
    rule of its own, such as the audit trail) a proxy of the same table with one."""
    if entry.retention_rule:
        return entry
    concrete = entry.model._meta.concrete_model
    for other in registry:
        if other.retention_rule and other.model._meta.concrete_model is concrete:
            return other
    return None


def _clock_value(row: models.Model, clock: str) -> Any:
    value: Any = row
    for name in clock.split("__"):
        value = getattr(value, name, None)
        if value is None:
            return None
    return value


def _ends(
    row: models.Model,
    rule_entry: RegistryEntry | None,
    rule: RetentionRule | None,
    keeping: Keeping,
    now: datetime.datetime,
) -> tuple[str, str]:
    """(when the record ends, why it has no end yet): one of the two is empty. A legal
    hold or a consent to keep it longer only speaks when it keeps the record past the
    date its rule gives (the later of the two counts)."""
    if rule_entry is None or rule is None or not rule_entry.clock:
        return "", _("No retention rule of its own: kept as long as the person is kept.")
    clock = _clock_value(row, rule_entry.clock)
    passes_at = limit_passes_at(rule, clock) if clock is not None else None
    rule_day = (
        timezone.localtime(passes_at, timezone.get_default_timezone()).date()
        if passes_at is not None
        else None
    )
    keeps: list[tuple[datetime.date, str]] = []
    if keeping.holds:  # the longest first
        hold = keeping.holds[0]
        keeps.append(
            (
                hold.held_until,
                _("Kept under the legal hold “%(hold)s” until %(date)s.")
                % {"hold": hold.tr("name"), "date": date_text(hold.held_until)},
            )
        )
    if rule_entry.activity in keeping.consent_until:
        until = keeping.consent_until[rule_entry.activity]
        keeps.append(
            (
                until,
                _("Kept longer with the person's consent, until %(date)s.")
                % {"date": date_text(until)},
            )
        )
    if keeps:
        until, text = max(keeps, key=lambda keep: keep[0])
        if rule_day is None or until >= rule_day:
            return "", text
    for restricted in (keeping.subject, row):
        ground = getattr(restricted, "restriction_ground", "")
        if getattr(restricted, "restricted_at", None) is None:
            continue
        if art18_keeps_data(ground):
            return "", _("Kept by the Art. 18 restriction (%(ground)s) until it is lifted.") % {
                "ground": art18_ground_label(art18_ground_of(ground))
            }
        if (
            rule.action == RetentionRule.Action.ANONYMISE
            and art18_ground_of(ground) not in ART18_TEMPORARY_GROUNDS
        ):
            return "", restriction_text(restricted)
    if clock is None or passes_at is None:
        if rule_entry.clock.endswith("trajectory__ended_on"):
            return "", _("Kept while the trajectory runs; the period starts when it ends.")
        return "", _("Not yet: the period starts at %(clock)s.") % {
            "clock": rule.tr("clock_description")
        }
    if passes_at <= now:
        return _("Due: at the next run of the rule “%(rule)s”.") % {"rule": rule.tr("name")}, ""
    when = date_text(passes_at) if isinstance(clock, datetime.datetime) else date_text(rule_day)
    verbs = {
        RetentionRule.Action.ANONYMISE: _("Anonymised on %(date)s"),
        RetentionRule.Action.REVIEW: _("Reviewed on %(date)s"),
    }
    return verbs.get(rule.action, _("Deleted on %(date)s")) % {"date": when}, ""


def _special_fields(entry: RegistryEntry) -> tuple[str, ...]:
    """Fields of special-category data (encrypted at rest) and those that reveal it."""
    return entry.encrypted_fields + tuple(getattr(entry.model, "SPECIAL_CATEGORY_FLAGS", ()))


# In the order of their keys, by an expression over the key rather than the key itself:
# with ``ORDER BY id LIMIT 20`` PostgreSQL may walk the whole table in key order looking
# for this person's rows (a sliver of a large table, all at its end for a new client);
# so it reads them through the person's index and sorts only theirs, the same work at
# 1,000 people as at 100,000.
_KEY_ORDER = ExpressionWrapper(F("pk") + 0, output_field=BigIntegerField())


def _paged_by_index(entry: RegistryEntry) -> bool:
    """Whether the entry's rows of one person are read in key order straight from an
    index on (person, key), such as the audit trail's or the invoices': a page then costs
    twenty index entries instead of sorting all the person's rows (thousands for a
    long-standing client), and no walk of the table either."""
    if len(entry.subject_paths) != 1 or "__" in entry.subject_paths[0]:
        return False
    path = entry.subject_paths[0]
    if path == "pk":
        return True
    return any(
        list(index.fields) in ([path, "id"], [path, "pk"]) and index.condition is None
        for index in entry.model._meta.indexes
    )


def _page_rows(
    entry: RegistryEntry,
    qs: QuerySet[Any],
    subject: DataSubject,
    rule_entry: RegistryEntry | None,
    pager: Pager,
) -> list[models.Model]:
    """A page of the entry's rows of the person, with the rows they link to that the
    page shows (their names) or that end them (a trajectory that ended), in one query."""
    own = entry.subject_paths[0] if len(entry.subject_paths) == 1 else ""
    if own == "pk" and entry.model is type(subject):
        return [subject]  # the person's own row: read already
    # The link back to the person is not shown (nor followed): not joined, but set to
    # the person already read, for whatever asks for it.
    own_link = own if own and "__" not in own else ""
    related = [
        path
        for path in related_paths(entry.model)
        if not own_link or (path != own_link and not path.startswith(f"{own_link}__"))
    ]
    if rule_entry and rule_entry.clock and "__" in rule_entry.clock:
        related.append(rule_entry.clock.rsplit("__", 1)[0])
    ordered = qs.order_by("pk" if _paged_by_index(entry) else _KEY_ORDER)
    rows = list(ordered.select_related(*related)[pager.start : pager.start + PAGE_SIZE])
    if own_link:
        field = entry.model._meta.get_field(own_link)
        for row in rows:
            field.set_cached_value(row, subject)
    return rows


def _kind(
    entry: RegistryEntry,
    subject: DataSubject,
    *,
    pages: Mapping[str, str],
    rules: dict[str, RetentionRule],
    keeping: Keeping,
    may_see_special: bool,
    now: datetime.datetime,
    totals: dict[str, int],
) -> KindShown | None:
    if not totals["total"]:
        return None
    rule_entry = _rule_entry(entry)
    rule = rules.get(rule_entry.retention_rule or "") if rule_entry else None
    qs = entry.rows_for([subject.pk])
    if entry.model is Consent and not may_see_special:
        # A consent to process health data already tells something about a person's
        # health: not shown (nor counted) to those who may not see such data.
        special = qs.filter(purpose__in=SPECIAL_CATEGORY_PURPOSES)
        totals = {**totals, "total": totals["total"] - special.count()}
        qs = qs.exclude(purpose__in=SPECIAL_CATEGORY_PURPOSES)
        if not totals["total"]:
            return None
    param = f"p-{entry.label}"
    pager = Pager(
        _page_number(pages, param, totals["total"]),
        totals["total"],
        param,
        f"activity-{entry.activity}",
    )
    rows = _page_rows(entry, qs, subject, rule_entry, pager)
    hidden = () if may_see_special else _special_fields(entry)
    # Every field but the hidden ones, formatted with one plan for the page's rows.
    only = (
        [f.name for f in entry.model._meta.concrete_fields if f.name not in hidden]
        if hidden
        else None
    )
    shown = rows_shown(rows, entry=entry, own_ids={subject.pk}, only=only)
    records = []
    for row, pairs in zip(rows, shown, strict=True):
        ends, reason = _ends(row, rule_entry, rule, keeping, now)
        records.append(
            RecordShown(
                pairs=pairs,
                ends=ends,
                reason=reason,
                restricted=getattr(row, "restricted_at", None) is not None,
            )
        )
    return KindShown(
        name=capfirst(str(entry.model._meta.verbose_name_plural)),
        label=entry.label,
        rule=rule,
        records=records,
        pager=pager,
        restricted=totals["restricted"],
        special_hidden=bool(hidden),
    )


def _other_lists(pk: int) -> dict[str, QuerySet[Any]]:
    """The page's lists besides the registry's entries, counted with them: a list found
    empty then costs no query."""
    return {
        "requests": DsarRequest.objects.filter(subjects=pk),
        "holds": LegalHold.objects.filter(subject=pk),
    }


def _totals_query(entries: list[RegistryEntry], pk: int) -> QuerySet[Any]:
    parts = []
    sources = [entry.rows_for([pk]) for entry in entries] + list(_other_lists(pk).values())
    for number, rows in enumerate(sources):
        restricted = (
            Q(restricted_at__isnull=False)
            if issubclass(rows.model, RestrictableModel)
            else Q(pk__isnull=True)
        )
        # A row found by more than one path is counted once (as the list shows it).
        once = bool(rows.query.distinct)
        parts.append(
            rows.order_by()
            .annotate(entry=Value(number))
            .values("entry")
            .annotate(
                total=Count("pk", distinct=once),
                restricted=Count("pk", distinct=once, filter=restricted),
            )
            .values_list("entry", "total", "restricted")
        )
    return parts[0].union(*parts[1:], all=True)


def _totals(
    entries: list[RegistryEntry], subject: DataSubject
) -> tuple[list[dict[str, int]], dict[str, int]]:
    """How many records of the person each entry holds, and how many are restricted,
    and how long each of the page's other lists is: one query for all together (a
    union of counts), not one per entry. Its SQL is built once per process (twenty
    querysets cost more to compile than to run)."""
    names = list(_other_lists(subject.pk))
    sql, filled = built_sql(
        ("person-totals", *(entry.label for entry in entries), *names),
        lambda pk: _totals_query(entries, pk),
        {"pk": subject.pk},
    )
    counts = {number: (0, 0) for number in range(len(entries) + len(names))}
    with connection.cursor() as cursor:
        cursor.execute(sql, filled)
        for number, total, restricted in cursor.fetchall():
            counts[int(number)] = (total, restricted)
    return (
        [{"total": counts[n][0], "restricted": counts[n][1]} for n in range(len(entries))],
        {name: counts[len(entries) + n][0] for n, name in enumerate(names)},
    )


def holds_special_category_data(subject: DataSubject) -> bool:
    """Whether any record of the person holds a special category of data (one query for
    the categories, one per registry entry that holds such a category)."""
    special = set(
        DataCategory.objects.filter(is_special_category=True).values_list("key", flat=True)
    )
    return any(
        entry.rows_for([subject.pk]).exists()
        for entry in registry.subject_entries()
        if special & set(entry.categories)
    )


def person_overview(
    subject: DataSubject, *, user: object, pages: Mapping[str, str]
) -> dict[str, Any]:
    """Everything held about ``subject``, for the person's page: by processing activity
    (purpose, legal basis, recipients with transfers, and each kind of record, a page at
    a time, with when each record ends); consents with their wording and version, roles
    over time, rights requests, restrictions, legal holds and the audit trail.
    Special-category data (and what reveals it) only for ``user`` allowed to see it."""
    now = timezone.now()
    today = timezone.localdate()
    may_see_special = can_view_special_category(user)
    special = set(
        DataCategory.objects.filter(is_special_category=True).values_list("key", flat=True)
    )
    rules = {rule.key: rule for rule in RetentionRule.objects.all()}
    entries = list(registry.subject_entries())
    counted, lengths = _totals(entries, subject)
    holds = (
        list(LegalHold.objects.filter(subject=subject).order_by("-held_until"))
        if lengths["holds"]
        else []
    )
    # The rows of the person each model holds, as the registry counted them: the lists
    # further down that show the same rows (the audit trail, consents, roles) need no
    # count of their own, nor a query when there are none.
    held = {
        entry.model: totals["total"]
        for entry, totals in zip(entries, counted, strict=True)
        if entry.subject_paths == ("subject",)
    }
    consents = (
        list(
            Consent.objects.filter(subject=subject)
            .select_related("text", "activity")
            .order_by("-given_at", "pk")
        )
        if held.get(Consent) != 0
        else []
    )
    keeping = Keeping(
        holds=[h for h in holds if h.held_until and h.held_until >= today],
        consent_until={
            c.activity.key: c.keep_until
            for c in consents
            if c.withdrawn_at is None and c.keep_until and c.keep_until >= today
        },
        subject=subject,
    )
    by_activity: dict[str, list[KindShown]] = {}
    special_held = False
    for entry, totals in zip(entries, counted, strict=True):
        kind = _kind(
            entry,
            subject,
            pages=pages,
            rules=rules,
            keeping=keeping,
            may_see_special=may_see_special,
            now=now,
            totals=totals,
        )
        if kind is None:
            continue
        special_held |= bool(special & set(entry.categories))
        by_activity.setdefault(entry.activity, []).append(kind)
    activities = [
        {
            "key": activity.key,
            "name": activity.tr("name"),
            "purpose": activity.tr("purpose"),
            "legal_basis": legal_basis_lines(activity),
            "recipients": recipient_lines(activity),
            "kinds": by_activity[activity.key],
            "count": sum(k.pager.count for k in by_activity[activity.key]),
        }
        for activity in ProcessingActivity.objects.filter(key__in=list(by_activity))
        .prefetch_related("legal_bases", "recipients")
        .order_by("number")
    ]
    # Every kind held appears, also one whose activity is missing from the register.
    listed = {a["key"] for a in activities}
    activities += [
        {
            "key": key,
            "name": key,
            "purpose": _("Not in the register of processing activities."),
            "legal_basis": [],
            "recipients": [],
            "kinds": kinds,
            "count": sum(k.pager.count for k in kinds),
        }
        for key, kinds in sorted(by_activity.items())
        if key not in listed
    ]
    roles = (
        list(
            SubjectRole.objects.filter(subject=subject)
            .select_related("category", "organisation")
            .order_by("-started_on", "pk")
        )
        if held.get(SubjectRole) != 0
        else []
    )
    requests, requests_pager = _paged(
        DsarRequest.objects.filter(subjects=subject).order_by("-received_at", "-pk"),
        pages,
        "p-requests",
        count=lengths["requests"],
    )
    events, events_pager = _paged(
        AuditEvent.objects.filter(subject=subject).order_by("-at", "-pk"),
        pages,
        "p-audit",
        count=held.get(AuditEvent),
    )
    trail_prepare(events)  # each entry in words, in the reader's language
    events_html = _trail_rows_html(events)
    # Whether someone consented to the processing of their health data already tells
    # something about their health: only for those who may see such data.
    consents_withheld = 0
    if not may_see_special:
        consents_withheld = sum(c.purpose in SPECIAL_CATEGORY_PURPOSES for c in consents)
        consents = [c for c in consents if c.purpose not in SPECIAL_CATEGORY_PURPOSES]
    return {
        "activities": activities,
        "consents": consents,
        "consents_withheld": consents_withheld,
        "roles": roles,
        "today": today,
        "requests": requests,
        "requests_pager": requests_pager,
        "restriction": {
            "ground": art18_ground_label(art18_ground_of(subject.restriction_ground))
            if subject.restricted_at
            else "",
            "rows": sum(k.restricted for kinds in by_activity.values() for k in kinds),
        },
        "holds": holds,
        "events": events,
        "events_html": events_html,
        "events_pager": events_pager,
        "special_held": special_held,
        "may_see_special": may_see_special,
    }
