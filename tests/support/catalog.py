"""A small catalogue and an account with a promotional internet service, built through
the product's own writes, for tests of pricing, rating and the forecast."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from dropline.catalog.models import AddOn, EquipmentModel, Plan, Promotion
from dropline.customers.models import CustomerAccount, ServiceAddress, ServiceArea
from dropline.customers.onboarding import open_account
from dropline.subscriptions.models import Subscription
from dropline.subscriptions.ordering import subscribe

_serial = itertools.count(1)


@dataclass
class Catalog:
    internet: Plan
    faster: Plan
    tv: Plan
    promotion: Promotion
    boost: AddOn
    static_ip: AddOn
    sports: AddOn
    modem: EquipmentModel


def make_catalog() -> Catalog:
    internet = Plan.objects.create(
        code="internet-500", kind="internet", name="Internet 500", monthly_price_cents=7000
    )
    return Catalog(
        internet=internet,
        faster=Plan.objects.create(
            code="internet-1000", kind="internet", name="Internet 1000", monthly_price_cents=9000
        ),
        tv=Plan.objects.create(
            code="tv", kind="tv", name="TV Essentials", monthly_price_cents=4000
        ),
        promotion=Promotion.objects.create(
            code="spring",
            name="Spring offer",
            name_es="Oferta de primavera",
            plan=internet,
            monthly_price_cents=4500,
            duration_months=3,
        ),
        boost=AddOn.objects.create(
            code="boost",
            kind="internet",
            name="Wi-Fi boost",
            name_es="Refuerzo de Wi-Fi",
            monthly_price_cents=500,
        ),
        static_ip=AddOn.objects.create(
            code="static-ip", kind="internet", name="Static IP", monthly_price_cents=1000
        ),
        sports=AddOn.objects.create(
            code="sports", kind="tv", name="Sports pack", monthly_price_cents=1200
        ),
        modem=EquipmentModel.objects.create(
            code="modem",
            kind="modem",
            manufacturer="Arris",
            model_name="SB8200",
            monthly_rental_cents=1000,
        ),
    )


def account_with_internet(
    catalog: Catalog,
    *,
    opened_on: dt.date,
    bill_cycle_day: int = 5,
    promotion: bool = True,
    language: str = "en",
) -> tuple[CustomerAccount, Subscription]:
    """An account opened on ``opened_on`` with Internet 500 ($70.00), on the spring offer
    ($45.00 for three months) unless told otherwise."""
    area, _ = ServiceArea.objects.get_or_create(code="river", defaults={"name": "Riverbend"})
    address = ServiceAddress.objects.create(
        line1=f"{next(_serial)} River Street",
        city="Riverbend",
        county="Johnson",
        region="IA",
        postal_code="52240",
        service_area=area,
    )
    account = open_account(
        name="Rivera Household",
        service_address=address,
        bill_cycle_day=bill_cycle_day,
        opened_on=opened_on,
        preferred_language=language,
    )
    subscription = subscribe(
        account=account,
        plan=catalog.internet,
        started_on=opened_on,
        promotion=catalog.promotion if promotion else None,
    )
    return account, subscription
