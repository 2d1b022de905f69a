"""Reading histories: any number of accounts in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import OuterRef, Subquery

from dropline.billing.history.shared import load_bundles, load_tax_rates, rates_at
from dropline.billing.history.terms import (
    TRUE_UP_KINDS,
    AccountDiscountTerm,
    AccountHistory,
    AddOnTerm,
    DataTerm,
    EquipmentRental,
    PreviousLine,
    PromotionTerm,
    ServicePlace,
    SubscriptionTerm,
    TaxRateTerm,
    UnbilledAdjustment,
)
from dropline.billing.history.usage import arrears_cycle, courtesy_months, load_usage
from dropline.billing.models import (
    AccountDiscount,
    Adjustment,
    ChargeCategory,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
)
from dropline.core import bulk
from dropline.customers.models import CustomerAccount
from dropline.network.models import Equipment
from dropline.subscriptions.models import (
    Subscription,
    SubscriptionAddOn,
    SubscriptionPrice,
)


@dataclass
class _Parts:
    subscriptions: list[SubscriptionTerm] = field(default_factory=list)
    add_ons: list[AddOnTerm] = field(default_factory=list)
    equipment: list[EquipmentRental] = field(default_factory=list)
    adjustments: list[UnbilledAdjustment] = field(default_factory=list)
    previous_lines: list[PreviousLine] = field(default_factory=list)
    account_discounts: list[AccountDiscountTerm] = field(default_factory=list)


def _data_term(row: Mapping[str, Any]) -> DataTerm | None:
    """The plan's terms for data, when it has any that a bill could charge."""
    if row["plan__overage_block_gb"] is None and row["plan__price_per_gb"] is None:
        return None
    return DataTerm(
        allowance_gb=row["plan__data_allowance_gb"],
        block_gb=row["plan__overage_block_gb"],
        block_cents=row["plan__overage_block_cents"] or 0,
        cap_cents=row["plan__overage_cap_cents"],
        price_per_gb=row["plan__price_per_gb"],
    )


def load_history(account_id: int, *, cycle_start: dt.date | None = None) -> AccountHistory:
    histories = load_histories([account_id], cycle_start=cycle_start)
    if account_id not in histories:
        raise CustomerAccount.DoesNotExist(f"no customer account {account_id}")
    return histories[account_id]


