"""An account's dated history, read once, as plain values for ``billing.rating``.

``load_histories`` reads any number of accounts in the same nine queries (values
only, no model instances): the bill run calls it once per chunk of accounts, the
forecast and the explainer once for one account.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import OuterRef, Subquery

from dropline.billing.models import (
    AccountDiscount,
    Adjustment,
    ChargeCategory,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    LineKind,
    TaxRate,
)
from dropline.catalog.models import Bundle, bundle_kinds_valid
from dropline.core import bulk
from dropline.customers.models import CustomerAccount
from dropline.network.models import Equipment
from dropline.subscriptions.models import (
    Subscription,
    SubscriptionAddOn,
    SubscriptionPrice,
    SubscriptionStatus,
)

# The lines a later invoice trues up: what was billed in advance for a cycle.
TRUE_UP_KINDS = (LineKind.RECURRING, LineKind.DISCOUNT, LineKind.PRORATION)
# The item key of an account discount's lines: ``account-discount:<code>``.
ACCOUNT_DISCOUNT_PREFIX = "account-discount:"


@dataclass(frozen=True, slots=True)
class ServicePlace:
    """Where service is delivered, as the tax table matches it."""

    state: str
    county: str
    city: str


@dataclass(frozen=True, slots=True)
class PromotionTerm:
    label: str
    label_es: str
    monthly_price_cents: int
    ends_on: dt.date


@dataclass(frozen=True, slots=True)
class SubscriptionTerm:
    """A service and its contracted price periods (``prices`` sorted by date, each in
    force from its date until the next; the first applies from ``started_on``)."""

    id: int
    kind: str
    label: str
    label_es: str
    started_on: dt.date
    ended_on: dt.date | None
    status: str
    prices: tuple[tuple[dt.date, int], ...]
    promotion: PromotionTerm | None
    phone_number: str

    @property
    def item_key(self) -> str:
        return f"sub:{self.id}"

    @property
    def last_day(self) -> dt.date | None:
        """The last day billed: ``ended_on``; a cancelled service without an end date is
        not billed at all."""
        if self.ended_on is not None:
            return self.ended_on
        if self.status == SubscriptionStatus.CANCELLED:
            return self.started_on - dt.timedelta(days=1)
        return None


@dataclass(frozen=True, slots=True)
class AddOnTerm:
    id: int
    subscription_id: int
    label: str
    label_es: str
    category: str
    monthly_price_cents: int
    started_on: dt.date
    ended_on: dt.date | None

    @property
    def item_key(self) -> str:
        return f"addon:{self.id}"


@dataclass(frozen=True, slots=True)
class EquipmentRental:
    id: int
    subscription_id: int | None
    label: str
    category: str
    monthly_rental_cents: int
    installed_on: dt.date | None
    returned_on: dt.date | None
    is_rental: bool

    @property
    def item_key(self) -> str:
        return f"equip:{self.id}"


@dataclass(frozen=True, slots=True)
class UnbilledAdjustment:
    id: int
    kind: str
    category: str
    description: str
    description_es: str
    amount_cents: int
    taxable: bool
    occurred_on: dt.date


@dataclass(frozen=True, slots=True)
class TaxRateTerm:
    jurisdiction_code: str
    code: str
    kind: str
    name: str
    name_es: str
    applies_to: tuple[str, ...]
    percent: Decimal | None
    amount_cents: int | None
    effective_from: dt.date
    effective_until: dt.date | None

    def effective_on(self, day: dt.date) -> bool:
        return self.effective_from <= day and (
            self.effective_until is None or day <= self.effective_until
        )


@dataclass(frozen=True, slots=True)
class BundleTerm:
    """A bundle of the catalogue: a monthly discount for each day an account has services
    of every one of ``kinds``, from ``starts_on`` to ``ends_on`` (open when None)."""

    code: str
    label: str
    label_es: str
    kinds: frozenset[str]
    monthly_discount_cents: int
    starts_on: dt.date
    ends_on: dt.date | None

    @property
    def item_key(self) -> str:
        return f"bundle:{self.code}"


@dataclass(frozen=True, slots=True)
class AccountDiscountTerm:
    """A monthly discount of the account itself (``autopay``: autopay with paperless
    bills), for each day it has a service billed, from ``starts_on`` to ``ends_on``."""

    code: str
    label: str
    label_es: str
    monthly_discount_cents: int
    starts_on: dt.date
    ends_on: dt.date | None

    @property
    def item_key(self) -> str:
        return f"{ACCOUNT_DISCOUNT_PREFIX}{self.code}"


@dataclass(frozen=True, slots=True)
class PreviousLine:
    """A line of the latest invoice that billed a cycle in advance (or trued one up)."""

    item_key: str
    kind: str
    category: str
    group_key: str
    label: str
    label_es: str
    period_start: dt.date | None
    period_end: dt.date | None
    amount_cents: int
    taxable: bool


@dataclass(frozen=True, slots=True)
class AccountHistory:
    """Everything rating needs about one account, as plain values."""

    account_id: int
    number: str
    currency: str
    language: str
    bill_cycle_day: int
    opened_on: dt.date
    address: ServicePlace
    subscriptions: tuple[SubscriptionTerm, ...]
    add_ons: tuple[AddOnTerm, ...]
    equipment: tuple[EquipmentRental, ...]
    adjustments: tuple[UnbilledAdjustment, ...]
    tax_rates: tuple[TaxRateTerm, ...]
    previous_lines: tuple[PreviousLine, ...]
    # The period of the latest non-void invoice (None before the first one).
    previous_period: tuple[dt.date, dt.date] | None = None
    previous_invoice_id: int | None = None
    # The catalogue's bundles (the same for every account), read in one query.
    bundles: tuple[BundleTerm, ...] = ()
    # The account's own discounts (autopay and paperless), read with the others' in one query.
    account_discounts: tuple[AccountDiscountTerm, ...] = ()


@dataclass
class _Parts:
    subscriptions: list[SubscriptionTerm] = field(default_factory=list)
    add_ons: list[AddOnTerm] = field(default_factory=list)
    equipment: list[EquipmentRental] = field(default_factory=list)
    adjustments: list[UnbilledAdjustment] = field(default_factory=list)
    previous_lines: list[PreviousLine] = field(default_factory=list)
    account_discounts: list[AccountDiscountTerm] = field(default_factory=list)


def _place_matches(place: ServicePlace, state: str, county: str, city: str) -> bool:
    return (
        state.casefold() == place.state.casefold()
        and (not county or county.casefold() == place.county.casefold())
        and (not city or city.casefold() == place.city.casefold())
    )


def load_history(account_id: int) -> AccountHistory:
    histories = load_histories([account_id])
    if account_id not in histories:
        raise CustomerAccount.DoesNotExist(f"no customer account {account_id}")
    return histories[account_id]


def load_histories(account_ids: Sequence[int]) -> dict[int, AccountHistory]:
    """The histories of ``account_ids`` (missing ids are left out), in ten queries."""
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
        )
        .order_by("id")
    )
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
    rates = list(
        TaxRate.objects.filter(jurisdiction__state__in=states)
        .values(
            "jurisdiction__code",
            "jurisdiction__state",
            "jurisdiction__county",
            "jurisdiction__city",
            "code",
            "kind",
            "name",
            "name_es",
            "applies_to",
            "percent",
            "amount_cents",
            "effective_from",
            "effective_until",
        )
        .order_by("jurisdiction__code", "code", "effective_from")
    )
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

    rate_terms = [
        (
            (rate["jurisdiction__state"], rate["jurisdiction__county"], rate["jurisdiction__city"]),
            TaxRateTerm(
                jurisdiction_code=rate["jurisdiction__code"],
                code=rate["code"],
                kind=rate["kind"],
                name=rate["name"],
                name_es=rate["name_es"] or rate["name"],
                applies_to=tuple(rate["applies_to"] or ()),
                percent=rate["percent"],
                amount_cents=rate["amount_cents"],
                effective_from=rate["effective_from"],
                effective_until=rate["effective_until"],
            ),
        )
        for rate in rates
    ]
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
            place_rates = tuple(term for where, term in rate_terms if _place_matches(place, *where))
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
        )
    return histories


def load_bundles() -> tuple[BundleTerm, ...]:
    """Every bundle of the catalogue, on offer or not (its dates say when it is given), in
    one query."""
    return tuple(
        BundleTerm(
            code=row["code"],
            label=row["name"],
            label_es=row["name_es"] or row["name"],
            kinds=frozenset(row["kinds"] or ()),
            monthly_discount_cents=row["monthly_discount_cents"],
            starts_on=row["starts_on"],
            ends_on=row["ends_on"],
        )
        for row in Bundle.objects.order_by("code").values(
            "code", "name", "name_es", "kinds", "monthly_discount_cents", "starts_on", "ends_on"
        )
        if bundle_kinds_valid(row["kinds"])
    )
