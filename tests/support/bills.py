"""Golden bills: a household whose six bills have something to explain, made through
the product's own writes (pricing, adjustments) and billed month by month under the
clock by ``issue_invoices``; never an invoice written by hand.

The Rivera household, bill date the 5th, opened Jan 5, 2026, Riverbend, Iowa:

1. Jan 5: Internet 500 ($70.00) on the spring offer ($45.00 until Apr 4).
2. Feb 5: the same.
3. Mar 5: Wi-Fi boost ($5.00) added Feb 20: its month, and Feb 20 - Mar 4 prorated.
4. Apr 5: the promotion ended Apr 4.
5. May 5: the price went to $75.00 from May 5; a $49.00 technician visit on Apr 12.
6. Jun 5: a $10.00 outage credit on May 20.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dropline.accounts.models import User
from dropline.billing.adjustments import enter_adjustment
from dropline.billing.models import Invoice
from dropline.core import clock
from dropline.customers.models import CustomerAccount, MemberRole
from dropline.customers.onboarding import add_member
from dropline.subscriptions.models import Subscription
from dropline.subscriptions.pricing import add_add_on, change_price
from tests.support.billing import at, bill_months, iowa_tax_table
from tests.support.catalog import Catalog, account_with_internet, make_catalog
from tests.support.factories import make_user

D = dt.date
OPENED = D(2026, 1, 5)


@dataclass
class Household:
    account: CustomerAccount
    internet: Subscription
    user: User
    invoices: list[Invoice]  # oldest first
    catalog: Catalog

    def bill(self, n: int) -> Invoice:
        """The ``n``-th bill (1 is the first)."""
        return self.invoices[n - 1]


def golden_household(
    *,
    username: str = "rivera",
    language: str = "en",
    catalog: Catalog | None = None,
) -> Household:
    """The Rivera household with its six bills (see the module's story)."""
    iowa_tax_table()
    catalog = catalog or make_catalog()
    account, internet = account_with_internet(
        catalog, opened_on=OPENED, bill_cycle_day=5, language=language
    )
    user = make_user(username=username)
    add_member(account=account, user=user, role=MemberRole.HOLDER)
    invoices = bill_months(account, first=D(2026, 1, 5), months=2)
    with clock.frozen(at(D(2026, 2, 20))):
        add_add_on(subscription=internet, add_on=catalog.boost, started_on=D(2026, 2, 20))
    invoices += bill_months(account, first=D(2026, 3, 5), months=2)
    with clock.frozen(at(D(2026, 4, 12))):
        enter_adjustment(
            account=account,
            kind="charge",
            amount_cents=4900,
            description="Technician visit",
            description_es="Visita del técnico",
            reason="Visit to move the modem",
        )
    with clock.frozen(at(D(2026, 4, 20))):
        change_price(
            subscription=internet,
            monthly_price_cents=7500,
            effective_on=D(2026, 5, 5),
            reason="Yearly price change",
        )
    invoices += bill_months(account, first=D(2026, 5, 5), months=1)
    with clock.frozen(at(D(2026, 5, 20))):
        enter_adjustment(
            account=account,
            kind="credit",
            amount_cents=1000,
            description="Outage credit",
            description_es="Crédito por corte de servicio",
            reason="Outage on May 19",
        )
    invoices += bill_months(account, first=D(2026, 6, 5), months=1)
    assert len(invoices) == 6, invoices
    return Household(
        account=account, internet=internet, user=user, invoices=invoices, catalog=catalog
    )


def billed_customer(*, username: str, months: int = 3, catalog: Catalog | None = None) -> Household:
    """A plainer household (Internet 500 on the spring offer) with ``months`` bills from
    Jan 5, 2026, for tests that need bills but not the whole story."""
    iowa_tax_table()
    catalog = catalog or make_catalog()
    account, internet = account_with_internet(catalog, opened_on=OPENED, bill_cycle_day=5)
    user = make_user(username=username)
    add_member(account=account, user=user, role=MemberRole.HOLDER)
    invoices = bill_months(account, first=OPENED, months=months)
    return Household(
        account=account, internet=internet, user=user, invoices=invoices, catalog=catalog
    )


def bill_the_demo_household(months: int = 4) -> list[Invoice]:
    """Bill the demo household's last ``months`` cycles up to today, when the demo has
    no bills yet (the demo's own history makes them once it bills itself)."""
    from dropline.core.dates import add_months
    from dropline.customers.cycles import cycle_containing
    from dropline.seeding.demo.household import loaded_account

    account = loaded_account()
    assert account is not None
    if Invoice.objects.filter(account=account).exists():
        return list(Invoice.objects.filter(account=account).order_by("sequence"))
    iowa_tax_table()
    today = clock.today()
    first = cycle_containing(account.bill_cycle_day, add_months(today, -(months - 1))).start
    return bill_months(account, first=max(first, account.opened_on), months=months)