def load_histories(
    account_ids: Sequence[int], *, cycle_start: dt.date | None = None
) -> dict[int, AccountHistory]:
    """The histories of ``account_ids`` (missing ids are left out), in twelve queries.

    Usage is read for the cycle a bill charges in arrears: the one before the cycle
    starting on ``cycle_start`` (each account's own), or without it the cycle in
    progress, which the next bill charges."""
    ids = sorted(set(account_ids))
    if not ids:
        return {}
    many_ids = bulk.many(ids)
    latest = Invoice.objects.filter(account_id=OuterRef("pk")).exclude(status=InvoiceStatus.VOID)
    latest = latest.order_by("-period_start", "-id")
    accounts = list(
        CustomerAccount.objects.filter(id__in=many_ids)
        .annotate(
            latest_invoice_id=Subquery(latest.values("id")[:1]),
            latest_start=Subquery(latest.values("period_start")[:1]),
            latest_end=Subquery(latest.values("period_end")[:1]),
        )
        .values(
            "id",
            "number",
            "currency",
            "preferred_language",
            "bill_cycle_day",
            "opened_on",
            "service_address__region",
            "service_address__county",
            "service_address__city",
            "latest_invoice_id",
            "latest_start",
            "latest_end",
        )
        .order_by("id")
    )

    subscriptions = list(
        Subscription.objects.filter(account_id__in=many_ids)
        .values(
            "id",
            "account_id",
            "plan__kind",
            "plan__name",
            "plan__name_es",
            "started_on",
            "ended_on",
            "status",
            "monthly_price_cents",
            "promotion_id",
            "promotion__name",
            "promotion__name_es",
            "promotion__monthly_price_cents",
            "promotion_ends_on",
            "phone_number",
            "plan__data_allowance_gb",
            "plan__overage_block_gb",
            "plan__overage_block_cents",
            "plan__overage_cap_cents",
            "plan__price_per_gb",
        )
        .order_by("id")
    )
    arrears = {
        account["id"]: arrears_cycle(account["bill_cycle_day"], cycle_start) for account in accounts
    }
    usage, overages = load_usage(arrears, [(row["id"], row["account_id"]) for row in subscriptions])
    prices: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)
    for subscription_id, effective_on, cents in (
        SubscriptionPrice.objects.filter(subscription__account_id__in=many_ids)
        .order_by("subscription_id", "effective_on")
        .values_list("subscription_id", "effective_on", "monthly_price_cents")
    ):
        prices[subscription_id].append((effective_on, cents))

    add_ons = list(
        SubscriptionAddOn.objects.filter(subscription__account_id__in=many_ids)
        .values(
            "id",
            "subscription_id",
            "subscription__account_id",
            "add_on__name",
            "add_on__name_es",
            "add_on__kind",
            "monthly_price_cents",
            "started_on",
            "ended_on",
        )
        .order_by("id")
    )
    equipment = list(
        Equipment.objects.filter(account_id__in=many_ids)
        .values(
            "id",
            "account_id",
            "subscription_id",
            "model__manufacturer",
            "model__model_name",
            "monthly_rental_cents",
            "installed_on",
            "returned_on",
            "is_rental",
        )
        .order_by("id")
    )
    adjustments = list(
        Adjustment.objects.filter(account_id__in=many_ids, invoice__isnull=True)
        .values(
            "id",
            "account_id",
            "kind",
            "category",
            "description",
            "description_es",
            "amount_cents",
            "taxable",
            "occurred_on",
        )
        .order_by("occurred_on", "id")
    )
    states = sorted({row["service_address__region"].upper() for row in accounts})
    rate_terms = load_tax_rates(states)
    latest_ids = (
        CustomerAccount.objects.filter(id__in=many_ids)
        .annotate(latest_invoice_id=Subquery(latest.values("id")[:1]))
        .values("latest_invoice_id")
    )
    previous = list(
        InvoiceLine.objects.filter(invoice_id__in=latest_ids, kind__in=TRUE_UP_KINDS)
        .values(
            "invoice__account_id",
            "item_key",
            "kind",
            "category",
            "group_key",
            "label",
            "label_es",
            "period_start",
            "period_end",
            "amount_cents",
            "taxable",
        )
        .order_by("invoice_id", "position")
    )

    bundles = load_bundles()
    account_discounts = list(
        AccountDiscount.objects.filter(account_id__in=many_ids)
        .values(
            "account_id",
            "code",
            "label",
            "label_es",
            "monthly_discount_cents",
            "starts_on",
            "ends_on",
        )
        .order_by("account_id", "starts_on", "id")
    )

    by_account: dict[int, _Parts] = defaultdict(_Parts)
    for row in subscriptions:
        promotion = (
            PromotionTerm(
                label=row["promotion__name"],
                label_es=row["promotion__name_es"] or row["promotion__name"],
                monthly_price_cents=row["promotion__monthly_price_cents"],
                ends_on=row["promotion_ends_on"],
            )
            if row["promotion_id"] is not None and row["promotion_ends_on"] is not None
            else None
        )
        periods = prices.get(row["id"]) or [(row["started_on"], row["monthly_price_cents"])]
        by_account[row["account_id"]].subscriptions.append(
            SubscriptionTerm(
                id=row["id"],
                kind=row["plan__kind"],
                label=row["plan__name"],
                label_es=row["plan__name_es"] or row["plan__name"],
                started_on=row["started_on"],
                ended_on=row["ended_on"],
                status=row["status"],
                prices=tuple(periods),
                promotion=promotion,
                phone_number=row["phone_number"],
                data=_data_term(row),
            )
        )
    for extra in add_ons:
        by_account[extra["subscription__account_id"]].add_ons.append(
            AddOnTerm(
                id=extra["id"],
                subscription_id=extra["subscription_id"],
                label=extra["add_on__name"],
                label_es=extra["add_on__name_es"] or extra["add_on__name"],
                category=extra["add_on__kind"],
                monthly_price_cents=extra["monthly_price_cents"],
                started_on=extra["started_on"],
                ended_on=extra["ended_on"],
            )
        )
    for device in equipment:
        label = f"{device['model__manufacturer']} {device['model__model_name']}"
        by_account[device["account_id"]].equipment.append(
            EquipmentRental(
                id=device["id"],
                subscription_id=device["subscription_id"],
                label=label,
                category=ChargeCategory.EQUIPMENT,
                monthly_rental_cents=device["monthly_rental_cents"],
                installed_on=device["installed_on"],
                returned_on=device["returned_on"],
                is_rental=device["is_rental"],
            )
        )
    for adjustment in adjustments:
        by_account[adjustment["account_id"]].adjustments.append(
            UnbilledAdjustment(
                id=adjustment["id"],
                kind=adjustment["kind"],
                category=adjustment["category"],
                description=adjustment["description"],
                description_es=adjustment["description_es"] or adjustment["description"],
                amount_cents=adjustment["amount_cents"],
                taxable=adjustment["taxable"],
                occurred_on=adjustment["occurred_on"],
            )
        )
    for discount in account_discounts:
        by_account[discount["account_id"]].account_discounts.append(
            AccountDiscountTerm(
                code=discount["code"],
                label=discount["label"],
                label_es=discount["label_es"] or discount["label"],
                monthly_discount_cents=discount["monthly_discount_cents"],
                starts_on=discount["starts_on"],
                ends_on=discount["ends_on"],
            )
        )
    for line in previous:
        by_account[line["invoice__account_id"]].previous_lines.append(
            PreviousLine(
                item_key=line["item_key"],
                kind=line["kind"],
                category=line["category"],
                group_key=line["group_key"],
                label=line["label"],
                label_es=line["label_es"] or line["label"],
                period_start=line["period_start"],
                period_end=line["period_end"],
                amount_cents=line["amount_cents"],
                taxable=line["taxable"],
            )
        )

    rates_by_place: dict[ServicePlace, tuple[TaxRateTerm, ...]] = {}

    histories: dict[int, AccountHistory] = {}
    for account in accounts:
        place = ServicePlace(
            state=account["service_address__region"],
            county=account["service_address__county"],
            city=account["service_address__city"],
        )
        parts = by_account[account["id"]]
        place_rates = rates_by_place.get(place)
        if place_rates is None:
            place_rates = rates_at(place, rate_terms)
            rates_by_place[place] = place_rates
        previous_period = (
            (account["latest_start"], account["latest_end"])
            if account["latest_invoice_id"] is not None
            else None
        )
        histories[account["id"]] = AccountHistory(
            account_id=account["id"],
            number=account["number"],
            currency=account["currency"],
            language=account["preferred_language"],
            bill_cycle_day=account["bill_cycle_day"],
            opened_on=account["opened_on"],
            address=place,
            subscriptions=tuple(parts.subscriptions),
            add_ons=tuple(parts.add_ons),
            equipment=tuple(parts.equipment),
            adjustments=tuple(parts.adjustments),
            tax_rates=place_rates,
            previous_lines=tuple(parts.previous_lines),
            previous_period=previous_period,
            previous_invoice_id=account["latest_invoice_id"],
            bundles=bundles,
            account_discounts=tuple(parts.account_discounts),
            usage=tuple(usage.get(account["id"], ())),
            earlier_overages=tuple(overages.get(account["id"], ())),
            usage_courtesy_months=courtesy_months(),
        )
    return histories
