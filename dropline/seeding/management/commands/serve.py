"""Serve the portal with gunicorn (a real WSGI server), printing where and how to sign in."""

from __future__ import annotations

import os
import shutil
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dropline.seeding.demo import DEMO_CUSTOMER, DEMO_STAFF


class Command(BaseCommand):
    help = "Serve Dropline with gunicorn on 127.0.0.1 (Ctrl-C stops it)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "3")))

    def handle(self, *args: Any, **options: Any) -> None:
        gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or shutil.which(
            "gunicorn"
        )
        if gunicorn is None:
            raise CommandError("gunicorn is not installed in this environment")
        url = f"http://{options['host']}:{options['port']}/"
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Dropline is starting at {url}"))
        if getattr(settings, "DEMO", False):
            self.stdout.write(
                f"  Customer portal: {url}  sign in as {DEMO_CUSTOMER[0]} / {DEMO_CUSTOMER[1]}"
            )
            self.stdout.write(
                f"  Back-office:     {url}backoffice/  sign in as {DEMO_STAFF[0]} / {DEMO_STAFF[1]}"
            )
            self.stdout.write(
                "                   second factor: the code from "
                f"`.venv/bin/dropline democode {DEMO_STAFF[0]}` (DROPLINE_DEMO=1)"
            )
        self.stdout.write("  Press Ctrl-C to stop.")
        self.stdout.write("")
        self.stdout.flush()
        argv = [
            gunicorn,
            "dropline.wsgi:application",
            # Metrics from every worker in one scrape, and Dropline's log format.
            "--config",
            "python:dropline.gunicorn_conf",
            "--bind",
            f"{options['host']}:{options['port']}",
            "--workers",
            str(options["workers"]),
            "--access-logfile",
            "-",
            "--graceful-timeout",
            "5",
            # No shared control socket in the home directory: several servers
            # (demo, benchmarks) may run side by side.
            "--no-control-socket",
        ]
        os.execv(gunicorn, argv)  # noqa: S606 - replaces this process with the server
