"""Celery tasks: thin wrappers that call a service. Scheduled by
``PROCESSING_BEAT_SCHEDULE`` (``processing.schedule``), merged into the one beat schedule
in ``retention.schedule``."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from processing.art14 import art14_notices_send
from processing.breaches.reminders import breach_reminders_send
from processing.consent_page import consent_page_links_delete_expired


@shared_task(name="processing.delete_expired_consent_page_links")
def delete_expired_consent_page_links() -> int:
    """Delete consent page links whose 24-hour link and 1-hour session have both ended."""
    return consent_page_links_delete_expired()


@shared_task(name="processing.breach_deadline_reminders")
def breach_deadline_reminders() -> int:
    """Remind the privacy officers of breaches whose 72 hours to notify the Autoriteit
    Persoonsgegevens run out (24 and 6 hours before, and once passed), each once."""
    return breach_reminders_send()


# The nightly reconcile: tried again this often on a 429, a 5xx or no connection.
MAILCHIMP_RECONCILE_RETRIES = 3
MAILCHIMP_RECONCILE_BACKOFF_SECONDS = 300


@shared_task(
    bind=True, name="processing.mailchimp_reconcile", max_retries=MAILCHIMP_RECONCILE_RETRIES
)
def mailchimp_reconcile_nightly(self: Any) -> dict[str, int] | str:
    """Compare Mailchimp's audience with the one here, unsubscribe there every suppressed
    address found subscribed there, and keep the counts for the dashboard (every other
    difference is only reported; ``manage.py mailchimp reconcile --fix`` repairs it).
    Does nothing when the connector is off."""
    from processing.connectors.mailchimp import MailchimpError, connector_enabled
    from processing.mailchimp_reconcile import FIX_SUPPRESSED, mailchimp_reconcile

    if not connector_enabled():
        return "not configured"
    try:
        result = mailchimp_reconcile(fix=FIX_SUPPRESSED)
    except MailchimpError as error:
        # Recorded as a failed reconcile (the dashboard shows it); worth another try?
        if error.retryable and self.request.retries < self.max_retries:
            countdown = error.retry_after
            if countdown is None:
                countdown = MAILCHIMP_RECONCILE_BACKOFF_SECONDS * 2**self.request.retries
            raise self.retry(countdown=countdown) from None
        return "failed"
    return result.counts()


@shared_task(name="processing.send_art14_notices")
def send_art14_notices() -> int:
    """E-mail the Art. 14 notice to everyone whose data came from someone else and who
    has not been told yet (within a month of being recorded); returns the e-mails sent."""
    return art14_notices_send()
