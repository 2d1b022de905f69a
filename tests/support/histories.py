"""Account histories written out by hand, for testing rating without a database."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from dropline.billing.history import (
    AccountHistory,
    AddOnTerm,
    BundleTerm,
    DataTerm,
    EquipmentRental,
    PreviousLine,
    PromotionTerm,
    ServicePlace,
    SubscriptionTerm,
    TaxRateTerm,
    UnbilledAdjustment,
)
from dropline.billing.lines import RatedLine
from dropline.billing.models import Invoice, InvoiceLine
from dropline.core import clock
from dropline.customers.models import CustomerAccount

D = dt.date
START = D(2026, 1, 5)
EARLY = D(2020, 1, 1)
MARCH_1 = D(2026, 3, 1)
OPENED = D(2025, 6, 1)


def service(
    id: int = 1,
    *,
    kind: str = "internet",
    label: str = "Internet 500",
    label_es: str = "Internet 500",
    started_on: dt.date = START,
    ended_on: dt.date | None = None,
    status: str = "active",
    prices: tuple[tuple[dt.date, int], ...] | None = None,
    price: int = 7000,
    promotion: PromotionTerm | None = None,
    phone_number: str = "",
    data: DataTerm | None = None,
) -> SubscriptionTerm:
    return SubscriptionTerm(
        id=id,
        kind=kind,
        label=label,
        label_es=label_es,
        started_on=started_on,
        ended_on=ended_on,
        status=status,
        prices=prices if prices is not None else ((started_on, price),),
        promotion=promotion,
        phone_number=phone_number,
        data=data,
    )


def promotion(*, price: int, ends_on: dt.date, label: str = "Spring offer") -> PromotionTerm:
    return PromotionTerm(
        label=label, label_es="Oferta de primavera", monthly_price_cents=price, ends_on=ends_on
    )


def add_on(
    id: int = 1,
    *,
    subscription_id: int = 1,
    label: str = "Wi-Fi boost",
    label_es: str = "Refuerzo de Wi-Fi",
    category: str = "internet",
    price: int = 500,
    started_on: dt.date = START,
    ended_on: dt.date | None = None,
) -> AddOnTerm:
    return AddOnTerm(
        id=id,
        subscription_id=subscription_id,
        label=label,
        label_es=label_es,
        category=category,
        monthly_price_cents=price,
        started_on=started_on,
        ended_on=ended_on,
    )


def rental(
    id: int = 1,
    *,
    subscription_id: int | None = 1,
    price: int = 1000,
    installed_on: dt.date | None = START,
    returned_on: dt.date | None = None,
) -> EquipmentRental:
    return EquipmentRental(
        id=id,
        subscription_id=subscription_id,
        label="Arris SURFboard",
        category="equipment",
        monthly_rental_cents=price,
        installed_on=installed_on,
        returned_on=returned_on,
        is_rental=True,
    )


def adjustment(
    id: int = 1,
    *,
    kind: str = "charge",
    amount: int = 3500,
    description: str = "Installation visit",
    description_es: str = "Visita de instalación",
    category: str = "fees",
    taxable: bool = False,
    occurred_on: dt.date = MARCH_1,
) -> UnbilledAdjustment:
    return UnbilledAdjustment(
        id=id,
        kind=kind,
        category=category,
        description=description,
        description_es=description_es,
        amount_cents=amount,
        taxable=taxable,
        occurred_on=occurred_on,
    )


def tax(
    code: str,
    *,
    kind: str,
    jurisdiction: str = "ia",
    percent: str | None = None,
    amount: int | None = None,
    applies_to: tuple[str, ...] = (),
    name: str = "",
    effective_from: dt.date = EARLY,
    effective_until: dt.date | None = None,
) -> TaxRateTerm:
    return TaxRateTerm(
        jurisdiction_code=jurisdiction,
        code=code,
        kind=kind,
        name=name or code.replace("-", " ").capitalize(),
        name_es=name or code,
        applies_to=applies_to,
        percent=Decimal(percent) if percent is not None else None,
        amount_cents=amount,
        effective_from=effective_from,
        effective_until=effective_until,
    )


def iowa_like_rates() -> tuple[TaxRateTerm, ...]:
    """A state sales tax on TV, equipment and mobile, a 911 fee per mobile line, a
    regulatory recovery fee on internet and a city's franchise fee on TV."""
    return (
        tax(
            "sales-tax",
            kind="sales_tax",
            percent="6.0000",
            applies_to=("tv", "equipment", "mobile"),
            name="Iowa sales tax",
        ),
        tax("e911", kind="line_fee", amount=100, applies_to=("mobile",), name="911 fee"),
        tax(
            "regulatory",
            kind="regulatory_recovery",
            percent="2.5000",
            applies_to=("internet",),
            name="Regulatory recovery fee",
        ),
        tax(
            "franchise",
            jurisdiction="riverbend",
            kind="franchise_fee",
            percent="5.0000",
            applies_to=("tv",),
            name="Riverbend franchise fee",
        ),
    )


