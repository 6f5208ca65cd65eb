"""Celery tasks: thin wrappers that call a service. Scheduled by
``PROCESSING_BEAT_SCHEDULE`` (``processing.schedule``), merged into the one beat schedule
in ``retention.schedule``."""

from __future__ import annotations

from celery import shared_task

from processing.consent_page import consent_page_links_delete_expired


@shared_task(name="processing.delete_expired_consent_page_links")
def delete_expired_consent_page_links() -> int:
    """Delete consent page links whose 24-hour link and 1-hour session have both ended."""
    return consent_page_links_delete_expired()
