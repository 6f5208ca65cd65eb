"""Art. 19 tasks made outside a rights request (a consent withdrawn on the consent page,
by an unsubscribe link or by staff; a tool account deleted at the end of its use): staff
tell the recipient and record the outcome here. A task of a rights request is resolved
on the request (``workflow.recipient_task_resolve``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from requests_dsar.models import RecipientTask
from subjects.services import Actor, audit_event_record

if TYPE_CHECKING:
    from processing.models import Consent

REASON_MAX = 5000


def recipient_tasks_outside_request_create(
    *,
    recipients: dict[str, Any],
    subject_id: int,
    about: Any,
    consent: Consent | None = None,
) -> list[tuple[RecipientTask, bool]]:
    """Art. 19 outside a rights request: one task per recipient (by key, with what to ask
    it) that holds a copy of the person's data, for staff to carry out. ``about`` (a
    lazy label) says what the data was: the withdrawn consent's purpose, the deleted
    account. Written in the staff's language, Dutch. A consent's task is made once per
    recipient; returns each task and whether it is new."""
    from processing.models import Recipient

    tasks = []
    with translation.override(settings.LANGUAGE_CODE):
        for recipient in Recipient.objects.filter(key__in=list(recipients)):
            how = recipient.tr("erasure_instructions")
            instruction = f"{recipients[recipient.key]} ({about}): {recipient.name}." + (
                f" {how}" if how else ""
            )
            defaults = {"instruction": instruction, "subject_reference": str(subject_id)}
            if consent is None:
                task = RecipientTask.objects.create(request=None, recipient=recipient, **defaults)
                tasks.append((task, True))
                continue
            task, created = RecipientTask.objects.get_or_create(
                consent=consent, recipient=recipient, request=None, defaults=defaults
            )
            tasks.append((task, created))
    return tasks


@transaction.atomic
def withdrawal_task_resolve(
    *, actor: Actor, task: RecipientTask, state: str, reason: str = ""
) -> RecipientTask:
    """Art. 19: the recipient was told to stop the processing that rested on the withdrawn
    consent (done), or it was not possible, with the reason why. Once: a resolved task
    stays as it was recorded."""
    row = (
        RecipientTask.objects.select_for_update(of=("self",))
        .select_related("recipient", "consent__subject")
        .filter(pk=task.pk, request__isnull=True)
        .first()
    )
    if row is None:
        raise ValidationError(_("No such task."))
    if row.state != RecipientTask.State.OPEN:
        raise ValidationError(_("This task was already resolved."))
    if state not in {RecipientTask.State.DONE, RecipientTask.State.NOT_POSSIBLE}:
        raise ValidationError(_("Choose done or not possible."))
    reason = reason.strip()[:REASON_MAX]
    if state == RecipientTask.State.NOT_POSSIBLE and not reason:
        raise ValidationError(_("Say why it is not possible."))
    row.state = state
    row.reason = reason
    row.resolved_at = timezone.now()
    row.resolved_by = actor if actor is not None and actor.is_authenticated else None
    row.save(update_fields=["state", "reason", "resolved_at", "resolved_by"])
    consent = row.consent
    audit_event_record(
        actor=actor,
        action=f"consent.withdrawal-task-{state}",
        subject=consent.subject if consent is not None else None,
        target=row,
        params={"recipient": row.recipient.name},
        note=reason,
    )
    return row
