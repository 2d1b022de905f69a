"""Reads of customer accounts, always scoped to who is asking."""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, Max, Q, QuerySet, Value, When

from dropline.accounts.models import User
from dropline.core import clock
from dropline.core.models import AuditEvent
from dropline.customers.models import AccountMember, CustomerAccount, CustomerNote, MemberRole
from dropline.customers.numbering import normalize_account_number

SEARCH_LIMIT = 50


def memberships_for(*, user: User) -> QuerySet[AccountMember]:
    """The accounts ``user`` may sign in to, holder roles first."""
    return (
        AccountMember.objects.filter(user=user)
        .select_related("account")
        .order_by(
            Case(When(role=MemberRole.HOLDER, then=Value(0)), default=Value(1)),
            "account__number",
        )
    )


def choose_membership(
    *, user: User, account_id: int | None
) -> tuple[AccountMember | None, list[AccountMember]]:
    """In one query: the membership for ``account_id`` if ``user`` has one (else their
    first one), and their other memberships. A person belongs to few accounts."""
    memberships = list(
        memberships_for(user=user).select_related("account__service_address__service_area")
    )
    chosen = next((m for m in memberships if m.account_id == account_id), None)
    if chosen is None and memberships:
        chosen = memberships[0]
    return chosen, [m for m in memberships if m is not chosen]


def membership_for(*, user: User, account_id: int | None) -> AccountMember | None:
    """The membership for ``account_id`` if ``user`` has one; else their first one."""
    return choose_membership(user=user, account_id=account_id)[0]


def search_accounts(*, query: str) -> list[CustomerAccount]:
    """Staff search by account number, name, email or phone; at most SEARCH_LIMIT results."""
    text = query.strip()
    if not text:
        return []
    digits = normalize_account_number(text)
    condition = Q(name__icontains=text)
    if "@" in text:
        condition = Q(email__iexact=text) | Q(members__user__email__iexact=text)
    elif digits and len(digits) >= 4 and len(digits) >= len(text.replace(" ", "")) - 3:
        condition |= Q(number__startswith=digits) | Q(phone__endswith=digits[-10:])
    return list(
        CustomerAccount.objects.filter(condition)
        .select_related("service_address")
        .distinct()
        .order_by("number")[:SEARCH_LIMIT]
    )


NOTES_SHOWN = 50
RECENT_ACCOUNTS_SHOWN = 10
RECENT_ACCOUNTS_DAYS = 30


def notes_for(*, account: CustomerAccount, limit: int = NOTES_SHOWN) -> list[CustomerNote]:
    """The account's internal notes, newest first, at most ``limit`` of them."""
    return list(
        CustomerNote.objects.filter(account=account)
        .select_related("author")
        .order_by("-created_at", "-id")[:limit]
    )


def recently_opened(*, user: User, limit: int = RECENT_ACCOUNTS_SHOWN) -> list[CustomerAccount]:
    """The accounts ``user`` opened in the back-office lately (from their own
    ``customer.viewed`` audit events), each once, the most recently opened first."""
    since = clock.now() - dt.timedelta(days=RECENT_ACCOUNTS_DAYS)
    latest = (
        AuditEvent.objects.filter(actor=user, action="customer.viewed", created_at__gte=since)
        .exclude(account_number="")
        .values("account_number")
        .annotate(last_opened=Max("created_at"))
        .order_by("-last_opened")[:limit]
    )
    numbers = [row["account_number"] for row in latest]
    accounts = {
        account.number: account
        for account in CustomerAccount.objects.select_related("service_address").filter(
            number__in=numbers
        )
    }
    return [accounts[number] for number in numbers if number in accounts]
