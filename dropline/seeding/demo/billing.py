"""Riverbend Broadband's tax table and the demo household's year of bills.

The bills are made the way production makes them: the bill run runs on every day a
demo account's bill cycle starts, from the day the account opened until today, each
under the clock at two in the morning of its day, and its bill-ready emails go out
minutes later. Between the runs, the household's year (``year.py``) happens on its
days, so do its days of data (``usage.py``, through the usage ingest: each bill charges
the data of the cycle before it), and so does the regulatory recovery fee's rise, set
by billing staff a month ahead: each bill sees what was true when it was made. No
invoice is written here.

Idempotent: the tax table is looked up by its natural keys, each event of the year
checks whether it has happened, and a bill run that runs again bills nobody twice.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from dropline.billing.bill_runs import run_bill_run
from dropline.billing.models import Invoice, InvoiceStatus, Jurisdiction, TaxKind, TaxRate
from dropline.billing.rate_setting import add_rate
from dropline.core import clock
from dropline.core.dates import add_months
from dropline.core.formatting import display_date
from dropline.core.money import Money
from dropline.customers.cycles import Cycle, cycle_containing
from dropline.customers.models import CustomerAccount
from dropline.notifications.delivery import deliver, due_message_ids
from dropline.seeding.demo import household, payments, unclaimed, usage, year
from dropline.subscriptions.pricing import apply_due_prices

# code, name, Spanish name, county, city (all in Iowa)
JURISDICTIONS = [
    ("ia", "State of Iowa", "Estado de Iowa", "", ""),
    ("johnson-county", "Johnson County", "Condado de Johnson", household.COUNTY, ""),
    ("riverbend", "City of Riverbend", "Ciudad de Riverbend", household.COUNTY, "Riverbend"),
]


@dataclass(frozen=True)
class Rate:
    jurisdiction: str
    code: str
    kind: str
    name: str
    name_es: str
    applies_to: tuple[str, ...]
    effective_from: dt.date
    percent: Decimal | None = None
    amount_cents: int | None = None
    effective_until: dt.date | None = None


# Iowa taxes TV, rentals, mobile and home phone service; not internet access.
_TAXED = ("tv", "equipment", "mobile", "phone")
RATES = [
    Rate("ia", "sales-tax", TaxKind.SALES_TAX, "Iowa sales tax",
         "Impuesto sobre las ventas de Iowa", _TAXED, dt.date(2008, 7, 1), Decimal("6")),
    Rate("ia", "e911", TaxKind.LINE_FEE, "911 surcharge", "Recargo por el servicio 911",
         ("mobile", "phone"), dt.date(2015, 7, 1), amount_cents=100),
    Rate("johnson-county", "local-option", TaxKind.SALES_TAX,
         "Johnson County local option sales tax",
         "Impuesto local opcional sobre las ventas del condado de Johnson",
         _TAXED, dt.date(2009, 7, 1), Decimal("1")),
    Rate("riverbend", "franchise", TaxKind.FRANCHISE_FEE, "Riverbend cable franchise fee",
         "Cargo de franquicia de cable de Riverbend", ("tv",), dt.date(2016, 1, 1), Decimal("5")),
]  # fmt: skip

# The provider's own fee on internet, mobile and home phone service, kept with the state's rates as
# it applies to every Iowa address. It rises during the year the demo shows, through
# the back-office's own write (``regulatory_rise``).
RATES.append(
    Rate("ia", "regulatory", TaxKind.REGULATORY_RECOVERY, "Regulatory recovery fee",
         "Cargo de recuperación regulatoria", ("internet", "mobile", "phone"),
         dt.date(2019, 1, 1), Decimal("2"))
)  # fmt: skip
REGULATORY_RAISED = Decimal("2.5")


def load_tax_table() -> int:
    """The jurisdictions of a Riverbend address and their rates; returns rows created."""
    created = 0
    jurisdictions = {}
    for code, name, name_es, county, city in JURISDICTIONS:
        jurisdictions[code], was_created = Jurisdiction.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_es": name_es,
                "state": "IA",
                "county": county,
                "city": city,
            },
        )
        created += int(was_created)
    for rate in RATES:
        _, was_created = TaxRate.objects.get_or_create(
            jurisdiction=jurisdictions[rate.jurisdiction],
            code=rate.code,
            effective_from=rate.effective_from,
            defaults={
                "kind": rate.kind,
                "name": rate.name,
                "name_es": rate.name_es,
                "applies_to": list(rate.applies_to),
                "percent": rate.percent,
                "amount_cents": rate.amount_cents,
                "effective_until": rate.effective_until,
            },
        )
        created += int(was_created)
    return created


def regulatory_raise_date(account: CustomerAccount) -> dt.date:
    """The first of the month after the household's seventh bill: a calendar date, as
    fees change, that its eighth bill is the first to show."""
    seventh = year.cycle_start(account, 6)
    return add_months(seventh.replace(day=1), 1)


def regulatory_rise(account: CustomerAccount) -> year.Event:
    """Billing staff set the fee's new rate a month before it applies."""
    raised_on = regulatory_raise_date(account)

    def apply() -> int:
        iowa = Jurisdiction.objects.get(code="ia")
        if TaxRate.objects.filter(
            jurisdiction=iowa, code="regulatory", effective_from=raised_on
        ).exists():
            return 0
        add_rate(
            jurisdiction=iowa,
            code="regulatory",
            effective_from=raised_on,
            percent=REGULATORY_RAISED,
            actor=year.staff("billing"),
        )
        return 1

    return year.Event(raised_on - year.NOTICE, "regulatory recovery fee rises", apply)


