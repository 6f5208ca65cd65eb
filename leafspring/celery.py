"""The Celery application. Tasks live in each app's ``tasks.py``; the beat schedule is
defined in one place, ``retention.schedule``."""

from __future__ import annotations

import os

from celery import Celery

from retention.schedule import beat_schedule

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leafspring.settings")

app = Celery("leafspring")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.beat_schedule = beat_schedule()
app.autodiscover_tasks()
