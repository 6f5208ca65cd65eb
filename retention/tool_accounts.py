"""Rule tools-after-end: CliftonStrengths and E2Grow accounts go after their use ended.

A person may have their account deleted at any time (rule tools-on-demand); without
that, the account served the trajectory it was made for and goes when the rule's period
(3 months) has passed after the person's use of the tools ended:

1. while the person takes part in a running trajectory (no end date, or one after today)
   or has an open business relationship (client, client-organisation contact, ...), it
   has not ended;
2. otherwise it ended on the latest end date of their trajectories (as participant) and
   of their business relationships;
3. with neither (an account of someone who never took part in a trajectory nor had a
   relationship with us), on the day the account was created.

A specific legal hold on the person, or an active consent for the tool's activity that
keeps the data until a date not yet passed (purposes clifton-keep and e2grow-keep: "a
new consent"), keeps the account, like every rule (``retention.selectors.candidate_rows``).

Deleting the account here does not delete it at Gallup or E2Grow, which hold the account
itself: each deleted account gets an Art. 19 task for its recipient, made in the same
transaction as the deletion, so one never happens without the other.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from retention.clock import limit_passes_at
from retention.models import RetentionRule
from retention.selectors import ROLES_ENDED_BY_STAFF, candidate_rows, running_trajectory
from subjects.models import (
    CliftonStrengthsAccount,
    E2GrowAccount,
    SubjectRole,
    TrajectoryParticipant,
)
from subjects.registry import RegistryEntry, registry

TOOLS_AFTER_END_RULE = "tools-after-end"
# The recipient that holds the account itself, by model.
ACCOUNT_RECIPIENTS: dict[type[models.Model], str] = {
    CliftonStrengthsAccount: "gallup",
    E2GrowAccount: "e2grow",
}
ACCOUNT_DELETE_TASK = _("Ask to delete the person's account there: its use has ended")


def _latest(pairs: Any) -> dict[int, datetime.date]:
    return {subject_id: day for subject_id, day in pairs if day is not None}


def _use_ended_on(subject_ids: set[int], today: datetime.date) -> dict[int, datetime.date | None]:
    """For each of ``subject_ids``: the day their use of the tools ended, None while it
    runs, missing when they had neither a trajectory nor a relationship (steps 1-3 of
    the module's rule). Four queries, whatever the number of people."""
    participations = TrajectoryParticipant.objects.filter(participant__in=subject_ids)
    relationships = SubjectRole.objects.filter(
        subject__in=subject_ids, category__key__in=ROLES_ENDED_BY_STAFF
    )
    running = set(
        participations.filter(running_trajectory(today, "trajectory__")).values_list(
            "participant_id", flat=True
        )
    )
    running |= set(relationships.active_on(today).values_list("subject_id", flat=True))
    trajectories = _latest(
        participations.values("participant_id")
        .annotate(last=Max("trajectory__ended_on"))
        .values_list("participant_id", "last")
    )
    roles = _latest(
        relationships.values("subject_id")
        .annotate(last=Max("ended_on"))
        .values_list("subject_id", "last")
    )
    ended: dict[int, datetime.date | None] = {}
    for subject_id in subject_ids:
        if subject_id in running:
            ended[subject_id] = None
            continue
        days = [d for d in (trajectories.get(subject_id), roles.get(subject_id)) if d]
        if days:
            ended[subject_id] = max(days)
    return ended


def tool_accounts_past_use(
    rule: RetentionRule, entry: RegistryEntry, *, horizon: datetime.datetime, size: int
) -> Iterator[list[int]]:
    """Primary keys of the accounts of ``entry`` whose period after the end of their use
    passes before ``horizon``, ``size`` at a time in key order (keyset pagination, one
    batch of accounts and four queries about their holders per step)."""
    today = timezone.localdate()
    accounts = candidate_rows(rule, entry, today=today).order_by("pk")
    last = 0
    while True:
        batch = list(
            accounts.filter(pk__gt=last).values_list("pk", "subject_id", "created_at")[:size]
        )
        if not batch:
            return
        last = batch[-1][0]
        ended = _use_ended_on({subject_id for _, subject_id, _ in batch}, today)
        due = []
        for pk, subject_id, created_at in batch:
            day = ended.get(subject_id, timezone.localtime(created_at).date())
            if day is not None and limit_passes_at(rule, day) <= horizon:
                due.append(pk)
        if due:
            yield due


def tool_account_tasks_create(entry: RegistryEntry, pks: list[int]) -> int:
    """Art. 19: one task per account about to be deleted, for the recipient that holds
    the account itself, naming the person's number and the account at the tool (what
    the recipient needs to find it once our copy is gone). Returns how many."""
    from requests_dsar.services.withdrawal_tasks import recipient_tasks_outside_request_create

    recipient = ACCOUNT_RECIPIENTS[entry.model]
    made = 0
    rows = entry.model._default_manager.filter(pk__in=pks).values_list("subject_id", "external_id")
    for subject_id, external_id in rows:
        instruction: Any = ACCOUNT_DELETE_TASK
        if external_id:
            instruction = format_lazy("{} ({})", ACCOUNT_DELETE_TASK, external_id)
        made += len(
            recipient_tasks_outside_request_create(
                recipients={recipient: instruction},
                subject_id=subject_id,
                about=entry.model._meta.verbose_name,
            )
        )
    return made


def tool_accounts_release(
    rule: RetentionRule,
    *,
    horizon: datetime.datetime,
    size: int,
    erase: Any,
) -> Iterator[dict[str, int]]:
    """Delete the accounts whose use ended the rule's period ago, batch by batch: each
    batch, its Art. 19 tasks and the data subjects it leaves without purpose commit
    together (``erase(entry, pks)`` deletes and judges the people, returning the
    counts). Yields the counts of each committed batch."""
    for model in ACCOUNT_RECIPIENTS:
        entry = registry.get(model)
        for pks in tool_accounts_past_use(rule, entry, horizon=horizon, size=size):
            with transaction.atomic():
                tool_account_tasks_create(entry, pks)
                counts = erase(entry, pks)
            yield counts
