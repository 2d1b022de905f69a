"""Which account a person sees first when they belong to several."""

from __future__ import annotations

import pytest

from dropline.customers.models import MemberRole
from dropline.customers.onboarding import add_member
from dropline.customers.queries import choose_membership, memberships_for
from tests.support.factories import make_customer

pytestmark = pytest.mark.django_db


def test_accounts_they_hold_come_before_accounts_they_may_only_view():
    # Omar is an authorized user on an account numbered before his own.
    parents = make_customer(username="parents")
    omar = make_customer(username="omar")
    add_member(account=parents.account, user=omar.user, role=MemberRole.AUTHORIZED)
    assert parents.account.number < omar.account.number

    roles = [m.role for m in memberships_for(user=omar.user)]
    assert roles == [MemberRole.HOLDER, MemberRole.AUTHORIZED]
    chosen, others = choose_membership(user=omar.user, account_id=None)
    assert chosen is not None
    assert chosen.account == omar.account
    assert [m.account for m in others] == [parents.account]
