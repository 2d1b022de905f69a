"""The customer hub's usage section: each internet and mobile service's current bill
cycle (billable data against the allowance) and a link to the usage page. Empty when
the staff member may not read usage or the account has no such service."""

from __future__ import annotations

from dropline.accounts.models import User
from dropline.core import clock
from dropline.customers.models import CustomerAccount
from dropline.usage import lookup


def account_usage_context(account: CustomerAccount, *, user: User) -> dict[str, object]:
    """``{"usage_hub": {...}}`` for the hub, or ``{}``. Two queries."""
    if not user.has_perm("usage.view_usagecycle"):
        return {}
    services = lookup.account_usage(account=account, today=clock.today(), with_sessions=False)
    if not services:
        return {}
    return {"usage_hub": {"services": services}}
