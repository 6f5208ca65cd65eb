"""Helpers every right uses: the request's subjects, rows as plain data, the Art. 19
recipient tasks, and marking a right as carried out."""

from __future__ import annotations

import datetime
import decimal
import functools
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from processing.models import ProcessingActivity, Recipient
from requests_dsar.models import DsarRequest, RecipientTask, RequestType, Status
from requests_dsar.services.events import request_event_record
from requests_dsar.services.identity import (
    SPECIAL_CATEGORY,
    STAFF_VERIFICATION_REASONS,
    staff_verification_reasons,
)
from subjects.models import DataSubject
from subjects.permissions import can_view_special_category
from subjects.registry import RegistryEntry, registry
from subjects.services import Actor


def subject_ids(request: DsarRequest) -> list[int]:
    return list(request.subjects.values_list("pk", flat=True))


def staff_verification_require(request: DsarRequest) -> None:
    """A request that needs the staff identity check (special-category data, or a data
    subject linked by hand under another address) is not carried out before it is
    recorded: nothing is built, sent or changed. A check recorded by someone without
    access to special-category data does not cover such data, however it came in."""
    if not request.needs_staff_verification:
        return
    reasons = staff_verification_reasons(request)
    uncovered = SPECIAL_CATEGORY in reasons and not can_view_special_category(
        request.staff_verified_by
    )
    if request.staff_verified_at and not uncovered:
        return
    shown = [str(STAFF_VERIFICATION_REASONS[r]) for r in reasons]
    raise ValidationError(
        _(
            "Record the staff identity check first (%(reasons)s). Nothing was built, "
            "sent or changed."
        )
        % {"reasons": "; ".join(shown) or _("required for this request")}
    )


def plain(value: Any) -> Any:
    """A JSON- and CSV-friendly value."""
    if isinstance(value, datetime.datetime):
        return (
            timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
        )
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    return value


def _shown(field: models.Field) -> bool:
    # Secrets that only work links (unsubscribe tokens) are not data about the person.
    return not field.name.endswith(("_token", "token_hash"))


def row_as_dict(row: models.Model) -> dict[str, Any]:
    """Every concrete field of a row, encrypted fields decrypted: it is the person's own
    data (Art. 15(3)). Foreign keys appear as their number."""
    return {name: plain(getattr(row, name)) for name in _attnames(type(row))}


@functools.cache
def _attnames(model: type[models.Model]) -> tuple[str, ...]:
    """The columns ``row_as_dict`` writes of a model (decided once per model)."""
    return tuple(f.attname for f in model._meta.concrete_fields if _shown(f))


def rows_by_entry(ids: Iterable[int]) -> list[tuple[RegistryEntry, list[models.Model]]]:
    """The subjects' rows in every registry entry that links to subjects (one query per
    entry, whatever the number of rows)."""
    ids = list(ids)
    if not ids:
        return []
    return [(entry, list(entry.rows_for(ids))) for entry in registry.subject_entries()]


def activities_holding(ids: Iterable[int]) -> set[str]:
    return {entry.activity for entry, rows in rows_by_entry(ids) if rows}


class TaskVerb:
    """What a recipient is asked to do (Art. 19), in the staff's words."""

    ERASE = gettext_lazy("Ask to erase the person's data")
    KEEP_RESTRICTED = gettext_lazy("Ask to keep the data only as the law requires, restricted")
    CORRECT = gettext_lazy("Ask to correct the person's data")
    RESTRICT = gettext_lazy("Ask to restrict processing of the person's data")
    SUPPRESS = gettext_lazy("Ask to unsubscribe the person and suppress them from marketing")
    STOP = gettext_lazy("Ask to stop processing the person's data")
    STOP_AND_ERASE = gettext_lazy("Ask to stop processing and erase the data")


@transaction.atomic
def recipient_tasks_create(
    *, request: DsarRequest, activity_keys: Iterable[str], verb: Any
) -> list[RecipientTask]:
    """Art. 19: one manual task per recipient that, by the register, receives data of
    these processing activities (for example "erase at Mailchimp"). A recipient that
    already has a task for this request keeps it."""
    recipients = list(Recipient.objects.filter(activities__key__in=list(activity_keys)).distinct())
    return _recipient_tasks_make(
        request=request, asks={r.key: verb for r in recipients}, recipients=recipients, verb=verb
    )


