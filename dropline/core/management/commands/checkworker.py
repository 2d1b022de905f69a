"""``dropline checkworker``: send a heartbeat task through the broker and wait for the answer."""

from __future__ import annotations

import uuid
from typing import Any

from celery.exceptions import TimeoutError as CeleryTimeoutError
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dropline.core.tasks import worker_heartbeat


class Command(BaseCommand):
    help = "Check that a worker takes tasks from the broker and returns results."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--timeout", type=float, default=10.0)

    def handle(self, *args: Any, **options: Any) -> None:
        token = uuid.uuid4().hex
        result = worker_heartbeat.delay(token)
        try:
            answer = result.get(timeout=options["timeout"])
        except CeleryTimeoutError:
            raise CommandError(
                f"no worker answered within {options['timeout']:.0f} s "
                f"(broker: {'set' if settings.CELERY_BROKER_URL else 'none, in-process'})"
            ) from None
        if answer.get("token") != token:
            raise CommandError("a worker answered with someone else's token")
        self.stdout.write(
            self.style.SUCCESS(f"worker {answer['worker']} answered at {answer['at']}")
        )
