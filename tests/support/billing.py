"""Accounts with real bills: histories billed month by month by the product's own
invoicing, under the clock, as bill runs do."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from dropline.billing.invoicing import IssueOutcome, issue_invoices
from dropline.billing.models import Invoice, Jurisdiction, TaxRate
from dropline.core import clock
from dropline.customers.cycles import cycle_containing
from dropline.customers.models import CustomerAccount

EARLY = dt.date(2020, 1, 1)


def at(day: dt.date) -> dt.datetime:
    """Noon on ``day`` in UTC: the same calendar day in every US time zone."""
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


def iowa_tax_table() -> None:
    """The tax table rating tests use (``tests.support.histories.iowa_like_rates``) as
    rows: Iowa sales tax on TV, equipment and mobile, a 911 fee per mobile line, a
    regulatory recovery fee on internet, Riverbend's franchise fee on TV."""
    iowa, _ = Jurisdiction.objects.get_or_create(
        code="ia", defaults={"name": "State of Iowa", "name_es": "Estado de Iowa", "state": "IA"}
    )
    riverbend, _ = Jurisdiction.objects.get_or_create(
        code="riverbend",
        defaults={
            "name": "City of Riverbend",
            "name_es": "Ciudad de Riverbend",
            "state": "IA",
            "county": "Johnson",
            "city": "Riverbend",
        },
    )
    rates = [
        (iowa, "sales-tax", "sales_tax", "Iowa sales tax", "Impuesto sobre las ventas de Iowa",
         ["tv", "equipment", "mobile"], Decimal("6.0000"), None),
        (iowa, "e911", "line_fee", "911 fee", "Cargo 911", ["mobile"], None, 100),
        (iowa, "regulatory", "regulatory_recovery", "Regulatory recovery fee",
         "Cargo de recuperación regulatoria", ["internet"], Decimal("2.5000"), None),
        (riverbend, "franchise", "franchise_fee", "Riverbend franchise fee",
         "Cargo de franquicia de Riverbend", ["tv"], Decimal("5.0000"), None),
    ]  # fmt: skip
    for jurisdiction, code, kind, name, name_es, applies_to, percent, amount in rates:
        TaxRate.objects.get_or_create(
            jurisdiction=jurisdiction,
            code=code,
            effective_from=EARLY,
            defaults={
                "kind": kind,
                "name": name,
                "name_es": name_es,
                "applies_to": applies_to,
                "percent": percent,
                "amount_cents": amount,
            },
        )


def bill(account: CustomerAccount, cycle_start: dt.date) -> IssueOutcome:
    """Issue ``account``'s bill for the cycle starting ``cycle_start``, on that day."""
    with clock.frozen(at(cycle_start)):
        return issue_invoices(account_ids=[account.pk], cycle_start=cycle_start)


def bill_this_cycle_today(account: CustomerAccount) -> Invoice:
    """Issue ``account``'s bill for the cycle containing today, dated today: due after
    the full payment terms whatever day of the cycle the tests run on."""
    cycle = cycle_containing(account.bill_cycle_day, clock.today())
    with transaction.atomic():
        outcome = issue_invoices(account_ids=[account.pk], cycle_start=cycle.start)
    return Invoice.objects.get(pk__in=outcome.invoice_ids)


def bill_months(account: CustomerAccount, *, first: dt.date, months: int) -> list[Invoice]:
    """Bill ``months`` consecutive cycles of ``account`` from the one containing
    ``first``, each on its first day; returns the invoices, oldest first."""
    cycle = cycle_containing(account.bill_cycle_day, first)
    invoices: list[Invoice] = []
    for _ in range(months):
        with transaction.atomic():
            outcome = bill(account, cycle.start)
        invoices.extend(Invoice.objects.filter(pk__in=outcome.invoice_ids))
        cycle = cycle.next()
    return invoices
