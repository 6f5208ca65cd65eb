"""Celery tasks of the subjects app: thin wrappers that call a service. Scheduled by
``SUBJECTS_BEAT_SCHEDULE`` (``subjects.schedule``), merged into the one beat schedule in
``retention.schedule``."""

from __future__ import annotations

from celery import shared_task

from subjects.newsletter import newsletter_unconfirmed_delete


@shared_task(name="subjects.delete_unconfirmed_newsletter_sign_ups")
def delete_unconfirmed_newsletter_sign_ups() -> int:
    """Delete newsletter sign-ups not confirmed within 7 days (double opt-in)."""
    return newsletter_unconfirmed_delete()
