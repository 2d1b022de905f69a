"""Accounts for bill runs: internet customers whose holders are told by email and in the
portal, and the facts a test checks after a run."""

from __future__ import annotations

import datetime as dt
import itertools

from dropline.accounts.models import User
from dropline.billing.models import Invoice
from dropline.customers.models import CustomerAccount, MemberRole
from dropline.customers.onboarding import add_member
from dropline.ledger.checks import run_checks
from dropline.notifications.contacts import add_verified_contact
from dropline.notifications.models import ContactKind, Message
from tests.support.catalog import Catalog, account_with_internet

_serial = itertools.count(1)


def billable_accounts(
    catalog: Catalog,
    *,
    count: int,
    opened_on: dt.date,
    bill_cycle_day: int = 5,
    language: str = "en",
    holders: bool = True,
) -> list[CustomerAccount]:
    """``count`` accounts with Internet 500 (on the spring offer), each with a holder who
    has a verified email (no password: nobody signs in here, and hashing is slow)."""
    accounts = []
    for _ in range(count):
        account, _sub = account_with_internet(
            catalog, opened_on=opened_on, bill_cycle_day=bill_cycle_day, language=language
        )
        if holders:
            n = next(_serial)
            user = User.objects.create(
                username=f"billed{n}", email=f"billed{n}@example.com", password="!"
            )
            add_member(account=account, user=user, role=MemberRole.HOLDER)
            add_verified_contact(
                user=user, kind=ContactKind.EMAIL, address=user.email, primary=True
            )
        accounts.append(account)
    return accounts


def broken_invariants() -> list[str]:
    """Every ledger and billing check that does not hold, with what it found."""
    return [f"{name}: {finding}" for name, finding in run_checks() if finding]


def invoices_per_account_and_cycle() -> dict[tuple[int, dt.date], int]:
    counts: dict[tuple[int, dt.date], int] = {}
    for key in Invoice.objects.exclude(status="void").values_list("account_id", "period_start"):
        counts[key] = counts.get(key, 0) + 1
    return counts


def bill_notices_per_invoice() -> dict[str, int]:
    """subject key (``invoice:<id>``) -> how many "bill ready" messages were recorded."""
    counts: dict[str, int] = {}
    for key in Message.objects.filter(event="invoice_ready").values_list("subject_key", flat=True):
        counts[key] = counts.get(key, 0) + 1
    return counts
