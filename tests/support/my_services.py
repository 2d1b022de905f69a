"""An account with a promotional internet service, a price rise applied during the
promotion and another one still to come, a modem on the service and a spare router,
for the tests of "My services"."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from dropline.accounts.models import User
from dropline.catalog.models import EquipmentModel
from dropline.customers.models import CustomerAccount, MemberRole
from dropline.customers.onboarding import add_member
from dropline.network.installation import install_equipment
from dropline.subscriptions.models import Subscription
from dropline.subscriptions.pricing import change_price
from tests.support.catalog import account_with_internet, make_catalog
from tests.support.factories import make_user

_serial = itertools.count(1)

OPENED = dt.date(2026, 1, 10)
# The spring offer ($45.00) runs three months: to 9 April 2026.
PROMOTION_ENDS = dt.date(2026, 4, 9)
# A rise to $75.00 from 1 March, within the promotion: it applies after it.
RISE_ON = dt.date(2026, 3, 1)
# And a rise to $79.00 still to come.
NEXT_RISE_ON = dt.date(2026, 6, 1)


@dataclass
class Household:
    account: CustomerAccount
    internet: Subscription
    holder: User


def household(*, username: str = "rivera") -> Household:
    catalog = make_catalog()
    account, internet = account_with_internet(catalog, opened_on=OPENED)
    change_price(
        subscription=internet, monthly_price_cents=7500, effective_on=RISE_ON, reason="Rise"
    )
    change_price(
        subscription=internet,
        monthly_price_cents=7900,
        effective_on=NEXT_RISE_ON,
        reason="Network upgrade",
    )
    internet.refresh_from_db()
    holder = make_user(username=username)
    add_member(account=account, user=holder, role=MemberRole.HOLDER)
    modem = catalog.modem
    install_equipment(
        account=account,
        model=modem,
        serial_number=f"MS{next(_serial):08d}",
        installed_on=OPENED,
        subscription=internet,
    )
    router = EquipmentModel.objects.create(
        code=f"router-{next(_serial)}",
        kind="router",
        manufacturer="Eero",
        model_name="Pro 6",
        monthly_rental_cents=500,
    )
    install_equipment(
        account=account, model=router, serial_number=f"RS{next(_serial):08d}", installed_on=OPENED
    )
    return Household(account=account, internet=internet, holder=holder)
