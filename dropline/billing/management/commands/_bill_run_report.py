"""Printing a bill run's summary, shared by ``bill-run`` and ``run-due-jobs``."""

from __future__ import annotations

from django.core.management.base import OutputWrapper

from dropline.billing.models import BillRun, BillRunStatus
from dropline.billing.run_summary import ReasonCount, summarize


def _accounts(found: ReasonCount) -> str:
    more = found.count - len(found.first_accounts)
    named = ", ".join(found.first_accounts)
    return f"{named} and {more} more" if more > 0 else named


def write_summary(out: OutputWrapper, run: BillRun) -> None:
    summary = summarize(run)
    run = summary.run
    out.write(f"Bill run {run.run_on.isoformat()}: {run.get_status_display()}")
    out.write(f"  accounts   {run.accounts_total}")
    out.write(f"  chunks     {run.chunks_done} of {run.chunks_total} done")
    out.write(f"  billed     {run.billed}")
    out.write(f"  skipped    {run.skipped}")
    for found in summary.skipped:
        out.write(f"    {found.count:>6}  {found.reason}")
    out.write(f"  failed     {run.failed}")
    for found in summary.failed:
        out.write(f"    {found.count:>6}  {found.reason}")
        out.write(f"            accounts {_accounts(found)}")
    if run.status == BillRunStatus.RUNNING:
        out.write("  The run is not finished: run the same command again to resume it.")
    elif summary.failed:
        out.write("  Once the cause is fixed, --retry-failed tries the failed accounts again.")
