"""Accounts with real invoices for the staff billing pages, made through the product's
own invoicing (tests.support.billing), and the back-office's billing addresses."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from html import unescape

from django.urls import reverse

from dropline.billing.models import BillRun, BillRunProblem, BillRunStatus, Invoice, TaxRate
from dropline.customers.cycles import cycle_containing
from dropline.customers.models import CustomerAccount
from tests.support.billing import at, bill, bill_months, iowa_tax_table
from tests.support.catalog import Catalog, account_with_internet, make_catalog

D = dt.date


@dataclass
class Billed:
    account: CustomerAccount
    invoices: list[Invoice]  # oldest first
    catalog: Catalog


def billed_account(*, months: int = 3, catalog: Catalog | None = None) -> Billed:
    """An account opened Jan 5, 2026 on the spring offer, billed ``months`` times from
    then (Iowa's taxes in force)."""
    iowa_tax_table()
    catalog = catalog or make_catalog()
    account, _ = account_with_internet(catalog, opened_on=D(2026, 1, 5))
    invoices = bill_months(account, first=D(2026, 1, 5), months=months)
    return Billed(account=account, invoices=invoices, catalog=catalog)


def first_invoice(account: CustomerAccount) -> Invoice:
    """``account``'s first bill: the cycle after the one it opened in, billed on its day."""
    if not TaxRate.objects.exists():
        iowa_tax_table()
    cycle = cycle_containing(account.bill_cycle_day, account.opened_on).next()
    outcome = bill(account, cycle.start)
    return Invoice.objects.get(pk=outcome.invoice_ids[0])


def bill_run(
    *,
    run_on: dt.date,
    status: str = BillRunStatus.COMPLETED,
    billed: int = 0,
    skipped: int = 0,
    failed: int = 0,
    chunks: tuple[int, int] = (1, 1),
    minutes: int | None = 3,
) -> BillRun:
    """A bill run's record as a run leaves it (``minutes``: how long it took; None while
    it runs)."""
    started = at(run_on)
    return BillRun.objects.create(
        run_on=run_on,
        status=status,
        started_at=started,
        finished_at=started + dt.timedelta(minutes=minutes) if minutes is not None else None,
        accounts_total=billed + skipped + failed,
        chunks_done=chunks[0],
        chunks_total=chunks[1],
        billed=billed,
        skipped=skipped,
        failed=failed,
    )


def problem(run: BillRun, account: CustomerAccount, *, outcome: str, reason: str) -> None:
    BillRunProblem.objects.create(run=run, account=account, outcome=outcome, reason=reason)


def page_urls(billed: Billed, run: BillRun, rate_pk: int) -> dict[str, str]:
    """Every staff billing page (GET), by URL name."""
    number = billed.account.number
    invoice = billed.invoices[-1].number
    return {
        "invoices": reverse("backoffice:invoices"),
        "invoice": reverse("backoffice:invoice", args=[invoice]),
        "invoice_void": reverse("backoffice:invoice_void", args=[invoice]),
        "adjustment_new": reverse("backoffice:adjustment_new", args=[number]),
        "statement": reverse("backoffice:statement", args=[number]),
        "bill_runs": reverse("backoffice:bill_runs"),
        "bill_run": reverse("backoffice:bill_run", args=[run.pk]),
        "bill_run_progress": reverse("backoffice:bill_run_progress", args=[run.pk]),
        "tax_table": reverse("backoffice:tax_table"),
        "tax_rate_new": reverse("backoffice:tax_rate_new", args=[rate_pk]),
    }


def visible_text(html: str) -> str:
    """What a person reads: the page's body without tags, scripts and comments."""
    body = html.split("<body", 1)[-1]
    body = re.sub(r"<!--.*?-->", " ", body, flags=re.S)
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", body))).strip()


def field_errors(html: str, field: str) -> str:
    """The error shown with form field ``field`` (empty when it has none)."""
    found = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', html, re.S)
    return visible_text(found.group(1)) if found else ""
