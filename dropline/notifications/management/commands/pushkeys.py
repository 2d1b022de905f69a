"""``dropline pushkeys``: the push notification (VAPID) key in use, as environment lines.

Without ``DROPLINE_VAPID_PRIVATE_KEY`` a server makes its own key in
``var/vapid_private_key.pem``. To run more than one server, or to keep the key when
``var/`` is rebuilt, set the lines this prints in every server's environment: the
browsers subscribed so far keep working, since the key stays the same. ``--public``
prints only the public key (safe to share).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from dropline.notifications.channels.vapid import b64url, vapid_key


class Command(BaseCommand):
    help = "Print the push notification (VAPID) key in use as DROPLINE_VAPID_* lines."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--public", action="store_true", help="only the public key")

    def handle(self, *args: Any, **options: Any) -> None:
        key = vapid_key()
        if not options["public"]:
            scalar = key.private_key.private_numbers().private_value.to_bytes(32, "big")
            self.stdout.write(f"DROPLINE_VAPID_PRIVATE_KEY={b64url(scalar)}")
        self.stdout.write(f"DROPLINE_VAPID_PUBLIC_KEY={key.application_server_key}")
