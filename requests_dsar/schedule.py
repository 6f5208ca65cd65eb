"""The periodic jobs of rights requests, for the single beat schedule in
``retention.schedule`` to merge (``CELERY_BEAT_SCHEDULE.update(DSAR_BEAT_SCHEDULE)``)."""

from __future__ import annotations

from celery.schedules import crontab

DSAR_BEAT_SCHEDULE = {
    # Hourly, so an unverified request is gone at most an hour after its 72 hours.
    "dsar-expire-unverified-requests": {
        "task": "requests_dsar.expire_unverified_requests",
        "schedule": crontab(minute=15),
    },
    # Hourly, so answer files are gone at most an hour after their 7 days.
    "dsar-delete-expired-answer-packages": {
        "task": "requests_dsar.delete_expired_answer_packages",
        "schedule": crontab(minute=25),
    },
    # Every working morning.
    "dsar-send-due-date-reminders": {
        "task": "requests_dsar.send_due_date_reminders",
        "schedule": crontab(minute=0, hour=8),
    },
    # Daily, at night: closed requests of people no longer held keep only their outline.
    "dsar-minimise-closed-requests": {
        "task": "requests_dsar.minimise_closed_requests",
        "schedule": crontab(minute=40, hour=3),
    },
}
