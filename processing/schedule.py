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
    # Nightly (Amsterdam time): compare Mailchimp's audience with the one here,
    # unsubscribe there what is suppressed here, put the counts on the dashboard.
    "mailchimp-reconcile": {
        "task": "processing.mailchimp_reconcile",
        "schedule": crontab(hour=4, minute=20),
        # Superseded by the next night's run if it never started.
        "options": {"expires": 20 * 3600},
    },
    # Every quarter of an hour: the privacy officers are reminded of a breach's 72-hour
    # deadline (24 and 6 hours before, and once it has passed) at most 15 minutes late.
    "breach-deadline-reminders": {
        "task": "processing.breach_deadline_reminders",
        "schedule": crontab(minute="*/15"),
        "options": {"expires": 14 * 60},
    },
    # Daily in office hours (Amsterdam time): everyone whose data came from someone else
    # is told within a day of being recorded, well within the month of Art. 14(3)(a);
    # a failed e-mail is tried again the next day.
    "art14-send-notices": {
        "task": "processing.send_art14_notices",
        "schedule": crontab(hour=9, minute=10),
        "options": {"expires": 20 * 3600},
    },
}
