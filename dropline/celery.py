"""The Celery application. Broker and behaviour come from Django settings."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dropline.settings")

app = Celery("dropline")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
