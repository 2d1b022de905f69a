"""Why did my bill change? The difference between two bills, line by line, in words.

``explain`` is pure: it compares the lines of the bill before with the lines of this
one, item by item, and every line lands in exactly one change, so the changes add
up to the difference to the cent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext as _

from dropline.billing.describe import LineLike, date_range, label_in, percent_text, signed
from dropline.billing.explaining_usage import usage_changes
from dropline.billing.models import Invoice, InvoiceLine, InvoiceStatus, LineKind
from dropline.core.formatting import display_date

_ONE_DAY = dt.timedelta(days=1)
_MONTHLY = (LineKind.RECURRING, LineKind.DISCOUNT)
_ADJUSTMENTS = (LineKind.ONE_TIME, LineKind.CREDIT)

CHANGE_KINDS = (
    "promotion_ended",
    "price_changed",
    "plan_changed",
    "added",
    "removed",
    "one_time",
    "credit",
    "taxes_changed",
    "usage",
    "proration",
    "other",
)


@dataclass
class Change:
    """One reason the bill changed; ``text`` is in the language asked for and ends with
    the signed amount."""

    kind: str
    text: str
    amount_cents: int
    on: dt.date | None = None


@dataclass
class _Item:
    key: str
    now_monthly: list[LineLike] = field(default_factory=list)
    before_monthly: list[LineLike] = field(default_factory=list)
    now_partial: list[LineLike] = field(default_factory=list)
    before_partial: list[LineLike] = field(default_factory=list)
    now_other: list[LineLike] = field(default_factory=list)
    before_other: list[LineLike] = field(default_factory=list)

    def lines(self) -> list[LineLike]:
        return [
            *self.now_monthly,
            *self.now_partial,
            *self.now_other,
            *self.before_monthly,
            *self.before_partial,
            *self.before_other,
        ]

    @property
    def prefix(self) -> str:
        return self.key.split(":", 1)[0]


def _total(lines: Sequence[LineLike]) -> int:
    return sum(line.amount_cents for line in lines)


def _first_day(lines: Sequence[LineLike]) -> dt.date | None:
    days = [line.period_start for line in lines if line.period_start is not None]
    return min(days) if days else None


def _last_day(lines: Sequence[LineLike]) -> dt.date | None:
    days = [line.period_end for line in lines if line.period_end is not None]
    return max(days) if days else None


class _Words:
    """The sentences, composed with the language already active."""

    def __init__(self, language: str, currency: str, labels: dict[str, str]) -> None:
        self.language = language
        self.currency = currency
        self.labels = labels  # item key -> label, for naming a promotion's service
        self.service_ends: dict[str, dt.date] = {}  # service -> last day billed now

    def money(self, amount: int) -> str:
        return signed(amount, self.currency)

    def label(self, item: _Item) -> str:
        return label_in(item.lines()[0], self.language)

    def service_of(self, item: _Item) -> str:
        group = item.lines()[0].group_key
        return self.labels.get(group) or self.label(item)


def explain(
    previous: Sequence[LineLike],
    current: Sequence[LineLike],
    *,
    language: str,
    currency: str = "USD",
) -> list[Change]:
    """The changes from ``previous`` to ``current``; their amounts add up exactly to
    ``sum(current) - sum(previous)``."""
    with translation.override(language):
        return _explain(previous, current, language=language, currency=currency)


def _explain(
    previous: Sequence[LineLike], current: Sequence[LineLike], *, language: str, currency: str
) -> list[Change]:
    items: dict[str, _Item] = {}
    taxes_now: list[LineLike] = []
    taxes_before: list[LineLike] = []
    labels: dict[str, str] = {}
    usage_now = [line for line in current if line.kind == LineKind.USAGE]
    usage_before = [line for line in previous if line.kind == LineKind.USAGE]
    for now, lines in ((True, current), (False, previous)):
        for line in lines:
            if line.kind == LineKind.USAGE:
                continue
            if line.kind == LineKind.TAX:
                (taxes_now if now else taxes_before).append(line)
                continue
            if line.item_key == line.group_key and line.item_key not in labels:
                labels[line.item_key] = label_in(line, language)
            item = items.setdefault(line.item_key, _Item(line.item_key))
            if line.kind in _ADJUSTMENTS:
                (item.now_other if now else item.before_other).append(line)
            elif line.kind == LineKind.PRORATION:
                (item.now_partial if now else item.before_partial).append(line)
            else:
                (item.now_monthly if now else item.before_monthly).append(line)
    words = _Words(language, currency, labels)
    for line in current:
        if line.item_key == line.group_key and line.kind == LineKind.RECURRING:
            ends = line.period_end
            known = words.service_ends.get(line.group_key)
            if ends is not None and (known is None or ends > known):
                words.service_ends[line.group_key] = ends

    changes: list[Change] = []
    for item in items.values():
        if item.now_other or item.before_other:
            changes.extend(_adjustment_changes(item, words))
        if item.now_monthly or item.before_monthly or item.now_partial or item.before_partial:
            changes.extend(_monthly_changes(item, words))
    changes = _merge_plan_changes(changes, words)
    changes += [
        Change(*change)
        for change in usage_changes(
            usage_before, usage_now, language=language, currency=currency, labels=labels
        )
    ]
    tax_change = _tax_change(taxes_before, taxes_now, words)
    if tax_change is not None:
        changes.append(tax_change)
    # Extra data forgiven as a courtesy is told even though it comes to nothing.
    return [change for change in changes if change.amount_cents != 0 or change.kind == "usage"]


@dataclass
class _Draft(Change):
    """A change before plan changes are recognised: what it is about."""

    item_label: str = ""
    category: str = ""
    prefix: str = ""


def _adjustment_changes(item: _Item, words: _Words) -> list[Change]:
    amount = _total(item.now_other) - _total(item.before_other)
    label = words.label(item)
    if item.now_other and not item.before_other:
        line = item.now_other[0]
        day = line.period_start
        values = {"item": label, "date": display_date(day), "amount": words.money(amount)}
        if line.kind == LineKind.CREDIT:
            return [
                Change("credit", _("Credit %(item)s on %(date)s: %(amount)s") % values, amount, day)
            ]
        text = _("One-time charge %(item)s on %(date)s: %(amount)s") % values
        return [Change("one_time", text, amount, day)]
    if item.before_other and not item.now_other:
        line = item.before_other[0]
        values = {"item": label, "amount": words.money(amount)}
        if line.kind == LineKind.CREDIT:
            text = _("Last bill's credit %(item)s is not repeated: %(amount)s") % values
            return [Change("credit", text, amount)]
        text = _("Last bill's one-time charge %(item)s is not repeated: %(amount)s") % values
        return [Change("one_time", text, amount)]
    return [
        Change(
            "other",
            _("%(item)s: %(amount)s") % {"item": label, "amount": words.money(amount)},
            amount,
        )
    ]


def _monthly_changes(item: _Item, words: _Words) -> list[Change]:
    changes: list[Change] = []
    label = words.label(item)
    main = _total(item.now_monthly) - _total(item.before_monthly) + _total(item.now_partial)
    monthly_difference = _total(item.now_monthly) - _total(item.before_monthly)
    partial = date_range(_first_day(item.now_partial), _last_day(item.now_partial))
    amount_text = words.money(main)
    common = {"item": label, "amount": amount_text, "dates": partial}
    is_new = not item.before_monthly and not item.before_partial and not item.now_other
    if main != 0 and item.prefix == "promo":
        service = words.service_of(item)
        ended = _promotion_end(item, words, monthly_difference)
        if ended is not None:
            text = _("Your promotional price for %(service)s ended on %(date)s: %(amount)s") % {
                "service": service,
                "date": display_date(ended),
                "amount": amount_text,
            }
            changes.append(Change("promotion_ended", text, main, ended))
        else:
            text = _("Your promotional price for %(service)s changed: %(amount)s") % {
                "service": service,
                "amount": amount_text,
            }
            changes.append(Change("other", text, main, _first_day(item.now_monthly)))
    elif main != 0 and is_new:
        start = _first_day([*item.now_monthly, *item.now_partial])
        values = {**common, "date": display_date(start)}
        if item.now_partial:
            texts = {
                "addon": _(
                    "New add-on %(item)s from %(date)s (partial month %(dates)s): %(amount)s"
                ),
                "equip": _(
                    "New equipment rental %(item)s from %(date)s (partial month %(dates)s): "
                    "%(amount)s"
                ),
                "sub": _(
                    "New service %(item)s from %(date)s (partial month %(dates)s): %(amount)s"
                ),
                "bundle": _(
                    "New bundle discount %(item)s from %(date)s (partial month %(dates)s): "
                    "%(amount)s"
                ),
            }
        else:
            texts = {
                "addon": _("New add-on %(item)s from %(date)s: %(amount)s"),
                "equip": _("New equipment rental %(item)s from %(date)s: %(amount)s"),
                "sub": _("New service %(item)s from %(date)s: %(amount)s"),
                "bundle": _("New bundle discount %(item)s from %(date)s: %(amount)s"),
            }
        text = texts.get(item.prefix, texts["sub"]) % values
        changes.append(_draft("added", text, main, start, item, label))
    elif main != 0 and not item.now_monthly and item.before_monthly:
        credit_from = _first_day(item.now_partial)
        ended = credit_from - _ONE_DAY if credit_from else _last_day(item.before_monthly)
        values = {**common, "date": display_date(ended)}
        if item.prefix == "bundle":
            text = _("Bundle discount %(item)s ended on %(date)s: %(amount)s") % values
        elif item.now_partial:
            text = _("%(item)s ended on %(date)s (credit for %(dates)s): %(amount)s") % values
        else:
            text = _("%(item)s ended on %(date)s: %(amount)s") % values
        changes.append(_draft("removed", text, main, ended, item, label))
    elif main != 0 and monthly_difference != 0:
        starts = sorted({line.period_start for line in item.now_monthly if line.period_start})
        since = (
            starts[-1]
            if len(starts) > 1
            else _first_day(item.now_partial) or (starts[0] if starts else None)
        )
        text = _("New price for %(item)s from %(date)s: %(amount)s") % {
            **common,
            "date": display_date(since),
        }
        changes.append(Change("price_changed", text, main, since))
    elif main != 0:
        if main < 0:
            text = _("%(item)s, credit for the days not used, %(dates)s: %(amount)s") % common
        else:
            text = _("%(item)s, partial month %(dates)s: %(amount)s") % common
        changes.append(Change("proration", text, main, _first_day(item.now_partial)))

    carried = -_total(item.before_partial)
    if carried != 0:
        text = _("Last bill's partial month for %(item)s is not repeated: %(amount)s") % {
            "item": label,
            "amount": words.money(carried),
        }
        changes.append(Change("proration", text, carried))
    return changes


def _promotion_end(item: _Item, words: _Words, monthly_difference: int) -> dt.date | None:
    """The promotion's last day, when this bill shows it ended: its discount stops
    before the service's line does, or there is no discount any more."""
    if not item.now_monthly:
        handed_back = _first_day(item.now_partial)  # discount days given back: it ended early
        if handed_back is not None and _total(item.now_partial) > 0:
            return handed_back - _ONE_DAY
        return _last_day(item.before_monthly) if item.before_monthly else None
    ends = _last_day(item.now_monthly)
    service_ends = words.service_ends.get(item.lines()[0].group_key)
    if monthly_difference > 0 and ends and service_ends and ends < service_ends:
        return ends
    return None


