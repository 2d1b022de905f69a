"""Data billed in arrears: the cycle before the one billed.

- Internet past its allowance: blocks of ``block_gb`` at ``block_cents`` each, a started
  block in full, at most ``cap_cents`` for the cycle. An unlimited plan (no allowance)
  is never charged. The first time over within ``usage_courtesy_months`` months is
  forgiven: the line shows, with a courtesy credit of the same amount beside it.
- Mobile by the gig: each GB used past the allowance (all of them when there is
  none) at ``price_per_gb``, a started GB in full, rounded half-up once to cents.

The words of each line (how much over, in how many blocks) are composed here in both
languages, like a promotion's "until" date; ``describe`` adds the cycle's dates.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext, ngettext

from dropline.billing.history import AccountHistory, DataTerm, SubscriptionTerm, UsageTerm
from dropline.billing.history.usage import COURTESY_PREFIX, USAGE_PREFIX
from dropline.billing.lines import RatedLine
from dropline.billing.models import ChargeCategory, LineKind
from dropline.core.dates import add_months
from dropline.core.money import Money
from dropline.customers.cycles import Cycle
from dropline.usage import overage
from dropline.usage.models import GB

USAGE = LineKind.USAGE.value
INTERNET = ChargeCategory.INTERNET.value
MOBILE = ChargeCategory.MOBILE.value


def blocks_over(billable_bytes: int, allowance_gb: int, block_gb: int) -> int:
    """The blocks of ``block_gb`` started past ``allowance_gb``."""
    return overage.blocks_over(billable_bytes, allowance_gb * GB, block_gb * GB)


def overage_cents(billable_bytes: int, data: DataTerm) -> tuple[int, int, bool]:
    """``(blocks, cents, capped)`` of extra internet data: the blocks started past the
    allowance at the block's price, held to the cap. An unlimited plan (no allowance) or
    one without blocks charges nothing."""
    if data.allowance_gb is None or not data.block_gb:
        return 0, 0, False
    blocks = blocks_over(billable_bytes, data.allowance_gb, data.block_gb)
    cents, capped = overage.blocks_cents(blocks, data.block_cents, data.cap_cents)
    return blocks, cents, capped


def gigabytes_billed(billable_bytes: int, allowance_gb: int | None) -> int:
    """The GB a by-the-gig line bills: each started GB past the allowance in full."""
    return overage.gigabytes_over(
        billable_bytes, None if allowance_gb is None else allowance_gb * GB
    )


def data_amount(amount_bytes: int, *, up: bool = False) -> str:
    """``120 GB``, ``1.2 TB``, ``0.4 GB`` (``1,2 TB`` in Spanish): to a tenth, rounded
    half-up, or up when ``up`` (so a byte over never reads as nothing over). Call it
    with the language active."""
    unit, size = ("TB", 1000 * GB) if amount_bytes >= 1000 * GB else ("GB", GB)
    tenths, remainder = divmod(amount_bytes * 10, size)
    if remainder and (up or 2 * remainder >= size):
        tenths += 1
    whole, tenth = divmod(tenths, 10)
    text = f"{whole:,}" + (f".{tenth}" if tenth else "")
    if (translation.get_language() or "").startswith("es"):
        text = text.replace(",", "\u00a0").replace(".", ",")
    return f"{text} {unit}"


def _price_text(price_per_gb: Decimal, currency: str) -> str:
    cents = price_per_gb * 100
    if cents == cents.to_integral_value():
        return Money(int(cents), currency).format()
    return f"${price_per_gb.normalize()}" if currency == "USD" else f"{price_per_gb} {currency}"


@functools.lru_cache(maxsize=4096)
def _overage_label(over: int, allowance_gb: int, blocks: int, block_gb: int, language: str) -> str:
    with translation.override(language):
        return ngettext(
            "Extra data: %(over)s over %(allowance)s in %(count)d block of %(block)s",
            "Extra data: %(over)s over %(allowance)s in %(count)d blocks of %(block)s",
            blocks,
        ) % {
            "over": data_amount(over, up=True),
            "allowance": data_amount(allowance_gb * GB),
            "count": blocks,
            "block": data_amount(block_gb * GB),
        }


@functools.lru_cache(maxsize=1024)
def _capped_label(label: str, cap_cents: int, currency: str, language: str) -> str:
    with translation.override(language):
        return gettext("%(usage)s, capped at %(cap)s") % {
            "usage": label,
            "cap": Money(cap_cents, currency).format(),
        }


@functools.lru_cache(maxsize=4096)
def _by_the_gig_label(
    used: int, gigabytes: int, price: Decimal, currency: str, language: str
) -> str:
    with translation.override(language):
        return ngettext(
            "Data by the gig: %(used)s used, billed as %(count)d GB at %(price)s a GB "
            "(a started GB in full)",
            "Data by the gig: %(used)s used, billed as %(count)d GB at %(price)s a GB "
            "(a started GB in full)",
            gigabytes,
        ) % {
            "used": data_amount(used, up=True),
            "count": gigabytes,
            "price": _price_text(price, currency),
        }


@functools.lru_cache(maxsize=64)
def _courtesy_label(months: int, language: str) -> str:
    with translation.override(language):
        return ngettext(
            "Courtesy: first time over in %(count)d month",
            "Courtesy: first time over in %(count)d months",
            months,
        ) % {"count": months}


def _courtesy_applies(history: AccountHistory, usage: UsageTerm) -> bool:
    """Whether no earlier bill charged or forgave extra internet data in the courtesy
    window before ``usage``'s cycle."""
    months = history.usage_courtesy_months
    if months <= 0:
        return False
    since = add_months(usage.cycle_start, -months)
    return not any(since <= day < usage.cycle_start for day in history.earlier_overages)


