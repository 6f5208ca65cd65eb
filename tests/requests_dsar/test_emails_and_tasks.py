"""Every e-mail to a requester is in their language and says how to complain; the
periodic jobs are registered Celery tasks under the names the beat schedule uses."""

from __future__ import annotations

import pytest
from django.core import mail

from requests_dsar.emails import request_email_send
from requests_dsar.schedule import DSAR_BEAT_SCHEDULE
from tests.requests_dsar.factories import verified_request

pytestmark = pytest.mark.django_db

REQUESTER_MAILS = [
    "verification",
    "receipt",
    "extension",
    "rejection",
    "answer",
    "portability_transfer",
]
COMPLAINT = {"nl": "klacht", "en": "complain"}


@pytest.mark.parametrize("kind", REQUESTER_MAILS)
@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_requester_e_mail_names_the_supervisory_authority_in_their_language(kind, language):
    dsar = verified_request()
    dsar.language = language
    dsar.extension_reason = "reden"
    dsar.rejection_reason = "motivering"
    mail.outbox = []
    assert request_email_send(request=dsar, kind=kind, context={"link": "L", "hours": 72})
    message = mail.outbox[0]
    assert "Autoriteit Persoonsgegevens" in message.body
    assert "Postbus 93374, 2509 AJ Den Haag" in message.body
    assert COMPLAINT[language] in message.body
    assert "\n" not in message.subject


def test_a_failing_mail_server_never_breaks_the_request(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 1  # nothing listens here
    dsar = verified_request()
    assert request_email_send(request=dsar, kind="receipt") is False


def test_the_beat_schedule_names_registered_tasks():
    from leafspring.celery import app
    from requests_dsar import tasks  # noqa: F401  (registers the tasks)

    for name, entry in DSAR_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, name


def test_the_periodic_tasks_run_as_celery_tasks():
    from requests_dsar import tasks

    # apply() runs the task in this process, as a worker would, without a broker.
    assert tasks.expire_unverified_requests.apply().get() == 0
    assert tasks.delete_expired_answer_packages.apply().get() == 0
    assert tasks.send_due_date_reminders.apply().get() == 0


def test_every_e_mail_template_ends_with_the_complaint_footer():
    from pathlib import Path

    import requests_dsar

    folder = Path(requests_dsar.__file__).parent / "templates" / "requests_dsar" / "email"
    bodies = [p for p in folder.glob("*.txt") if not p.stem.endswith("_subject")]
    bodies = [p for p in bodies if not p.name.startswith("_")]
    assert len(bodies) >= 8
    for body in bodies:
        assert '{% include "requests_dsar/email/_footer.txt" %}' in body.read_text(), body.name
