"""``dropline seed demo``: what it prints is what a person can try."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command

from dropline.customers.models import CustomerAccount, MemberRole
from dropline.identity import claiming

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = io.StringIO()
    call_command("seed", "demo", stdout=out)
    return out.getvalue()


def test_the_printed_bill_details_get_a_login_for_the_demo_customer_without_one():
    printed = seed()
    found = re.search(r"get a login: +account (\S+), ZIP (\d{5}), last name (\w+)", printed)
    assert found, printed
    number, postal_code, last_name = found.groups()
    account = CustomerAccount.objects.get(number=number)
    assert not account.members.exists()
    assert account.subscriptions.exists()  # something to see once signed in

    user = claiming.claim_account(
        account_number=number,
        postal_code=postal_code,
        last_name=last_name,
        username="grace",
        email="grace@example.com",
        password="a long demo passphrase 42",
        request_ip="127.0.0.1",
    ).user
    assert account.members.get().user == user
    assert account.members.get().role == MemberRole.HOLDER
    # Once claimed, the demo no longer offers it, and seeding again adds nothing.
    again = seed()
    assert "get a login" not in again
    assert "0 records created" in again
