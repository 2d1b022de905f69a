# ruff: noqa: N999 - the command is named as the product documents it
"""``dropline bill-run --date YYYY-MM-DD``: bill every account whose cycle starts that day.

With a broker, the run's chunks go to the Celery workers and this command shows their
progress; without one (or with ``--in-process``) it bills them itself. Killed at any
moment, the same command resumes the run; a finished run prints its summary and bills
nothing. Exits non-zero when any account failed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TextIO, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from dropline.billing.bill_runs import DEFAULT_CHUNK_SIZE, REQUEUE_SECONDS, run_bill_run
from dropline.billing.management.commands._bill_run_report import write_summary
from dropline.billing.models import BillRun

DATE_FORM = "--date needs the cycle start date as YYYY-MM-DD, for example 2027-02-28"


def parse_day(value: str | None) -> dt.date:
    if not value:
        raise CommandError(DATE_FORM)
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{DATE_FORM} (got {value!r})") from None


class Command(BaseCommand):
    help = "Bill every account whose bill cycle starts on --date (resumes a run cut short)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="the cycle start date, YYYY-MM-DD")
        parser.add_argument(
            "--chunk-size",
            type=int,
            default=None,
            help="accounts per chunk (default DROPLINE_BILL_RUN_CHUNK_SIZE, "
            f"{DEFAULT_CHUNK_SIZE} unless set); used when the run starts",
        )
        parser.add_argument(
            "--in-process", action="store_true", help="bill here even when a broker is set"
        )
        parser.add_argument(
            "--requeue-after",
            type=float,
            default=REQUEUE_SECONDS,
            help="with a broker, seconds without progress before the pending chunks are "
            f"queued again (default {REQUEUE_SECONDS:.0f})",
        )
        parser.add_argument(
            "--retry-failed",
            action="store_true",
            help="try the chunks that failed again (once their cause is fixed)",
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        day = parse_day(options["date"])
        if options["chunk_size"] is not None and options["chunk_size"] < 1:
            raise CommandError("--chunk-size must be at least 1")
        if options["requeue_after"] <= 0:
            raise CommandError("--requeue-after must be more than 0 seconds")
        before = BillRun.objects.filter(run_on=day).first()
        if before is not None and before.finished_at is not None and not options["retry_failed"]:
            self.stdout.write(f"The bill run for {day.isoformat()} has already finished.")
        bar = tqdm(
            unit="acct",
            desc=f"bill run {day.isoformat()}",
            file=cast("TextIO", self.stderr._out),
            disable=options["no_progress"],
            dynamic_ncols=True,
        )

        def progress(run: BillRun) -> None:
            bar.total = run.accounts_total
            bar.n = run.billed + run.skipped + run.failed
            bar.refresh()

        try:
            run = run_bill_run(
                run_on=day,
                progress=progress,
                in_process=True if options["in_process"] else None,
                chunk_size=options["chunk_size"],
                requeue_after=options["requeue_after"],
                retry_failed=options["retry_failed"],
            )
        finally:
            bar.close()
        write_summary(self.stdout, run)
        if run.failed:
            raise CommandError(f"{run.failed} account(s) could not be billed; see above.")
