"""Scheduled catalogue prices: a small catalogue with subscribers on its plans, each
account with a holder who signs in, made through the product's own writes, and the
clock at a fixed "today"."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from dropline.accounts.models import User
from dropline.customers.models import CustomerAccount, MemberRole
from dropline.customers.onboarding import add_member
from dropline.subscriptions.models import Subscription
from tests.support.billing import at
from tests.support.catalog import Catalog, account_with_internet, make_catalog
from tests.support.factories import make_user

D = dt.date
_serial = itertools.count(1)

OPENED = D(2026, 1, 5)
# "Today" in these tests; 30 days later is April 10, 2026.
TODAY = D(2026, 3, 11)
NOW = at(TODAY)
# A rise from $70.00 to $80.00 on April 20, 2026: inside the cycle of April 5 to May 4.
RISE_ON = D(2026, 4, 20)
OLD_CENTS = 7000
NEW_CENTS = 8000


@dataclass
class Subscriber:
    account: CustomerAccount
    internet: Subscription
    holder: User


def subscriber(catalog: Catalog, *, language: str = "en") -> Subscriber:
    """An account opened on Jan. 5, 2026 (bill date the 5th) with Internet 500 at $70.00
    (no promotion), and a holder with a login."""
    account, internet = account_with_internet(
        catalog, opened_on=OPENED, promotion=False, language=language
    )
    holder = make_user(username=f"holder{next(_serial)}")
    if language != "en":
        holder.preferred_language = language
        holder.save(update_fields=["preferred_language"])
    add_member(account=account, user=holder, role=MemberRole.HOLDER)
    return Subscriber(account=account, internet=internet, holder=holder)


def catalog_with_subscribers(count: int = 2) -> tuple[Catalog, list[Subscriber]]:
    catalog = make_catalog()
    return catalog, [subscriber(catalog) for _ in range(count)]
