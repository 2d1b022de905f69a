"""``dropline ledger check``: verify every invariant of the books and the bills."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dropline.ledger.checks import all_checks


class Command(BaseCommand):
    help = "Check the ledger: every invariant, stopping at the first one broken."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["check"], help="check: verify every invariant")

    def handle(self, *args: Any, **options: Any) -> None:
        for name, check in all_checks():
            finding = check()
            if finding is not None:
                raise CommandError(f"broken: {name}: {finding}")
            self.stdout.write(f"ok  {name}")
        self.stdout.write(self.style.SUCCESS("The ledger and the invoices are consistent."))
