"""The consent ledger's writes: giving and withdrawing a consent (Art. 7).

A consent is given on the exact wording shown (its version and language) and names how
it was given: which form, or which staff member on which document. Withdrawal takes
effect at once, whichever way it is recorded (the consent page, an unsubscribe link,
staff, a rights request): the data resting on the consent (``ConsentNeed`` declarations
next to the models) is blanked or deleted, the newsletter stops, and a recipient holding
a copy gets an Art. 19 task. Every step is audited.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from subjects.consent_guard import ConsentGuardedModel, ConsentNeed, Withdrawal
from subjects.mailchimp_sync import MAILCHIMP, UNSUBSCRIBE, mailchimp_sync
from subjects.models import DataSubject
from subjects.services import Actor, audit_event_record, newsletter_stop

if TYPE_CHECKING:
    from processing.models import Consent, ConsentText
    from requests_dsar.models import RecipientTask


# What a recipient holding a copy is asked after a withdrawal, unless the data's
# declaration says more precisely (``ConsentNeed.instruction``).
WITHDRAWAL_TASK = _(
    "Ask to stop the processing that rested on the withdrawn consent, and to erase the data"
)


NEWSLETTER_TASK = _("Ask to unsubscribe the address from the newsletter audience")


class NoWording(Exception):
    """No wording is published for this purpose, so no consent can be given on it."""


def consent_active(*, subject_id: int, purpose: str) -> Consent | None:
    from processing.models import Consent

    return (
        Consent.objects.filter(subject_id=subject_id, purpose=purpose, withdrawn_at__isnull=True)
        .order_by("-given_at")
        .first()
    )


def _staff_user(actor: Actor) -> Any:
    return actor if actor is not None and actor.is_authenticated else None


@transaction.atomic
def consent_give(
    *,
    subject: DataSubject,
    purpose: str,
    method: str,
    via: str,
    language: str = "nl",
    actor: Actor = None,
    text: ConsentText | None = None,
    given_at: datetime.datetime | None = None,
) -> Consent:
    """Record a consent on the wording shown (``text``, by default the current version
    of the purpose), in the language it was shown in. An active consent for the same
    purpose is kept as it is and returned: giving it twice proves nothing more."""
    from processing.models import Consent, ConsentText

    existing = consent_active(subject_id=subject.pk, purpose=purpose)
    if existing is not None:
        return existing
    text = text or ConsentText.objects.current(purpose)
    if text is None:
        raise NoWording(purpose)
    consent = Consent(
        subject=subject,
        activity_id=text.activity_id,
        purpose=purpose,
        text=text,
        language=language if language in {"nl", "en"} else "nl",
        given_at=given_at or timezone.now(),
        given_method=method,
        given_via=via[:200],
        recorded_by=_staff_user(actor),
    )
    consent.full_clean()
    consent.save()
    audit_event_record(
        actor=actor,
        action="consent.give",
        subject=subject,
        target=consent,
        params={"purpose": purpose, "version": text.version, "language": consent.language},
    )
    return consent


def consent_guarded_models() -> list[type[ConsentGuardedModel]]:
    return [
        model
        for model in apps.get_models()
        # A proxy (the anonymised Monitor answers) shares its table's declaration.
        if issubclass(model, ConsentGuardedModel) and model.consent_needs and not model._meta.proxy
    ]


def consent_needs_for(purpose: str) -> list[tuple[type[models.Model], ConsentNeed]]:
    """Every (model, need) of data that rests on a consent for ``purpose``."""
    return [
        (model, need)
        for model in consent_guarded_models()
        for need in model.consent_needs
        if need.purpose == purpose
    ]


@dataclasses.dataclass
class Withdrawn:
    """What a withdrawal did: consents withdrawn, rows changed per model label ("blanked"
    or "deleted"), newsletter subscriptions stopped, Art. 19 tasks created."""

    consents: int = 0
    rows: Counter[str] = dataclasses.field(default_factory=Counter)
    newsletter_stopped: int = 0
    tasks: list[RecipientTask] = dataclasses.field(default_factory=list)


def _subject_hold(subject_id: int) -> str:
    """The ground of a legal hold on the person themselves (a dispute), which keeps
    their data, restricted, even after a withdrawal (Art. 17(3)(e)); empty when none."""
    from retention.models import LegalHold

    hold = LegalHold.objects.in_force(timezone.localdate()).filter(subject_id=subject_id).first()
    return f"Art. 17(3)(e) AVG: {hold.key}"[:300] if hold else ""


def _rows_resting_on(
    model: type[models.Model], need: ConsentNeed, subject_ids: Iterable[int]
) -> QuerySet[Any]:
    path = model.consent_subject_path  # type: ignore[attr-defined]
    return model._default_manager.filter(**{f"{path}__in": list(subject_ids)}).filter(
        need.holding(model)
    )


def consent_recipients(*, subject_ids: Iterable[int], purposes: Iterable[str]) -> dict[str, Any]:
    """The recipients that hold a copy of these people's data resting on consents for
    ``purposes`` (``ConsentNeed.recipient``, where ``recipient_holds`` matches), by key,
    with what to ask them when the consent is withdrawn (Art. 19). Read before the data is
    removed."""
    ids = list(subject_ids)
    recipients: dict[str, Any] = {}
    for purpose in purposes:
        for model, need in consent_needs_for(purpose):
            if not need.recipient:
                continue
            if _rows_resting_on(model, need, ids).filter(**dict(need.recipient_holds)).exists():
                recipients[need.recipient] = need.instruction or WITHDRAWAL_TASK
    return recipients


def consent_data_remove(*, subject_id: int, purpose: str, result: Withdrawn) -> dict[str, Any]:
    """Remove the data of one person that rested on their consent for ``purpose``: blank
    the fields, or delete the rows, each model declares. Returns the recipients that hold
    a copy of what was removed, by key, with what to ask them (``consent_recipients``, for
    Art. 19 tasks). Under a legal hold on the person the rows are restricted instead and
    kept."""
    recipients = consent_recipients(subject_ids=[subject_id], purposes=[purpose])
    hold = _subject_hold(subject_id)
    for model, need in consent_needs_for(purpose):
        rows = _rows_resting_on(model, need, [subject_id])
        label = model._meta.label
        if hold:
            result.rows[f"{label} kept"] += rows.update(
                restricted_at=timezone.now(), restriction_ground=hold
            )
        elif need.withdrawal == Withdrawal.DELETE:
            pks = list(rows.values_list("pk", flat=True))
            _, per_model = model._default_manager.filter(pk__in=pks).delete()
            result.rows[f"{label} deleted"] += per_model.get(label, 0)
        else:
            result.rows[f"{label} blanked"] += rows.update(**need.blank_values(model))
    return recipients


def withdrawal_tasks_create(*, consent: Consent, recipients: dict[str, Any]) -> list[RecipientTask]:
    """Art. 19 outside a rights request: one task per recipient that holds a copy of what
    rested on the withdrawn consent, for staff to carry out
    (``recipient_tasks_outside_request_create``)."""
    from processing.models import ConsentPurpose
    from requests_dsar.services.withdrawal_tasks import recipient_tasks_outside_request_create

    tasks = []
    for task, created in recipient_tasks_outside_request_create(
        recipients=recipients,
        subject_id=consent.subject_id,
        about=ConsentPurpose(consent.purpose).label,
        consent=consent,
    ):
        if created and task.recipient.key == MAILCHIMP:
            # The newsletter stopped here: Mailchimp unsubscribes the address itself.
            for email in consent.subject.newsletter_subscriptions.values_list(
                "email", flat=True
            ).distinct():
                mailchimp_sync(action=UNSUBSCRIBE, email=email, recipient_task_id=task.pk)
        tasks.append(task)
    return tasks


@transaction.atomic
def consent_withdraw(
    *,
    consents: Iterable[Consent],
    actor: Actor,
    method: str,
    via: str = "",
    tasks: bool = True,
) -> Withdrawn:
    """Withdraw consents (Art. 7(3)): each is marked withdrawn with when, how and by
    whom, and the data resting on it goes at once (``consent_data_remove``) unless
    another active consent of the person for the same purpose still covers it. A
    withdrawn newsletter consent stops the newsletter (which starts its 6-week clock and
    puts the address on the suppression list). With ``tasks`` each recipient holding a
    copy gets an Art. 19 task (a rights request makes its own instead)."""
    from processing.models import Consent

    result = Withdrawn()
    now = timezone.now()
    for consent in Consent.objects.select_for_update().filter(
        pk__in=[c.pk for c in consents], withdrawn_at__isnull=True
    ):
        consent.withdrawn_at = now
        consent.withdrawn_method = method
        consent.withdrawn_via = via[:200]
        consent.withdrawn_by = _staff_user(actor)
        consent.save(
            update_fields=["withdrawn_at", "withdrawn_method", "withdrawn_via", "withdrawn_by"]
        )
        result.consents += 1
        audit_event_record(
            actor=actor,
            action="consent.withdraw",
            subject=consent.subject,
            target=consent,
            params={"purpose": consent.purpose, "consent_method": method},
        )
        if consent_active(subject_id=consent.subject_id, purpose=consent.purpose):
            continue
        recipients = consent_data_remove(
            subject_id=consent.subject_id, purpose=consent.purpose, result=result
        )
        if consent.purpose == "newsletter":
            stopped = newsletter_stop(
                actor=actor, subject=consent.subject, params={"reason": "consent-withdrawn"}
            )
            result.newsletter_stopped += stopped
            if stopped:
                recipients["mailchimp"] = NEWSLETTER_TASK
        if tasks and recipients:
            result.tasks += withdrawal_tasks_create(consent=consent, recipients=recipients)
    return result