def _draft(
    kind: str, text: str, amount: int, on: dt.date | None, item: _Item, label: str
) -> _Draft:
    first = item.lines()[0]
    return _Draft(
        kind, text, amount, on, item_label=label, category=first.category, prefix=item.prefix
    )


def _merge_plan_changes(changes: list[Change], words: _Words) -> list[Change]:
    """A service that ended the day before another of its kind started is a plan
    change; an add-on that did the same moved with it."""
    removed = [c for c in changes if isinstance(c, _Draft) and c.kind == "removed"]
    added = [c for c in changes if isinstance(c, _Draft) and c.kind == "added"]
    replaced: dict[int, Change | None] = {}
    for old in removed:
        for new in added:
            if id(new) in replaced or old.prefix != new.prefix or old.category != new.category:
                continue
            if old.on is None or new.on is None or old.on + _ONE_DAY != new.on:
                continue
            if old.prefix == "sub":
                text = _("Plan changed from %(old)s to %(new)s on %(date)s: %(amount)s") % {
                    "old": old.item_label,
                    "new": new.item_label,
                    "date": display_date(new.on),
                    "amount": words.money(old.amount_cents + new.amount_cents),
                }
            elif old.item_label == new.item_label:
                text = _("%(item)s moved to your new plan on %(date)s: %(amount)s") % {
                    "item": new.item_label,
                    "date": display_date(new.on),
                    "amount": words.money(old.amount_cents + new.amount_cents),
                }
            else:
                continue
            merged = Change("plan_changed", text, old.amount_cents + new.amount_cents, new.on)
            replaced[id(old)] = merged
            replaced[id(new)] = None
            break
    result: list[Change] = []
    for change in changes:
        if id(change) in replaced:
            merged_change = replaced[id(change)]
            if merged_change is not None:
                result.append(merged_change)
            continue
        result.append(
            Change(change.kind, change.text, change.amount_cents, change.on)
            if isinstance(change, _Draft)
            else change
        )
    return result


