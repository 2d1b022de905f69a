"""Riverbend Broadband's tax table and the demo household's year of bills.

The bills are made the way production makes them. The household's history is written
through the domain's own writes, each on its day under the clock: a promotion that
runs out, a price change, an add-on ordered in the middle of a cycle, a technician's
visit charged once, a credit for an outage, and the regulatory recovery fee going up.
Between them, the bill run runs on every day a demo account's bill cycle starts, from
the day the account opened until today. No invoice is written here.

Idempotent: the tax table is looked up by its natural keys, each dated event is
skipped when it has already happened, and a bill run that runs again bills nobody
twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal

from dropline.accounts.models import User
from dropline.billing.adjustments import enter_adjustment
from dropline.billing.cycles import Cycle, anchor_days_starting_on, cycle_containing
from dropline.billing.invoicing import issue_invoices
from dropline.billing.models import (
    Adjustment,
    AdjustmentKind,
    ChargeCategory,
    Invoice,
    InvoiceStatus,
    Jurisdiction,
    TaxKind,
    TaxRate,
)
from dropline.catalog.models import AddOn
from dropline.core import clock
from dropline.core.dates import add_months
from dropline.core.formatting import display_date
from dropline.core.money import Money
from dropline.customers.models import CustomerAccount
from dropline.seeding.demo import household, unclaimed
from dropline.seeding.demo.timeline import Event, happen, moment
from dropline.subscriptions.models import Subscription, SubscriptionAddOn, SubscriptionPrice
from dropline.subscriptions.pricing import add_add_on, apply_due_prices, change_price

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


_TAXED = ("tv", "equipment", "mobile")  # Iowa taxes TV, rentals and mobile; not internet access
RATES = [
    Rate("ia", "sales-tax", TaxKind.SALES_TAX, "Iowa sales tax",
         "Impuesto sobre las ventas de Iowa", _TAXED, dt.date(2008, 7, 1), Decimal("6")),
    Rate("ia", "e911", TaxKind.LINE_FEE, "911 surcharge", "Recargo por el servicio 911",
         ("mobile",), dt.date(2015, 7, 1), amount_cents=100),
    Rate("johnson-county", "local-option", TaxKind.SALES_TAX,
         "Johnson County local option sales tax",
         "Impuesto local opcional sobre las ventas del condado de Johnson",
         _TAXED, dt.date(2009, 7, 1), Decimal("1")),
    Rate("riverbend", "franchise", TaxKind.FRANCHISE_FEE, "Riverbend cable franchise fee",
         "Cargo de franquicia de cable de Riverbend", ("tv",), dt.date(2016, 1, 1), Decimal("5")),
]  # fmt: skip

# The provider's own fee on internet and mobile service; it rises during the year shown.
REGULATORY = Rate(
    "ia", "regulatory", TaxKind.REGULATORY_RECOVERY, "Regulatory recovery fee",
    "Cargo de recuperación regulatoria", ("internet", "mobile"), dt.date(2019, 1, 1),
    Decimal("2"),
)  # fmt: skip
REGULATORY_RAISED = Decimal("2.5")

TV_PRICE_RAISED_CENTS = 8999
VISIT = ("Technician visit", "Visita de un técnico", 4900)
OUTAGE_CREDIT = ("Internet outage", "Interrupción del servicio de internet", 1000)
ADDED_ADD_ON = "latino-pack"


def regulatory_rates(raised_on: dt.date) -> list[Rate]:
    """The regulatory recovery fee as two effective-dated rows: 2% until the day before
    ``raised_on``, 2.5% from then on."""
    return [
        replace(REGULATORY, effective_until=raised_on - dt.timedelta(days=1)),
        replace(REGULATORY, effective_from=raised_on, percent=REGULATORY_RAISED),
    ]


def load_tax_table(*, regulatory_raised_on: dt.date) -> int:
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
    for rate in [*RATES, *regulatory_rates(regulatory_raised_on)]:
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


# --- the household's history ------------------------------------------------------


def cycle_start(account: CustomerAccount, months: int) -> dt.date:
    """The first day of the account's bill cycle ``months`` after the one it opened in."""
    cycle = cycle_containing(account.bill_cycle_day, account.opened_on)
    return add_months(cycle.start, months, anchor_day=cycle.anchor_day)


def regulatory_raise_date(account: CustomerAccount) -> dt.date:
    """The first of the month after the household's seventh bill: a calendar date, as
    fees change, that its eighth bill is the first to show."""
    sixth = cycle_start(account, 6)
    return add_months(sixth.replace(day=1), 1)


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


