"""``dropline payments daily`` and ``dropline payments minute``: what Celery beat runs,
for cron when there is no broker. Both are idempotent.

- ``daily``: the scheduled payments whose day came, then the expiry warnings.
- ``minute``: payments (and refunds) whose gateway answer never came asked again, and
  the simulator's late outcomes that fell due delivered as webhooks.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from dropline.payments import methods, paying, refunds
from dropline.payments.gateways import simulator


class Command(BaseCommand):
    help = "Run the payments' daily or every-minute jobs (as Celery beat does)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("jobs", choices=["daily", "minute"])

    def handle(self, *args: Any, **options: Any) -> None:
        if options["jobs"] == "daily":
            made = paying.send_due_scheduled()
            warned = methods.warn_expiring()
            self.stdout.write(f"{made} scheduled payment(s) made, {warned} card(s) warned about.")
            return
        answered = paying.resolve_unknown() + refunds.resolve_unknown_refunds()
        released = simulator.release_due_events()
        self.stdout.write(f"{answered} answer(s) found out, {released} simulator event(s) sent.")
