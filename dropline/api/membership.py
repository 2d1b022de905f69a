"""Which account an API call is about: the first of the caller's (as `/me` lists them)
unless ``account`` names another of theirs; a number that is not theirs answers 404."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from dropline.accounts.requests import signed_in_user
from dropline.customers.models import AccountMember
from dropline.customers.numbering import normalize_account_number
from dropline.customers.queries import memberships_for


def membership_asked(request: HttpRequest, account: str | None) -> AccountMember:
    """The caller's membership of the account numbered ``account`` (their first if
    none is given), or 404."""
    memberships = memberships_for(user=signed_in_user(request))
    if account:
        memberships = memberships.filter(account__number=normalize_account_number(account) or "-")
    membership = memberships.first()
    if membership is None:
        raise Http404
    return membership
