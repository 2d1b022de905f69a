"""Staff pages for bill runs: the history (newest cycle first, filtered by status), one
run with its live progress and the accounts it did not bill, the progress as JSON for
the page's script, and starting a run for a day.

Thin: parse input, call ``dropline.billing``, render.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages as flash
from django.contrib.humanize.templatetags.humanize import intcomma
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from dropline.accounts.requests import signed_in_user
from dropline.backoffice.access import staff_permission_required
from dropline.backoffice.billing.forms import BillRunFilterForm, StartBillRunForm
from dropline.backoffice.common import MAX_PAGES, PAGE_SIZE
from dropline.billing import search
from dropline.billing.errors import BillingError
from dropline.billing.models import BillRun, BillRunStatus
from dropline.billing.run_starting import start_and_queue
from dropline.billing.run_summary import chunk_takers
from dropline.core.pagination import numbered_page

# Without the script, a running run's page reloads itself this often (seconds).
REFRESH_SECONDS = 5


def duration_text(run: BillRun) -> str:
    """How long a finished run took, in words: "1 hour 4 minutes", "2 minutes 5
    seconds", "40 seconds"; empty while it runs."""
    if run.finished_at is None:
        return ""
    seconds = max(0, int((run.finished_at - run.started_at) / dt.timedelta(seconds=1)))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = []
    if hours:
        parts.append(ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours})
    if minutes:
        parts.append(ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes})
    if (seconds and not hours) or not parts:
        parts.append(ngettext("%(n)d second", "%(n)d seconds", seconds) % {"n": seconds})
    return " ".join(parts)


@dataclass(frozen=True)
class ShownRun:
    run: BillRun
    duration: str


def _history_context(request: HttpRequest) -> dict[str, object]:
    form = BillRunFilterForm(request.GET or None)
    status = str(form.cleaned_data.get("status") or "") if form.is_valid() else ""
    page = numbered_page(
        search.bill_runs(status=status),
        number=request.GET.get("page"),
        size=PAGE_SIZE,
        max_pages=MAX_PAGES,
    )
    shown = page.map([ShownRun(run=run, duration=duration_text(run)) for run in page.rows])
    return {"filter_form": form, "page": shown, "filtered": bool(status)}


def _history(
    request: HttpRequest, *, start_form: StartBillRunForm | None = None, status: int = 200
) -> HttpResponse:
    context = _history_context(request)
    if signed_in_user(request).has_perm("billing.add_billrun"):
        context["start_form"] = start_form or StartBillRunForm()
    return render(request, "backoffice/billing/runs.html", context, status=status)


@staff_permission_required("billing.view_billrun")
def bill_runs(request: HttpRequest) -> HttpResponse:
    return _history(request)


@staff_permission_required("billing.add_billrun")
@require_POST
def bill_run_start(request: HttpRequest) -> HttpResponse:
    form = StartBillRunForm(request.POST)
    if form.is_valid():
        try:
            run = start_and_queue(
                run_on=form.cleaned_data["run_on"],
                actor=signed_in_user(request),
                request=request,
            )
        except BillingError as exc:
            form.add_error("run_on", str(exc))
        else:
            flash.success(request, _("The bill run has started."))
            return redirect("backoffice:bill_run", pk=run.pk)
    return _history(request, start_form=form, status=400)


def takers_text(run: BillRun) -> str:
    """Who took the run's chunks, in words: "w1@box: 3 chunks, w2@box: 2 chunks"."""
    takers = chunk_takers(run.pk)
    if not takers:
        return _("None so far.")
    return ", ".join(
        ngettext("%(name)s: %(count)s chunk", "%(name)s: %(count)s chunks", taker.chunks)
        % {"name": taker.name, "count": intcomma(taker.chunks)}
        for taker in takers
    )


def progress_of(run: BillRun) -> dict[str, object]:
    """What the run page's script shows: the run's figures as they are now, as numbers
    and as the page says them in the staff member's language (``text``), with the
    workers that took its chunks."""
    figures = {
        "chunks_done": run.chunks_done,
        "chunks_total": run.chunks_total,
        "accounts_total": run.accounts_total,
        "billed": run.billed,
        "skipped": run.skipped,
        "failed": run.failed,
    }
    text = {name: intcomma(value) for name, value in figures.items()}
    text["status_label"] = str(run.get_status_display())
    text["takers"] = takers_text(run)
    text["chunks"] = _("%(done)s of %(total)s chunks") % {
        "done": run.chunks_done,
        "total": run.chunks_total,
    }
    return {
        "status": run.status,
        "running": run.status == BillRunStatus.RUNNING,
        **figures,
        "text": text,
    }


@staff_permission_required("billing.view_billrun")
def bill_run(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(BillRun, pk=pk)
    running = run.status == BillRunStatus.RUNNING
    return render(
        request,
        "backoffice/billing/run.html",
        {
            "run": run,
            "duration": duration_text(run),
            "takers": takers_text(run),
            "running": running,
            "refresh": REFRESH_SECONDS if running else None,
            "problems": run.problems.select_related("account").order_by("outcome", "account_id"),
        },
    )


@staff_permission_required("billing.view_billrun")
@require_GET
def bill_run_progress(request: HttpRequest, pk: int) -> JsonResponse:
    run = get_object_or_404(BillRun, pk=pk)
    return JsonResponse(progress_of(run))
