"""Art. 19 tasks made by a consent withdrawn outside a rights request (the consent page,
an unsubscribe link, staff): staff tell the recipient and record the outcome here. A task
of a rights request is resolved on the request (``workflow.recipient_task_resolve``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from requests_dsar.models import RecipientTask
from subjects.services import Actor, audit_event_record

REASON_MAX = 5000


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
