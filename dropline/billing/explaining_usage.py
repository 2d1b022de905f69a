"""Why did my bill change: the data lines, per service. Data is billed in arrears, so
one bill may have extra data that the one before did not (or the other way round), or
extra data forgiven as a courtesy. Called by ``explaining`` with the language active;
the amount of each change is the difference of that service's data lines, so the
changes still add up exactly to the difference of the bills."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils.translation import gettext as _

from dropline.billing.describe import LineLike, date_range, label_in, signed
from dropline.billing.models import ChargeCategory

USAGE_CHANGE = "usage"
_COURTESY = "usage-courtesy:"


def _net(lines: Sequence[LineLike]) -> int:
    return sum(line.amount_cents for line in lines)


def usage_changes(
    previous: Sequence[LineLike],
    current: Sequence[LineLike],
    *,
    language: str,
    currency: str,
    labels: dict[str, str],
) -> list[tuple[str, str, int, dt.date | None]]:
    """``(kind, text, amount, day)`` for each service whose data lines differ from the
    bill before, or whose extra data was forgiven this time (an amount of zero)."""
    groups: list[str] = []
    for line in (*current, *previous):
        if line.group_key not in groups:
            groups.append(line.group_key)
    changes = []
    for group in groups:
        now = [line for line in current if line.group_key == group]
        before = [line for line in previous if line.group_key == group]
        change = _change(now, before, language, currency, labels)
        if change is not None:
            changes.append(change)
    return changes


def _change(
    now: Sequence[LineLike],
    before: Sequence[LineLike],
    language: str,
    currency: str,
    labels: dict[str, str],
) -> tuple[str, str, int, dt.date | None] | None:
    first = (now or before)[0]
    amount = _net(now) - _net(before)
    forgiven = any(line.item_key.startswith(_COURTESY) for line in now)
    charged_now, charged_before = _net(now) > 0, _net(before) > 0
    mobile = first.category == ChargeCategory.MOBILE
    values = {
        "service": labels.get(first.group_key) or label_in(first, language),
        "dates": date_range(now[0].period_start, now[0].period_end) if now else "",
        "amount": signed(amount, currency),
    }
    day = now[0].period_start if now else None
    if forgiven and not charged_now:
        text = _(
            "Extra data on %(service)s, %(dates)s, forgiven as a courtesy (the first time "
            "over): %(amount)s"
        )
    elif charged_now and not charged_before:
        text = (
            _("Data by the gig on %(service)s, %(dates)s: %(amount)s")
            if mobile
            else _("Extra data on %(service)s, %(dates)s: %(amount)s")
        )
    elif charged_now and amount > 0:
        text = (
            _("More data by the gig on %(service)s than last time, %(dates)s: %(amount)s")
            if mobile
            else _("More extra data on %(service)s than last time, %(dates)s: %(amount)s")
        )
    elif charged_now and amount < 0:
        text = (
            _("Less data by the gig on %(service)s than last time, %(dates)s: %(amount)s")
            if mobile
            else _("Less extra data on %(service)s than last time, %(dates)s: %(amount)s")
        )
    elif charged_before and not charged_now:
        text = (
            _("No data by the gig on %(service)s this time: %(amount)s")
            if mobile
            else _("No extra data on %(service)s this time: %(amount)s")
        )
    else:
        return None
    return USAGE_CHANGE, text % values, amount, day
