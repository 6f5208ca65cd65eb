"""Celery tasks: thin wrappers that call a service. Scheduled by ``DSAR_BEAT_SCHEDULE``
(``requests_dsar.schedule``), merged into the one beat schedule in ``retention.schedule``."""

from __future__ import annotations

from celery import shared_task

from requests_dsar.fulfilment.packages import answer_packages_delete_expired
from requests_dsar.services.intake import dsar_requests_expire_unverified
from requests_dsar.services.workflow import dsar_reminders_send


@shared_task(name="requests_dsar.expire_unverified_requests")
def expire_unverified_requests() -> int:
    """Delete requests whose 72-hour verification link expired unused."""
    return dsar_requests_expire_unverified()


@shared_task(name="requests_dsar.delete_expired_answer_packages")
def delete_expired_answer_packages() -> int:
    """Delete answer files once their 7-day download period has passed."""
    return answer_packages_delete_expired()


@shared_task(name="requests_dsar.send_due_date_reminders")
def send_due_date_reminders() -> int:
    """E-mail staff the open requests due within DSAR_REMINDER_DAYS days or overdue."""
    return dsar_reminders_send()


@shared_task(name="requests_dsar.minimise_closed_requests")
def minimise_closed_requests() -> int:
    """Reduce closed requests of people no longer held to their outline after
    DSAR_PROOF_MONTHS months."""
    from requests_dsar.services.minimise import closed_requests_minimise

    return closed_requests_minimise()
