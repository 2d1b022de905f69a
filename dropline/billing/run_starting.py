"""Starting a bill run from the back-office: record the run and its chunks
(``bill_runs.start_run``), then queue one task per chunk still waiting, after the
transaction commits, for any worker to take. Without a broker the tasks run at once
in this process (``CELERY_TASK_ALWAYS_EAGER``), as ``dropline bill-run`` does.

Starting the same day again resumes the run: the chunks already billed stay billed,
the ones left are queued again. One audit event per start.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from dropline.billing.bill_runs import pending_chunk_ids, queue_pending_chunks, start_run
from dropline.billing.errors import BillingError
from dropline.billing.models import BillRun
from dropline.core import audit, clock


def start_and_queue(
    *, run_on: dt.date, actor: Any = None, request: HttpRequest | None = None
) -> BillRun:
    """Start (or resume) the bill run of ``run_on`` and queue its waiting chunks.
    A day still to come is refused: its bills are not due yet."""
    if run_on > clock.today():
        raise BillingError(
            _("Bill cycles starting on that day have not started yet. Choose today or earlier.")
        )
    run = start_run(run_on=run_on)
    with transaction.atomic():
        waiting = pending_chunk_ids(run)
        audit.record(
            action="billing.bill_run_started",
            request=request,
            actor=actor,
            target=run,
            data={"run_on": run_on.isoformat(), "chunks_queued": len(waiting)},
        )
        transaction.on_commit(lambda: queue_pending_chunks(run))
    return run
