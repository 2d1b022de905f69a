"""``dropline worker``: a Celery worker for this project's broker."""

from __future__ import annotations

import os
import shutil
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Run a Celery worker (needs CELERY_BROKER_URL; without it tasks run in-process)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--concurrency", type=int, default=None)
        parser.add_argument("--queues", default=None, help="comma-separated queue names")
        parser.add_argument("--loglevel", default="INFO")
        parser.add_argument(
            "--hostname",
            default=None,
            help="the worker's name, unique among the workers (Celery's -n, e.g. w1@%%h); "
            "bill-run chunks record it",
        )
        parser.add_argument(
            "--beat",
            action="store_true",
            help="also run the scheduler (periodic sweeps); exactly one process should",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.CELERY_BROKER_URL:
            raise CommandError(
                "CELERY_BROKER_URL is not set: tasks run in the web process, "
                "so there is nothing for a worker to take"
            )
        celery = shutil.which("celery", path=os.path.dirname(sys.executable)) or shutil.which(
            "celery"
        )
        if celery is None:
            raise CommandError("celery is not installed in this environment")
        argv = [celery, "-A", "dropline", "worker", "--loglevel", options["loglevel"]]
        if options["hostname"]:
            argv += ["--hostname", options["hostname"]]
        if options["concurrency"]:
            argv += ["--concurrency", str(options["concurrency"])]
        if options["beat"]:
            argv += ["--beat", "--schedule", str(settings.VAR_DIR / "celerybeat-schedule")]
        if options["queues"]:
            argv += ["--queues", options["queues"]]
        os.execv(celery, argv)  # noqa: S606 - replaces this process with the worker