def bundle(
    code: str = "internet-tv",
    *,
    kinds: tuple[str, ...] = ("internet", "tv"),
    discount: int = 1000,
    label: str = "Internet + TV",
    label_es: str = "Internet + TV",
    starts_on: dt.date = EARLY,
    ends_on: dt.date | None = None,
) -> BundleTerm:
    return BundleTerm(
        code=code,
        label=label,
        label_es=label_es,
        kinds=frozenset(kinds),
        monthly_discount_cents=discount,
        starts_on=starts_on,
        ends_on=ends_on,
    )


def history(
    *,
    subscriptions: tuple[SubscriptionTerm, ...] = (),
    add_ons: tuple[AddOnTerm, ...] = (),
    equipment: tuple[EquipmentRental, ...] = (),
    adjustments: tuple[UnbilledAdjustment, ...] = (),
    tax_rates: tuple[TaxRateTerm, ...] = (),
    previous_lines: tuple[PreviousLine, ...] = (),
    previous_period: tuple[dt.date, dt.date] | None = None,
    bill_cycle_day: int = 5,
    opened_on: dt.date = OPENED,
    bundles: tuple[BundleTerm, ...] = (),
) -> AccountHistory:
    return AccountHistory(
        account_id=1,
        number="826000012345",
        currency="USD",
        language="en",
        bill_cycle_day=bill_cycle_day,
        opened_on=opened_on,
        address=ServicePlace(state="IA", county="Johnson", city="Riverbend"),
        subscriptions=subscriptions,
        add_ons=add_ons,
        equipment=equipment,
        adjustments=adjustments,
        tax_rates=tax_rates,
        previous_lines=previous_lines,
        previous_period=previous_period,
        bundles=bundles,
    )


def billed(lines: list[RatedLine]) -> tuple[PreviousLine, ...]:
    """``lines`` as a later rating sees them on the latest invoice."""
    return tuple(
        PreviousLine(
            item_key=line.item_key,
            kind=line.kind,
            category=line.category,
            group_key=line.group_key,
            label=line.label,
            label_es=line.label_es,
            period_start=line.period_start,
            period_end=line.period_end,
            amount_cents=line.amount_cents,
            taxable=line.taxable,
        )
        for line in lines
        if line.kind in ("recurring", "discount", "proration")
    )


def after(
    earlier: AccountHistory,
    lines: list[RatedLine],
    period: tuple[dt.date, dt.date],
    **changes: object,
) -> AccountHistory:
    """The history once ``lines`` were invoiced for ``period``, with ``changes`` made since."""
    return replace(earlier, previous_lines=billed(lines), previous_period=period, **changes)  # type: ignore[arg-type]


def write_invoice(
    account: CustomerAccount, period: tuple[dt.date, dt.date], lines: list[RatedLine]
) -> Invoice:
    """An invoice with ``lines`` for ``period``, written directly: for reading tests that
    need an earlier bill to exist (bill runs write real ones)."""
    number = Invoice.objects.count() + 1
    total = sum(line.amount_cents for line in lines)
    invoice = Invoice.objects.create(
        account=account,
        number=f"INV-{number:08d}",
        sequence=number,
        period_start=period[0],
        period_end=period[1],
        issued_on=period[0],
        due_on=period[0] + dt.timedelta(days=21),
        total_cents=total,
        amount_due_cents=total,
        created_at=clock.now(),
    )
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            invoice=invoice,
            position=position,
            kind=line.kind,
            category=line.category,
            item_key=line.item_key,
            group_key=line.group_key,
            label=line.label,
            label_es=line.label_es,
            period_start=line.period_start,
            period_end=line.period_end,
            quantity=line.quantity,
            amount_cents=line.amount_cents,
            taxable=line.taxable,
            jurisdiction_code=line.jurisdiction_code,
            percent=line.percent,
        )
        for position, line in enumerate(lines)
    )
    return invoice
