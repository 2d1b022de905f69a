"""``dropline democode [username]``: the demo staff's current authenticator code."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dropline.accounts.second_factor import current_code
from dropline.seeding.demo.staff import STAFF, demo_totp_secret


class Command(BaseCommand):
    help = "Print the current second-factor code of a demo staff login (demo only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", nargs="?", default="admin")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO:
            raise CommandError("democode works only in the demo (DROPLINE_DEMO=1)")
        username = options["username"]
        if username not in {row[0] for row in STAFF}:
            raise CommandError(f"{username!r} is not a demo staff login")
        secret = demo_totp_secret(username)
        self.stdout.write(f"{current_code(secret)}  (authenticator secret {secret})")
