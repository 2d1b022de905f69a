"""Bundles in the catalogue, and a household whose internet and TV make one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dropline.catalog.models import Bundle, Plan
from dropline.customers.models import CustomerAccount
from dropline.subscriptions.models import Subscription
from dropline.subscriptions.ordering import subscribe
from tests.support.catalog import Catalog, account_with_internet, make_catalog

LAUNCHED = dt.date(2026, 1, 1)


def make_bundle(
    code: str = "internet-tv",
    *,
    kinds: tuple[str, ...] = ("internet", "tv"),
    discount: int = 1000,
    name: str = "Internet + TV",
    name_es: str = "Internet + TV",
    starts_on: dt.date = LAUNCHED,
    ends_on: dt.date | None = None,
    on_offer: bool = True,
) -> Bundle:
    return Bundle.objects.create(
        code=code,
        name=name,
        name_es=name_es,
        kinds=list(kinds),
        monthly_discount_cents=discount,
        starts_on=starts_on,
        ends_on=ends_on,
        is_active=on_offer,
    )


def home_phone_plan(code: str = "phone-unlimited", price: int = 2500) -> Plan:
    return Plan.objects.create(
        code=code,
        kind="phone",
        name="Home Phone Unlimited",
        name_es="Teléfono residencial ilimitado",
        description="Unlimited nationwide calling, with voicemail and caller ID.",
        description_es="Llamadas nacionales ilimitadas, con buzón de voz e identificador.",
        monthly_price_cents=price,
    )


@dataclass
class BundledHome:
    catalog: Catalog
    account: CustomerAccount
    internet: Subscription
    tv: Subscription


def bundled_home(*, opened_on: dt.date, tv_from: dt.date | None = None) -> BundledHome:
    """An account with Internet 500 at $70.00 (no promotion) and TV Essentials at $40.00
    (from ``tv_from``, the opening day unless told)."""
    catalog = make_catalog()
    account, internet = account_with_internet(catalog, opened_on=opened_on, promotion=False)
    tv = subscribe(account=account, plan=catalog.tv, started_on=tv_from or opened_on)
    return BundledHome(catalog=catalog, account=account, internet=internet, tv=tv)
