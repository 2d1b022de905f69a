"""``dropline deliverdue``: deliver retries and quiet-hours messages that are now due.

Celery beat runs the same sweep every minute (``dropline worker --beat``);
without a broker, run this from cron.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from dropline.notifications.tasks import deliver_due


class Command(BaseCommand):
    help = "Deliver notifications whose time has come (retries, quiet hours, lost leases)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = deliver_due()
        self.stdout.write(f"{count} message(s) handed to delivery")
