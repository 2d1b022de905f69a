"""The customer hub lists the account's plan and add-on changes, read-only, to staff
who may read orders; an account without any shows no section."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from dropline.accounts import roles
from dropline.core import clock
from dropline.orders.placing import place_order
from tests.support.billing import at
from tests.support.orders import make_home, make_shop, plan_change
from tests.support.staff import make_staff
from tests.support.staff_billing import visible_text

pytestmark = pytest.mark.django_db


def section(html: str) -> str:
    found = re.search(r'<div class="hub-orders">.*?</table>', html, re.S)
    return found.group(0) if found else ""


def hub(client, account) -> str:
    return client.get(reverse("backoffice:customer", args=[account.number])).content.decode()


def test_the_hub_lists_the_accounts_changes(client):
    shop = make_shop()
    home = make_home(shop)
    quiet = make_home(shop, username="quiet")
    with clock.frozen(at(dt.date(2026, 3, 12))):
        place_order(
            user=home.holder,
            account=home.account,
            change=plan_change(home.internet, shop.basic),
            fingerprint=None,
            language="en",
        )
    client.force_login(make_staff(username="agent", role=roles.CUSTOMER_CARE))
    text = visible_text(section(hub(client, home.account)))
    assert "Plan and add-on changes" in text
    assert "Internet 500 to Internet 300" in text
    assert "Pending" in text
    assert "$90.00 to $70.00" in text
    assert "Cancel" not in text  # read-only for staff
    assert section(hub(client, quiet.account)) == ""
