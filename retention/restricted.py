"""Art. 18 beats retention where the restriction keeps data for the person (DESIGN.md
§1.3a): the review queue of the rows a retention rule would have deleted or anonymised
but an Art. 18 restriction keeps (18(1)(b), (c), or a point not recorded), the older
restrictions whose point staff must still record, and the restrictions that keep a
person's data, which an erasure waits for. Reads only: the rows stay as they are, and the
first run after a restriction is lifted finds them like any other expired row
(``retention.selectors.candidate_rows``).
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from typing import Any

from django.apps import apps
from django.db.models import Count, Q
from django.utils import timezone

from retention.clock import limit_passes_at
from retention.models import RetentionRule
from retention.selectors import expired_rows, kept_for_the_person, restriction_keeping_data
from retention.services import retention_margin
from subjects.models import DataSubject
from subjects.registry import (
    ART18_ARTICLE,
    RegistryEntry,
    RestrictableModel,
    art18_ground_label,
    art18_ground_of,
    art18_keeps_data,
    registry,
)

# Rows of one kind (rule and model) listed at a time in the review queue of restricted rows.
HELD_ROWS_SHOWN = 50
# The request named in an older Art. 18 ground ("Art. 18 AVG (V-ABCD2345) ...").
_REFERENCE = re.compile(r"\(([A-Z]-[A-Z0-9-]+)\)")


@dataclasses.dataclass(frozen=True)
class HeldRow:
    """A row a retention rule would have removed, kept by an Art. 18 restriction."""

    pk: int
    subject_id: int | None
    subject_name: str
    ground: str  # the point of Art. 18(1), "" when not recorded
    restricted_at: datetime.datetime | None
    limit_passed_at: datetime.datetime

    @property
    def ground_label(self) -> str:
        return art18_ground_label(self.ground)


@dataclasses.dataclass(frozen=True)
class HeldRows:
    """The rows of one registry entry that one rule would have acted on: how many, and
    the first ``HELD_ROWS_SHOWN`` of them (oldest clock first)."""

    rule: RetentionRule
    entry: RegistryEntry
    count: int
    rows: list[HeldRow]


def _held_row(entry: RegistryEntry, rule: RetentionRule, values: dict[str, Any]) -> HeldRow:
    path = entry.subject_paths[0] if entry.subject_paths else ""
    own = values.get("restriction_ground", "")
    if values.get("restricted_at") is not None and art18_keeps_data(own):
        ground, since = own, values["restricted_at"]
    else:
        ground = values.get(f"{path}__restriction_ground", "")
        since = values.get(f"{path}__restricted_at")
    first, last = values.get(f"{path}__first_name"), values.get(f"{path}__last_name")
    name = " ".join(part for part in (first, last) if part)
    return HeldRow(
        pk=values["pk"],
        subject_id=values.get(path) if path else None,
        subject_name=name,
        ground=art18_ground_of(ground or ""),
        restricted_at=since,
        limit_passed_at=limit_passes_at(rule, values[entry.clock]),
    )


def _held_values_fields(entry: RegistryEntry) -> list[str]:
    assert entry.clock
    fields = ["pk", entry.clock]
    if issubclass(entry.model, RestrictableModel):
        fields += ["restriction_ground", "restricted_at"]
    if entry.subject_paths:
        path = entry.subject_paths[0]
        fields += [path] + [
            f"{path}__{name}"
            for name in ("first_name", "last_name", "restriction_ground", "restricted_at")
        ]
    return fields


def held_rows(
    rule: RetentionRule,
    entry: RegistryEntry,
    *,
    horizon: datetime.datetime,
    subject_ids: list[int] | None = None,
    shown: int = HELD_ROWS_SHOWN,
) -> HeldRows:
    """The entry's rows whose limit under ``rule`` passes before ``horizon`` but that an
    Art. 18 restriction keeps for the person (of ``subject_ids`` only, when given): at
    most three queries, however many rows there are."""
    sure, band = expired_rows(rule, entry, horizon=horizon, held=True)
    if subject_ids is not None:
        mine = entry.subject_filter(subject_ids) if entry.subject_paths else Q(pk__in=[])
        sure = sure.filter(mine)
        band = band.filter(mine) if band is not None else None
    fields = _held_values_fields(entry)
    values = list(sure.order_by(entry.clock, "pk").values(*fields)[:shown])
    count = len(values) if len(values) < shown else sure.count()
    if band is not None:
        extra = [
            v
            for v in band.order_by(entry.clock, "pk").values(*fields)
            if limit_passes_at(rule, v[entry.clock]) <= horizon
        ]
        count += len(extra)
        values += extra[: max(shown - len(values), 0)]
    return HeldRows(
        rule=rule, entry=entry, count=count, rows=[_held_row(entry, rule, v) for v in values]
    )


def restricted_rows_held(
    *, now: datetime.datetime | None = None, subject_ids: list[int] | None = None
) -> list[HeldRows]:
    """The review queue of restricted rows: for every active rule that deletes or
    anonymises, per registry entry, the rows the rule would act on at its next run (the
    horizon a run looks ahead to) but an Art. 18 restriction keeps for the person
    (18(1)(b), (c), or a point not recorded). They go at the first run after the
    restriction is lifted. Only kinds with such rows; a fixed number of queries."""
    now = now or timezone.now()
    rules = RetentionRule.objects.filter(
        is_active=True,
        action__in=[RetentionRule.Action.DELETE, RetentionRule.Action.ANONYMISE],
    ).order_by("key")
    queue = []
    for rule in rules:
        horizon = now + retention_margin(rule)
        for entry in registry.for_rule(rule.key):
            if entry.clock and kept_for_the_person(entry) is not None:
                held = held_rows(rule, entry, horizon=horizon, subject_ids=subject_ids)
                if held.count:
                    queue.append(held)
    return queue


def art18_restrictions_without_a_ground() -> list[dict[str, Any]]:
    """Art. 18 restrictions whose point of Art. 18(1) is not recorded (made before it
    was): their rows are kept past every retention limit until staff record it. One
    entry per request named in the ground (``request`` None when none is named or it is
    gone), with the number of rows it holds; one query per registry entry and one for
    the requests."""
    unknown = restriction_keeping_data() & ~Q(restriction_ground__startswith=f"{ART18_ARTICLE}(1)(")
    rows: dict[str, int] = {}
    for entry in registry.subject_entries():
        if not issubclass(entry.model, RestrictableModel):
            continue
        counted = (
            entry.model._default_manager.filter(unknown)
            .values("restriction_ground")
            .annotate(rows=Count("pk"))
            .order_by()
        )
        for item in counted:
            reference = _reference_in(item["restriction_ground"])
            rows[reference] = rows.get(reference, 0) + item["rows"]
    requests = _requests_by_reference(set(rows))
    return [
        {"reference": ref, "request": requests.get(ref), "rows": count}
        for ref, count in sorted(rows.items())
    ]


def art18_restrictions_keeping_data_of(
    subject_ids: list[int], *, activities: set[str] | None = None
) -> list[dict[str, Any]]:
    """The Art. 18 restrictions that keep data of these data subjects for them (18(1)(b),
    (c), or a point not recorded), on the people themselves or on their rows (of the
    registry entries of ``activities`` only, when given): one entry per request and point,
    with ``request`` None when no request is named or it is gone. An erasure waits until
    they are lifted: the person asked us to keep those data. One query per registry
    entry, and one for the requests."""
    grounds: set[str] = set()
    for entry in registry.subject_entries():
        if not issubclass(entry.model, RestrictableModel):
            continue
        in_scope = activities is None or entry.model is DataSubject or entry.activity in activities
        if not in_scope:
            continue
        grounds.update(
            entry.rows_for(subject_ids)
            .filter(restriction_keeping_data())
            .order_by()
            .values_list("restriction_ground", flat=True)
            .distinct()
        )
    found = {(_reference_in(ground), art18_ground_of(ground)) for ground in grounds}
    requests = _requests_by_reference({reference for reference, _ in found})
    return [
        {
            "reference": reference,
            "request": requests.get(reference),
            "ground": ground,
            "label": art18_ground_label(ground),
        }
        for reference, ground in sorted(found)
    ]


def _reference_in(restriction_ground: str) -> str:
    match = _REFERENCE.search(restriction_ground)
    return match.group(1) if match else ""


def _requests_by_reference(references: set[str]) -> dict[str, Any]:
    references.discard("")
    if not references:
        return {}
    request_model = apps.get_model("requests_dsar", "DsarRequest")
    return {r.reference: r for r in request_model._default_manager.filter(reference__in=references)}
