"""Helpers several portal features use: which account the signed-in person is looking at."""

from __future__ import annotations

from django.http import HttpRequest

from dropline.accounts.requests import signed_in_user
from dropline.customers.models import AccountMember
from dropline.customers.queries import membership_for

SESSION_ACCOUNT_KEY = "portal_account_id"


def current_membership(request: HttpRequest) -> AccountMember | None:
    """The account the signed-in person is looking at: always one they belong to."""
    return membership_for(
        user=signed_in_user(request), account_id=request.session.get(SESSION_ACCOUNT_KEY)
    )