def _tax_change(
    before: Sequence[LineLike], now: Sequence[LineLike], words: _Words
) -> Change | None:
    amount = _total(now) - _total(before)
    if amount == 0:
        return None
    rates_before = {line.item_key: line.percent for line in before if line.percent is not None}
    for line in now:
        old = rates_before.get(line.item_key)
        if line.percent is not None and old is not None and old != line.percent:
            text = _("Taxes and fees, with %(tax)s going from %(old)s to %(new)s: %(amount)s") % {
                "tax": label_in(line, words.language),
                "old": percent_text(old),
                "new": percent_text(line.percent),
                "amount": words.money(amount),
            }
            return Change("taxes_changed", text, amount)
    text = _("Taxes and fees, following your charges: %(amount)s") % {"amount": words.money(amount)}
    return Change("taxes_changed", text, amount)


def explain_invoice(invoice: Invoice, *, language: str) -> list[Change] | None:
    """Why ``invoice`` differs from the account's bill before it (the latest earlier one
    that was not voided); None for the first bill."""
    previous = (
        Invoice.objects.filter(account_id=invoice.account_id, period_start__lt=invoice.period_start)
        .exclude(status=InvoiceStatus.VOID)
        .order_by("-period_start", "-id")
        .first()
    )
    if previous is None:
        return None
    lines = list(
        InvoiceLine.objects.filter(invoice_id__in=[previous.pk, invoice.pk]).order_by(
            "invoice_id", "position"
        )
    )
    return explain(
        [line for line in lines if line.invoice_id == previous.pk],
        [line for line in lines if line.invoice_id == invoice.pk],
        language=language,
        currency=invoice.currency,
    )
