"""The Celery application. Tasks live in each app's ``tasks.py``; the beat schedule is
defined in one place, ``retention.schedule``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from celery import Celery

from retention.schedule import beat_schedule

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leafspring.settings")

app = Celery("leafspring")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.beat_schedule = beat_schedule()
app.autodiscover_tasks()


@app.on_after_configure.connect
def filesystem_broker_folders_ensure(sender: Celery, **kwargs: Any) -> None:
    """Without Redis the broker is a folder on disk (``make run``); the web process, the
    worker and beat each make sure it exists before they send or receive a message."""
    if not str(sender.conf.broker_url or "").startswith("filesystem://"):
        return
    options = sender.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)
