"""Celery tasks of the subjects app: thin wrappers that call a service. Scheduled by
``SUBJECTS_BEAT_SCHEDULE`` (``subjects.schedule``), merged into the one beat schedule in
``retention.schedule``."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.utils.translation import gettext_lazy as _

from subjects.newsletter import newsletter_unconfirmed_delete


@shared_task(name="subjects.delete_unconfirmed_newsletter_sign_ups")
def delete_unconfirmed_newsletter_sign_ups() -> int:
    """Delete newsletter sign-ups not confirmed within 7 days (double opt-in)."""
    return newsletter_unconfirmed_delete()


# Mailchimp calls: retried with exponential backoff (honouring Retry-After) on 429, 5xx
# and connection errors, never on another 4xx; after the last retry the Art. 19 task
# reopens for staff.
MAILCHIMP_RETRIES = 6
MAILCHIMP_BACKOFF_SECONDS = 30


@shared_task(bind=True, name="subjects.mailchimp_call", max_retries=MAILCHIMP_RETRIES)
def mailchimp_call(
    self: Any,
    action: str,
    email: str,
    first_name: str = "",
    task_ids: list[int] | None = None,
) -> str:
    """One call to Mailchimp (``subjects.mailchimp_sync``); returns its outcome."""
    from processing.connectors.mailchimp import MailchimpError
    from subjects.mailchimp_sync import (
        mailchimp_call_carry_out,
        mailchimp_call_failed,
        mailchimp_task_done,
    )
    from subjects.models import NewsletterSubscription

    try:
        note = mailchimp_call_carry_out(action=action, email=email, first_name=first_name)
    except MailchimpError as error:
        if error.needs_reconfirmation:
            # Only the person can re-subscribe such an address, through Mailchimp's own
            # confirmation: marked, never retried.
            NewsletterSubscription.objects.filter(email=email.strip().lower()).update(
                mailchimp_needs_reconfirmation=True
            )
            mailchimp_task_done(
                task_ids=task_ids or [],
                note=_(
                    "Mailchimp will not subscribe the address again (%(answer)s): only the "
                    "person can, through Mailchimp's own sign-up form."
                )
                % {"answer": error.summary},
            )
            return "needs-reconfirmation"
        if error.retryable and self.request.retries < self.max_retries:
            countdown = error.retry_after or MAILCHIMP_BACKOFF_SECONDS * 2**self.request.retries
            raise self.retry(countdown=countdown) from None
        mailchimp_call_failed(
            action=action, email=email, reason=error.summary, task_ids=task_ids or []
        )
        return "failed"
    mailchimp_task_done(task_ids=task_ids or [], note=note)
    return "done"