def _line(
    subscription: SubscriptionTerm,
    usage: UsageTerm,
    *,
    key: str,
    label: str,
    label_es: str,
    quantity: int,
    amount: int,
) -> RatedLine:
    return RatedLine(
        kind=USAGE,
        category=subscription.kind,
        item_key=f"{key}{subscription.id}",
        group_key=subscription.item_key,
        label=label,
        label_es=label_es,
        period_start=usage.cycle_start,
        period_end=usage.cycle_end,
        quantity=max(quantity, 1),
        amount_cents=amount,
        taxable=True,
    )


def _internet(
    history: AccountHistory, subscription: SubscriptionTerm, data: DataTerm, usage: UsageTerm
) -> list[RatedLine]:
    blocks, cents, capped = overage_cents(usage.billable_bytes, data)
    if cents <= 0 or data.allowance_gb is None or data.block_gb is None:
        return []
    over = usage.billable_bytes - data.allowance_gb * GB
    labels = [
        _overage_label(over, data.allowance_gb, blocks, data.block_gb, language)
        for language in ("en", "es")
    ]
    if capped and data.cap_cents is not None:
        labels = [
            _capped_label(label, data.cap_cents, history.currency, language)
            for label, language in zip(labels, ("en", "es"), strict=True)
        ]
    lines = [
        _line(
            subscription,
            usage,
            key=USAGE_PREFIX,
            label=labels[0],
            label_es=labels[1],
            quantity=blocks,
            amount=cents,
        )
    ]
    if _courtesy_applies(history, usage):
        months = history.usage_courtesy_months
        lines.append(
            _line(
                subscription,
                usage,
                key=COURTESY_PREFIX,
                label=_courtesy_label(months, "en"),
                label_es=_courtesy_label(months, "es"),
                quantity=1,
                amount=-cents,
            )
        )
    return lines


def _by_the_gig(
    history: AccountHistory, subscription: SubscriptionTerm, data: DataTerm, usage: UsageTerm
) -> list[RatedLine]:
    if data.price_per_gb is None:
        return []
    gigabytes = gigabytes_billed(usage.billable_bytes, data.allowance_gb)
    cents = overage.by_the_gig_cents(gigabytes, data.price_per_gb)
    if cents <= 0:
        return []
    used = usage.billable_bytes
    label, label_es = (
        _by_the_gig_label(used, gigabytes, data.price_per_gb, history.currency, language)
        for language in ("en", "es")
    )
    return [
        _line(
            subscription,
            usage,
            key=USAGE_PREFIX,
            label=label,
            label_es=label_es,
            quantity=gigabytes,
            amount=cents,
        )
    ]


def usage_lines(history: AccountHistory, cycle: Cycle) -> list[RatedLine]:
    """The data lines of the bill for ``cycle``: each service's use in the cycle before
    it, by the plan's terms."""
    if not history.usage:
        return []
    before = cycle.previous()
    services = {subscription.id: subscription for subscription in history.subscriptions}
    lines: list[RatedLine] = []
    for usage in sorted(history.usage, key=lambda u: u.subscription_id):
        subscription = services.get(usage.subscription_id)
        if subscription is None or subscription.data is None:
            continue
        if usage.cycle_start != before.start:
            continue  # another cycle's use: not this bill's to charge
        lines.extend(_usage_of(history, subscription, subscription.data, usage))
    return lines


def _usage_of(
    history: AccountHistory, subscription: SubscriptionTerm, data: DataTerm, usage: UsageTerm
) -> Sequence[RatedLine]:
    if subscription.kind == MOBILE or data.price_per_gb is not None:
        return _by_the_gig(history, subscription, data, usage)
    return _internet(history, subscription, data, usage)
