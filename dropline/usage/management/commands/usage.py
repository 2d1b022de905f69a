"""``dropline usage read-radacct | import FILE | prune``: usage in from FreeRADIUS's
``radacct`` table or a usage file, and raw records past their retention removed.

- ``read-radacct --dsn postgres://... [--name radacct] [--batch 5000]``: what changed in
  radacct since the last run, safe to run every minute (cron) and to kill at any point.
- ``import FILE``: a CSV usage file, whole or not at all; the bad lines are listed with
  their numbers and the command exits with status 1.
- ``prune``: raw records and hourly roll-ups past their retention.

A progress bar shows on a terminal (``--no-progress`` hides it).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, TextIO, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from dropline.usage.errors import ImportRefusedError, UsageError

GB = 10**9


class Command(BaseCommand):
    help = "Read usage from radacct or a file, or prune raw usage past its retention."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        read = sub.add_parser("read-radacct", help="read FreeRADIUS's radacct table")
        read.add_argument("--dsn", required=True, help="postgres://user@host:port/radius")
        read.add_argument("--name", default="radacct", help="the checkpoint's name")
        read.add_argument("--batch", type=int, default=5000, help="rows per transaction")
        read.add_argument("--no-progress", action="store_true")
        imp = sub.add_parser("import", help="import a CSV usage file")
        imp.add_argument("file", help=f"CSV with the header {self._header()}")
        imp.add_argument("--no-progress", action="store_true")
        sub.add_parser("prune", help="remove raw usage past its retention")

    @staticmethod
    def _header() -> str:
        from dropline.usage.csv_import import HEADER

        return HEADER

    def _bar(self, options: dict[str, Any], **kwargs: Any) -> tqdm[Any]:
        err = cast("TextIO", self.stderr._out)
        hidden = options.get("no_progress") or not (hasattr(err, "isatty") and err.isatty())
        return tqdm(file=err, disable=hidden, dynamic_ncols=True, **kwargs)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "read-radacct":
                self._read(options)
            elif action == "import":
                self._import(options)
            else:
                self._prune()
        except UsageError as exc:
            raise CommandError(exc.message) from None

    def _read(self, options: dict[str, Any]) -> None:
        from dropline.usage.radacct import pending_rows, read_radacct

        bar = self._bar(options, unit="row", desc="radacct")
        try:
            if not bar.disable:
                bar.total = pending_rows(dsn=options["dsn"], name=options["name"])
            result = read_radacct(
                dsn=options["dsn"],
                name=options["name"],
                batch=options["batch"],
                on_batch=bar.update,
            )
        finally:
            bar.close()
        through = result.through.isoformat() if result.through else "nothing yet"
        self.stdout.write(
            f"{result.rows} row(s) read in {result.batches} batch(es): {result.counted} "
            f"counted {result.counted_bytes / GB:.3f} GB, {result.rejected} rejected; "
            f"read through {through}."
        )

    def _import(self, options: dict[str, Any]) -> None:
        from dropline.usage.csv_import import import_usage_file

        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}") from None
        bar = self._bar(options, unit="rec", desc=path.name, total=max(data.count(b"\n") - 1, 0))
        try:
            done = import_usage_file(
                file_name=path.name, data=data, actor=None, progress=bar.update
            )
        except ImportRefusedError as exc:
            bar.close()
            for line, reason in exc.errors:
                where = f"line {line}" if line else "also"
                self.stderr.write(f"{path.name}: {where}: {reason}")
            self.stderr.write(f"{path.name}: refused, nothing imported ({exc.message})")
            sys.exit(1)
        finally:
            bar.close()
        self.stdout.write(
            f"{path.name}: {done.lines} record(s) imported, {done.counted_bytes / GB:.3f} GB "
            "counted (records imported before count nothing again)."
        )

    def _prune(self) -> None:
        from dropline.usage.retention import prune

        result = prune()
        self.stdout.write(
            f"Pruned: {result.partitions} monthly partition(s) dropped, {result.records} raw "
            f"record(s) and {result.hours} hourly roll-up(s) removed."
        )