def bill_days(accounts: list[CustomerAccount], today: dt.date) -> list[dt.date]:
    """Every day a bill cycle of ``accounts`` started, from the first cycle each was
    open for, until ``today``."""
    days: set[dt.date] = set()
    for account in accounts:
        cycle: Cycle = cycle_containing(account.bill_cycle_day, account.opened_on)
        if cycle.start < account.opened_on:
            cycle = cycle.next()  # opened mid-cycle: the next bill takes those days too
        while cycle.start <= today:
            days.add(cycle.start)
            cycle = cycle.next()
    return sorted(days)


@contextlib.contextmanager
def _quietly() -> Iterator[None]:
    """A year of bill runs and bill-ready emails, without their log lines or the
    console email backend printing each email: the seed command sums them up."""
    runs = logging.getLogger("dropline.billing.bill_runs")
    level = runs.level
    runs.setLevel(logging.WARNING)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            yield
    finally:
        runs.setLevel(level)


def bill(day: dt.date) -> None:
    """The nightly bill run for ``day`` (resumed, billing nobody twice, when it was run
    before), then the delivery sweep a few minutes later, as the workers would."""
    with clock.frozen(year.moment(day, 2)):
        apply_due_prices(today=day)
        run_bill_run(run_on=day, in_process=True)
    with clock.frozen(year.moment(day, 2, 5)):
        for message_id in due_message_ids():
            deliver(message_id)


def load() -> int:
    account = household.loaded_account()
    today = clock.today()
    created = load_tax_table()
    if account is None:
        return created
    demo_accounts = [account]
    if other := unclaimed.unclaimed_account():
        demo_accounts.append(other)
    invoices_before = Invoice.objects.count()
    events = sorted(
        [
            *year.events(account),
            regulatory_rise(account),
            *payments.events(account),
            *usage.events(account),
        ],
        key=lambda e: e.day,
    )
    with _quietly():
        for day in bill_days(demo_accounts, today):
            while events and events[0].day < day:
                created += year.happen(events.pop(0))
            bill(day)
        created += sum(year.happen(event) for event in events if event.day <= today)
    apply_due_prices(today=today)
    return created + Invoice.objects.count() - invoices_before


def bills_summary() -> str:
    """What the seed command says about the household's bills."""
    account = household.loaded_account()
    if account is None:
        return ""
    invoices = Invoice.objects.filter(account=account).exclude(status=InvoiceStatus.VOID)
    latest = invoices.order_by("-period_start").first()
    if latest is None:
        return ""
    total = Money(latest.total_cents, latest.currency).format()
    issued = display_date(latest.issued_on)
    return f"{invoices.count()} bills, the latest {latest.number} of {issued} for {total}"