def run_bills(day: dt.date) -> int:
    """The bill run for ``day``, as the nightly job runs it; returns invoices made."""
    accounts = list(
        CustomerAccount.objects.filter(
            bill_cycle_day__in=anchor_days_starting_on(day), opened_on__lte=day
        ).values_list("pk", flat=True)
    )
    return len(issue_invoices(account_ids=accounts, cycle_start=day).invoice_ids)


def _staff(username: str) -> User | None:
    return User.objects.filter(username=username, is_staff=True).first()


def _service(account: CustomerAccount, plan_code: str) -> Subscription:
    return account.subscriptions.get(plan__code=plan_code, ended_on__isnull=True)


def _adjustment(
    account: CustomerAccount,
    kind: str,
    words: tuple[str, str, int],
    *,
    category: str,
    reason: str,
    day: dt.date,
) -> Callable[[], int]:
    description, description_es, cents = words

    def apply() -> int:
        if Adjustment.objects.filter(account=account, description=description).exists():
            return 0
        enter_adjustment(
            account=account,
            kind=kind,
            amount_cents=cents,
            description=description,
            description_es=description_es,
            reason=reason,
            category=category,
            occurred_on=day,
            actor=_staff("billing"),
        )
        return 1

    return apply


def _price_change(account: CustomerAccount, effective_on: dt.date) -> Callable[[], int]:
    def apply() -> int:
        tv = _service(account, "tv-silver")
        if SubscriptionPrice.objects.filter(subscription=tv, effective_on=effective_on).exists():
            return 0
        change_price(
            subscription=tv,
            monthly_price_cents=TV_PRICE_RAISED_CENTS,
            effective_on=effective_on,
            reason="Yearly TV programming price change, told to customers a month ahead",
            actor=_staff("billing"),
        )
        return 1

    return apply


def _add_on(account: CustomerAccount, day: dt.date) -> Callable[[], int]:
    def apply() -> int:
        tv = _service(account, "tv-silver")
        add_on = AddOn.objects.get(code=ADDED_ADD_ON)
        if SubscriptionAddOn.objects.filter(subscription=tv, add_on=add_on).exists():
            return 0
        add_add_on(subscription=tv, add_on=add_on, started_on=day, actor=_staff("care"))
        return 1

    return apply


def household_events(account: CustomerAccount) -> list[Event]:
    """What happens to the household's bills over the year, each on its day. Its
    internet promotion (a year long from the opening) ends by itself."""
    visit_on = cycle_start(account, 2) + dt.timedelta(days=12)
    outage_on = cycle_start(account, 4) + dt.timedelta(days=18)
    price_from = cycle_start(account, 6)
    add_on_from = cycle_start(account, 8) + dt.timedelta(days=11)
    return [
        Event(
            visit_on,
            "technician visit",
            _adjustment(
                account,
                AdjustmentKind.CHARGE,
                VISIT,
                category=ChargeCategory.FEES,
                reason="Moved the gateway to the upstairs office at the customer's request.",
                day=visit_on,
            ),
        ),
        Event(
            outage_on,
            "outage credit",
            _adjustment(
                account,
                AdjustmentKind.CREDIT,
                OUTAGE_CREDIT,
                category=ChargeCategory.INTERNET,
                reason="No internet for most of a day after a fiber cut in Riverbend North.",
                day=outage_on,
            ),
        ),
        Event(
            price_from - dt.timedelta(days=30),
            "TV price change",
            _price_change(account, price_from),
        ),
        Event(add_on_from, "Latino Pack added", _add_on(account, add_on_from)),
    ]


def load() -> int:
    account = household.loaded_account()
    today = clock.today()
    if account is None:
        return load_tax_table(regulatory_raised_on=add_months(today.replace(day=1), -5))
    created = load_tax_table(regulatory_raised_on=regulatory_raise_date(account))
    demo_accounts = [account]
    if other := unclaimed.unclaimed_account():
        demo_accounts.append(other)

    events = sorted(
        [*household.later(account), *household_events(account)], key=lambda event: event.day
    )
    for day in bill_days(demo_accounts, today):
        while events and events[0].day < day:
            created += happen(events.pop(0))
        with clock.frozen(moment(day, 2)):  # the nightly bill run
            apply_due_prices(today=day)
            created += run_bills(day)
    for event in events:
        if event.day <= today:
            created += happen(event)
    apply_due_prices(today=today)
    return created


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
