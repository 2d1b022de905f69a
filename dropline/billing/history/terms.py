"""The plain frozen values an account's history is made of."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from dropline.billing.models import (
    LineKind,
)
from dropline.subscriptions.models import (
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
class DataTerm:
    """A plan's terms for data (``Plan``): the allowance in GB (None: unlimited), blocks of
    extra data past it (a block's size in GB, its price, the most charged in a cycle),
    or a price per GB used (mobile by the gig)."""

    allowance_gb: int | None = None
    block_gb: int | None = None
    block_cents: int = 0
    cap_cents: int | None = None
    price_per_gb: Decimal | None = None


@dataclass(frozen=True, slots=True)
class UsageTerm:
    """A service's data in one bill cycle, billed in arrears by the bill after it."""

    subscription_id: int
    cycle_start: dt.date
    cycle_end: dt.date
    billable_bytes: int


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
    # How data is billed in arrears: the plan's allowance (None: unlimited), its blocks
    # of extra data (internet) or its price per GB (mobile by the gig).
    data: DataTerm | None = None

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
    # Each service's data in the cycle billed in arrears (read for one cycle per account).
    usage: tuple[UsageTerm, ...] = ()
    # The first days of the cycles whose extra internet data earlier bills charged or
    # forgave, within the courtesy window before that cycle.
    earlier_overages: tuple[dt.date, ...] = ()
    # The first overage within this many months is forgiven (0: never).
    usage_courtesy_months: int = 12