def _recipient_tasks_make(
    *, request: DsarRequest, asks: dict[str, Any], recipients: Iterable[Recipient], verb: Any
) -> list[RecipientTask]:
    """One task per recipient asking ``asks[key]`` (in the staff's language, with the
    recipient's own erasure instructions); a new one goes to the recipient's connector."""
    tasks = []
    # Tasks are read by staff, whose working language is the site's default (Dutch).
    with translation.override(settings.LANGUAGE_CODE):
        for recipient in recipients:
            how = recipient.tr("erasure_instructions")
            instruction = f"{asks[recipient.key]}: {recipient.name}." + (f" {how}" if how else "")
            task, created = RecipientTask.objects.get_or_create(
                request=request, recipient=recipient, defaults={"instruction": instruction}
            )
            if created:
                connector_task_queue(request=request, task=task, verb=verb)
            tasks.append(task)
    return tasks


def connector_task_queue(*, request: DsarRequest, task: RecipientTask, verb: Any = None) -> bool:
    """Where the recipient has a connector (Mailchimp), the machine carries out the Art.
    19 task, for every address of the person there may be (the request's, the people's,
    their subscriptions', also those erased just now: ``connector_addresses_note``), and
    marks it done with the answer; otherwise (or with the connector off) it stays a manual
    task. What is asked follows the right, and a hold that keeps data means archive."""
    from subjects.mailchimp_sync import ARCHIVE, MAILCHIMP, REQUEST_ACTIONS, mailchimp_sync

    action = (
        ARCHIVE if verb == TaskVerb.KEEP_RESTRICTED else REQUEST_ACTIONS.get(request.request_type)
    )
    if task.recipient.key != MAILCHIMP or action is None:
        return False
    addresses = {request.email} | getattr(request, "connector_addresses", set())
    addresses |= connector_addresses(subject_ids(request))
    queued = False
    for email in sorted(a for a in addresses if a):
        queued |= mailchimp_sync(action=action, email=email, recipient_task_id=task.pk)
    return queued


def connector_addresses(ids: Iterable[int]) -> set[str]:
    """Every address of these people a recipient with a connector may hold: theirs and
    their newsletter subscriptions' (which can differ after an address change)."""
    from subjects.models import NewsletterSubscription

    ids = list(ids)
    return set(
        DataSubject.objects.filter(pk__in=ids).exclude(email="").values_list("email", flat=True)
    ) | set(
        NewsletterSubscription.objects.filter(subject_id__in=ids).values_list("email", flat=True)
    )


def connector_addresses_note(request: DsarRequest) -> None:
    """Before erasing or restricting: note the people's addresses on the request (in
    memory), so the connector still reaches them after the rows are gone."""
    request.connector_addresses = connector_addresses(subject_ids(request))  # type: ignore[attr-defined]


@transaction.atomic
def recipient_tasks_create_asking(
    *, request: DsarRequest, recipients: dict[str, Any]
) -> list[RecipientTask]:
    """Art. 19: one manual task per recipient, by key, asking what ``recipients`` says
    there (what withdrawing a consent means at that recipient). A recipient that already
    has a task for this request keeps it."""
    return _recipient_tasks_make(
        request=request,
        asks=recipients,
        recipients=Recipient.objects.filter(key__in=list(recipients)),
        verb=None,
    )


@transaction.atomic
def fulfilment_record(
    *,
    actor: Actor,
    request: DsarRequest,
    action: str,
    params: dict[str, Any] | None = None,
    note: str = "",
) -> None:
    """Mark the right as carried out; the request waits while recipient tasks are open."""
    request.fulfilled_at = timezone.now()
    if request.status in {
        Status.NEW,
        Status.IN_PROGRESS,
        Status.EXTENDED,
        Status.WAITING_FOR_TASKS,
    }:
        open_tasks = request.recipient_tasks.filter(state=RecipientTask.State.OPEN).exists()
        request.status = Status.WAITING_FOR_TASKS if open_tasks else Status.IN_PROGRESS
    request.save(update_fields=["fulfilled_at", "status"])
    request_event_record(request=request, actor=actor, action=action, params=params, note=note)


def activities_by_key(keys: Iterable[str]) -> list[ProcessingActivity]:
    return list(
        ProcessingActivity.objects.filter(key__in=list(keys))
        .prefetch_related("legal_bases", "recipients", "data_categories", "retention_rules")
        .order_by("number")
    )


ART19_TYPES = {RequestType.ERASURE, RequestType.RECTIFICATION, RequestType.RESTRICTION}


def no_data_held_record(*, actor: Actor, request: DsarRequest) -> None:
    """The request is about someone of whom nothing is held: record that the search was
    done, so the answer can say so."""
    if request.subjects.exists():
        raise ValidationError(_("Data subjects are linked: carry out the right instead."))
    fulfilment_record(actor=actor, request=request, action="no-data-held")
