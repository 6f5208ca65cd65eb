"""The periodic jobs of the subjects app, for the single beat schedule in
``retention.schedule`` to merge."""

from __future__ import annotations

from celery.schedules import crontab

SUBJECTS_BEAT_SCHEDULE = {
    # Hourly, so an unconfirmed sign-up is gone at most an hour after its 7 days.
    "subjects-delete-unconfirmed-newsletter-sign-ups": {
        "task": "subjects.delete_unconfirmed_newsletter_sign_ups",
        "schedule": crontab(minute=35),
    },
}
