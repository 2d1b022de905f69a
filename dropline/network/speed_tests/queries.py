"""Reading an account's speed tests: the latest, the recent ones for the chart and the
table, and keyset pages for the API. Always within the account asked about."""

from __future__ import annotations

from django.db.models import QuerySet

from dropline.core import pagination
from dropline.customers.models import CustomerAccount
from dropline.network.models import SpeedTest

HISTORY_SIZE = 12


def _of(account: CustomerAccount) -> QuerySet[SpeedTest]:
    return SpeedTest.objects.filter(account=account)


def latest_for(*, account: CustomerAccount) -> SpeedTest | None:
    """The account's most recent test, or None. One query."""
    return _of(account).order_by("-ran_at", "-id").first()


def history(*, account: CustomerAccount, size: int = HISTORY_SIZE) -> list[SpeedTest]:
    """The account's last ``size`` tests, oldest first (as a chart reads). One query."""
    newest = list(_of(account).order_by("-ran_at", "-id")[:size])
    return newest[::-1]


def page_after(
    *, account: CustomerAccount, after: int | None, limit: int | None
) -> pagination.KeysetPage[SpeedTest]:
    """A page of the account's tests, newest recorded first, after the key ``after``."""
    return pagination.keyset_page(
        _of(account), after=after, limit=limit, default_limit=20, max_limit=100
    )
