"""``dropline collectors add NAME | list | revoke NAME``: the systems (FreeRADIUS
servers) that post accounting to ``/api/v1/radius/accounting`` with HTTP basic
credentials. ``add`` prints the password on its last line, once; it is never shown
again (only its hash is kept)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dropline.usage import collectors
from dropline.usage.errors import UsageError
from dropline.usage.models import Collector


def _when(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value is not None else "-"


class Command(BaseCommand):
    help = "Add, list or revoke the collectors that post accounting (FreeRADIUS servers)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="add a collector and print its password")
        add.add_argument("name", help="letters, digits, - and _ (e.g. radius-east-1)")
        sub.add_parser("list", help="every collector, active or revoked")
        revoke = sub.add_parser("revoke", help="refuse a collector's credentials from now on")
        revoke.add_argument("name")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "add":
                collector, password = collectors.add_collector(name=options["name"])
                self.stdout.write(f"Collector {collector.name} added. Its HTTP basic credentials:")
                self.stdout.write(f"  username: {collector.name}")
                self.stdout.write("  password (shown only now, on the next line):")
                self.stdout.write(password)
            elif options["action"] == "revoke":
                found = collectors.find(options["name"])
                if found is None:
                    raise CommandError(f"There is no collector named {options['name']}.")
                collectors.revoke_collector(collector_id=found.pk, actor=None)
                self.stdout.write(f"Collector {found.name} revoked.")
            else:
                self._list()
        except UsageError as exc:
            raise CommandError(exc.message) from None

    def _list(self) -> None:
        rows = list(Collector.objects.order_by("name"))
        if not rows:
            self.stdout.write("No collectors yet: dropline collectors add NAME")
            return
        self.stdout.write(f"{'name':<30} {'status':<8} {'created':<21} last record")
        for c in rows:
            status = "active" if c.is_active else "revoked"
            self.stdout.write(
                f"{c.name:<30} {status:<8} {_when(c.created_at):<21} {_when(c.last_record_at)}"
            )
