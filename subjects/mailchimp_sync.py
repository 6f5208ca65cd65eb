"""Keeping Mailchimp's copy of the newsletter audience true (DESIGN.md §2.2a).

Every change here that Mailchimp must follow queues one call, on commit, as a Celery task
(``subjects.tasks.mailchimp_call``): a confirmed subscription is put there; an
unsubscribe, a withdrawn newsletter consent or an objection unsubscribes there at once;
a restriction (Art. 18) archives the member, its lifting puts it back; an erasure, and
the 6-week deletion of rule unsubscribe-6w, delete the member permanently. A call made
for an Art. 19 task marks the task done by the system with Mailchimp's answer; after the
last retry a failure reopens the task (or makes one) for staff, with the reason.
Without the connector configured nothing is sent and the tasks stay manual.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from processing.connectors.mailchimp import (
    MailchimpClient,
    MailchimpError,
    connector_enabled,
    subscriber_hash,
)

logger = logging.getLogger(__name__)

SUBSCRIBE = "subscribe"
UNSUBSCRIBE = "unsubscribe"
ARCHIVE = "archive"
DELETE = "delete"
ACTIONS = (SUBSCRIBE, UNSUBSCRIBE, ARCHIVE, DELETE)
MAILCHIMP = "mailchimp"

# What a rights request asks of Mailchimp, by its right.
REQUEST_ACTIONS = {
    "erasure": DELETE,
    "consent-withdrawal": UNSUBSCRIBE,
    "objection": UNSUBSCRIBE,
    "restriction": ARCHIVE,
}

NOT_THERE = _("Mailchimp: not in the audience (404), nothing to do there")

ACTION_LABELS = {
    SUBSCRIBE: _("subscribe the address"),
    UNSUBSCRIBE: _("unsubscribe the address"),
    ARCHIVE: _("archive the member"),
    DELETE: _("delete the member permanently"),
}


class _QueuedCall:
    """One call waiting for the commit; the same call asked again in the transaction (an
    unsubscribe for the newsletter stop and for its Art. 19 task) joins it."""

    def __init__(self, action: str, email: str, first_name: str) -> None:
        self.action, self.email, self.first_name = action, email, first_name
        self.task_ids: list[int] = []
        self.sent = False

    def __call__(self) -> None:
        from subjects.tasks import mailchimp_call

        self.sent = True
        try:
            mailchimp_call.delay(self.action, self.email, self.first_name, self.task_ids)
        except Exception:  # noqa: BLE001 - the broker is down: staff do it by hand
            logger.exception("Could not queue a Mailchimp call (%s)", self.action)
            mailchimp_call_failed(
                action=self.action,
                email=self.email,
                reason="the task queue could not be reached",
                task_ids=self.task_ids,
            )


_from_mailchimp = threading.local()
FROM_MAILCHIMP = _("Mailchimp reported the change itself (webhook)")


@contextlib.contextmanager
def changes_from_mailchimp(reported: set[tuple[str, str]]) -> Iterator[None]:
    """While Mailchimp's own report (the webhook) is carried out here: the calls it
    reported, as (action, address), are not echoed back to it, and an Art. 19 task for
    such a call is done at once. Every other call goes out as usual."""
    _from_mailchimp.reported = {(action, email.strip().lower()) for action, email in reported}
    try:
        yield
    finally:
        _from_mailchimp.reported = set()


def mailchimp_sync(
    *, action: str, email: str, first_name: str = "", recipient_task_id: int | None = None
) -> bool:
    """Queue one call to Mailchimp when the current transaction commits (once per action
    and address). Returns whether it was queued (False when the connector is off, which
    leaves any task manual, or when the change came from Mailchimp)."""
    if action not in ACTIONS:
        raise ValueError(action)
    if not connector_enabled() or not email:
        return False
    email = email.strip().lower()
    if (action, email) in getattr(_from_mailchimp, "reported", set()):
        if recipient_task_id is not None:
            mailchimp_task_done(task_ids=[recipient_task_id], note=FROM_MAILCHIMP)
        return False
    connection = transaction.get_connection()
    queued = next(
        (
            func
            for _sids, func, *_rest in connection.run_on_commit
            if isinstance(func, _QueuedCall)
            and not func.sent
            and (func.action, func.email) == (action, email)
        ),
        None,
    )
    if queued is None:
        queued = _QueuedCall(action, email, first_name)
        transaction.on_commit(queued, robust=True)
    queued.first_name = first_name or queued.first_name
    if recipient_task_id is not None:
        queued.task_ids.append(recipient_task_id)
    return True


def mailchimp_call_carry_out(*, action: str, email: str, first_name: str = "") -> Any:
    """Make the call; returns what Mailchimp answered, for the task's note."""
    client = MailchimpClient()
    if action == SUBSCRIBE and not address_may_be_mailed(email):
        # Unsubscribed, restricted, objected or suppressed since the call was queued (a
        # retry can run late, calls can run out of order): nothing is put back.
        return _("Not sent to Mailchimp: the address may no longer be mailed")
    if action == SUBSCRIBE:
        answer = client.member_upsert(email=email, first_name=first_name)
        if answer and answer.get("status") == "pending":
            return _("Mailchimp: pending, Mailchimp asks the person to confirm")
        return _("Mailchimp: subscribed")
    if action == UNSUBSCRIBE:
        try:
            client.member_unsubscribe(email=email)
        except MailchimpError as error:
            if error.status == 404:  # not in the audience: nothing to stop
                return NOT_THERE
            raise
        return _("Mailchimp: unsubscribed")
    if action == ARCHIVE:
        try:
            client.member_archive(email=email)
        except MailchimpError as error:
            if error.status == 404:
                return NOT_THERE
            raise
        return _("Mailchimp: archived")
    if client.member_delete_permanently(email=email):
        return _("Mailchimp: deleted permanently")
    return NOT_THERE


