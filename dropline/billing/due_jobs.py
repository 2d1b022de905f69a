"""The daily jobs: today's bill run and the price changes that came due (catalogue
prices whose day has come, and services' dated prices).

``dropline run-due-jobs`` (for cron) and the Celery beat task both call
``run_due_jobs``. It is idempotent: a day's bill run is made once and resumed if it
was cut short; prices already brought up to date are left alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dropline.billing.bill_runs import queue_pending_chunks, run_bill_run, start_run
from dropline.billing.models import BillRun, BillRunStatus
from dropline.catalog.price_schedule import bring_prices_into_effect
from dropline.core import clock
from dropline.subscriptions.pricing import apply_due_prices


@dataclass(frozen=True, slots=True)
class DueJobs:
    runs: tuple[BillRun, ...]  # today's, and any earlier run left unfinished
    prices_changed: int
    catalogue_prices: int = 0  # scheduled catalogue prices that took effect


def run_due_jobs(*, today: dt.date | None = None, wait: bool = True) -> DueJobs:
    """Bring prices up to date, then run (or resume) today's bill run and finish any
    earlier run left unfinished. ``wait=False`` (the beat task, itself on a worker)
    queues the chunks for the workers and returns."""
    day = today or clock.today()
    catalogue_prices = bring_prices_into_effect(today=day)
    prices_changed = apply_due_prices(today=day)
    unfinished = list(
        BillRun.objects.filter(status=BillRunStatus.RUNNING, run_on__lt=day)
        .order_by("run_on")
        .values_list("run_on", flat=True)
    )
    runs = []
    for run_on in [*unfinished, day]:
        if wait:
            runs.append(run_bill_run(run_on=run_on))
        else:
            run = start_run(run_on=run_on)
            queue_pending_chunks(run)
            runs.append(run)
    return DueJobs(
        runs=tuple(runs), prices_changed=prices_changed, catalogue_prices=catalogue_prices
    )
