"""The order lines are shown in: services by kind, then the account's own lines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from dropline.billing.history import (
    AccountHistory,
    SubscriptionTerm,
)
from dropline.billing.lines import RatedLine
from dropline.billing.models import ChargeCategory

KIND_ORDER: dict[str, int] = {
    ChargeCategory.INTERNET.value: 0,
    ChargeCategory.TV.value: 1,
    ChargeCategory.PHONE.value: 2,
    ChargeCategory.MOBILE.value: 3,
}


def services_order(subscription: SubscriptionTerm) -> tuple[int, dt.date, int]:
    return (KIND_ORDER.get(subscription.kind, 9), subscription.started_on, subscription.id)


def group_order(history: AccountHistory, lines: Sequence[RatedLine]) -> list[RatedLine]:
    """Lines of one service together, services in their order (in advance, then the
    true-up), account lines last."""
    rank = {
        subscription.item_key: index
        for index, subscription in enumerate(sorted(history.subscriptions, key=services_order))
    }
    groups: dict[str, list[RatedLine]] = {}
    for line in lines:
        groups.setdefault(line.group_key, []).append(line)
    ordered = sorted(groups, key=lambda group: (group == "account", rank.get(group, len(rank))))
    return [line for group in ordered for line in groups[group]]
