# ruff: noqa: N999 - the command is named as the product documents it
"""``dropline run-due-jobs``: the daily jobs, for cron (Celery beat runs the same).

Brings prices that came due up to date, runs today's bill run (in the provider's time
zone) and resumes any earlier run left unfinished. Idempotent: run it as often as you
like. Exits non-zero when a bill run has failures.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dropline.billing.due_jobs import run_due_jobs
from dropline.billing.management.commands._bill_run_report import write_summary


class Command(BaseCommand):
    help = "Run the daily jobs: due price changes and today's bill run."

    def handle(self, *args: Any, **options: Any) -> None:
        done = run_due_jobs()
        self.stdout.write(f"Catalogue prices that took effect: {done.catalogue_prices}.")
        self.stdout.write(f"Prices brought up to date on {done.prices_changed} service(s).")
        for run in done.runs:
            write_summary(self.stdout, run)
        failed = sum(run.failed for run in done.runs)
        if failed:
            raise CommandError(f"{failed} account(s) could not be billed; see above.")
