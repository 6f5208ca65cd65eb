"""The periodic jobs of the register app, for the single beat schedule in
``retention.schedule`` to merge."""

from __future__ import annotations

from celery.schedules import crontab

PROCESSING_BEAT_SCHEDULE = {
    # Hourly, so the address of a consent page link is gone at most an hour after its
    # link and session have ended.
    "consent-page-delete-expired-links": {
        "task": "processing.delete_expired_consent_page_links",
        "schedule": crontab(minute=50),
    },
}