def address_may_be_mailed(email: str) -> bool:
    """Whether the address is in the audience here now (``audience_rows``: confirmed,
    not unsubscribed, restricted, objected or suppressed)."""
    from subjects.selectors import newsletter_recipients
    from subjects.suppression import address_is_suppressed

    return newsletter_recipients().filter(
        email=email.strip().lower()
    ).exists() and not address_is_suppressed(email)


def mailchimp_task_done(*, task_ids: list[int], note: Any) -> None:
    """Art. 19 tasks carried out by the machine: done, with Mailchimp's answer (stored
    in the staff's language)."""
    from requests_dsar.models import RecipientTask

    with translation.override(settings.LANGUAGE_CODE):
        text = str(note)
    RecipientTask.objects.filter(pk__in=task_ids, state=RecipientTask.State.OPEN).update(
        state=RecipientTask.State.DONE,
        reason=text[:1000],
        resolved_at=timezone.now(),
        resolved_by=None,
    )


def mailchimp_call_failed(*, action: str, email: str, reason: str, task_ids: list[int]) -> None:
    """After the last retry: the task reopens for staff with the reason (one is made
    when the call had none), so the dashboard shows it and a person finishes it."""
    from processing.models import Recipient
    from requests_dsar.models import RecipientTask
    from subjects.models import DataSubject

    with translation.override(settings.LANGUAGE_CODE):
        what = str(ACTION_LABELS[action])
        note = str(_("Mailchimp could not be reached or refused: %(reason)s. Do it by hand."))
        note = note % {"reason": reason}
        if task_ids:
            RecipientTask.objects.filter(pk__in=task_ids).update(
                state=RecipientTask.State.OPEN, reason=note[:1000], resolved_at=None
            )
            return
        recipient = Recipient.objects.filter(key=MAILCHIMP).first()
        if recipient is None:
            return
        subject = DataSubject.objects.filter(email=email.strip().lower()).order_by("pk").first()
        RecipientTask.objects.create(
            recipient=recipient,
            # The member's id at Mailchimp (the hash of the address), never the address.
            instruction=f"{what.capitalize()} ({subscriber_hash(email)}): {recipient.name}.",
            reason=note[:1000],
            subject_reference=str(subject.pk) if subject else "",
        )
