"""A provider's shop for tests of plan and add-on changes: plans on sale in one area,
add-ons, modems of different speeds, and a household with internet and TV, billed by
the product's own invoicing."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from dropline.accounts.models import User
from dropline.catalog.models import AddOn, BroadbandLabel, EquipmentModel, Plan, Promotion
from dropline.customers.models import (
    CustomerAccount,
    MemberRole,
    ServiceAddress,
    ServiceArea,
)
from dropline.customers.onboarding import add_member, open_account
from dropline.network.installation import install_equipment
from dropline.network.models import Equipment
from dropline.orders.changes import ADD_ADD_ON, CHANGE_PLAN, REMOVE_ADD_ON, Change
from dropline.orders.models import Order
from dropline.orders.placing import place_order
from dropline.subscriptions.models import Subscription
from dropline.subscriptions.ordering import subscribe
from tests.support.billing import iowa_tax_table
from tests.support.factories import make_user

_serial = itertools.count(1)
OPENED = dt.date(2026, 1, 5)


@dataclass
class Shop:
    area: ServiceArea
    elsewhere: ServiceArea
    basic: Plan  # Internet 300, $50.00
    ultra: Plan  # Internet 500, $70.00, with a first-year price of $50.00
    gig: Plan  # Internet Gig, $90.00, 1000 Mbps: needs the multi-gig gateway
    far: Plan  # Internet 2000, on sale only elsewhere
    retired: Plan  # no longer on sale
    tv: Plan
    tv_gold: Plan
    ultra_offer: Promotion
    boost: AddOn
    static_ip: AddOn
    sports: AddOn
    gateway: EquipmentModel  # up to 500 Mbps, $15.00
    multigig: EquipmentModel  # any speed, $18.00, installed by a technician


def make_shop() -> Shop:
    area, _ = ServiceArea.objects.get_or_create(code="river", defaults={"name": "Riverbend"})
    elsewhere, _ = ServiceArea.objects.get_or_create(code="hills", defaults={"name": "Hills"})

    def plan(code: str, kind: str, name: str, price: int, down: int | None, **extra: Any) -> Plan:
        made = Plan.objects.create(
            code=code,
            kind=kind,
            name=name,
            name_es=str(extra.pop("name_es", name)),
            monthly_price_cents=price,
            download_mbps=down,
            upload_mbps=down // 10 if down else None,
            **extra,
        )
        return made

    basic = plan("internet-300", "internet", "Internet 300", 5000, 300, sort_order=1)
    ultra = plan("internet-500", "internet", "Internet 500", 7000, 500, sort_order=2)
    gig = plan("internet-gig", "internet", "Internet Gig", 9000, 1000, sort_order=3)
    far = plan("internet-2000", "internet", "Internet 2000", 12000, 2000, sort_order=4)
    retired = plan("internet-100", "internet", "Internet 100", 3000, 100, is_active=False)
    tv = plan("tv-select", "tv", "TV Select", 6000, None, name_es="TV Selecta")
    tv_gold = plan("tv-gold", "tv", "TV Gold", 11000, None, name_es="TV Oro")
    for each in (basic, ultra, gig, retired, tv, tv_gold):
        each.service_areas.add(area)
    far.service_areas.add(elsewhere)
    offer = Promotion.objects.create(
        code="ultra-year",
        name="First-year price",
        name_es="Precio del primer año",
        plan=ultra,
        monthly_price_cents=5000,
        duration_months=12,
    )
    return Shop(
        area=area,
        elsewhere=elsewhere,
        basic=basic,
        ultra=ultra,
        gig=gig,
        far=far,
        retired=retired,
        tv=tv,
        tv_gold=tv_gold,
        ultra_offer=offer,
        boost=AddOn.objects.create(
            code="boost", kind="internet", name="Wi-Fi boost", name_es="Refuerzo de Wi-Fi",
            monthly_price_cents=500,
        ),
        static_ip=AddOn.objects.create(
            code="static-ip", kind="internet", name="Static IP", name_es="IP fija",
            monthly_price_cents=1000,
        ),
        sports=AddOn.objects.create(
            code="sports", kind="tv", name="Sports pack", name_es="Paquete de deportes",
            monthly_price_cents=899,
        ),
        gateway=EquipmentModel.objects.create(
            code="gw-500", kind="gateway", manufacturer="Arris", model_name="G54",
            monthly_rental_cents=1500, max_download_mbps=500, delivery="ship",
        ),
        multigig=EquipmentModel.objects.create(
            code="gw-multi", kind="gateway", manufacturer="Arris", model_name="G74",
            monthly_rental_cents=1800, max_download_mbps=None, delivery="install",
        ),
    )  # fmt: skip


@dataclass
class Home:
    account: CustomerAccount
    holder: User
    internet: Subscription
    tv: Subscription
    gateway: Equipment


def make_home(
    shop: Shop,
    *,
    username: str = "rivera",
    opened_on: dt.date = OPENED,
    bill_cycle_day: int = 5,
    plan: Plan | None = None,
    language: str = "en",
) -> Home:
    """A household on ``plan`` (Internet 500 by default, no promotion) with the Wi-Fi
    boost, TV Select with the sports pack, and a rented 500 Mbps gateway."""
    iowa_tax_table()
    address = ServiceAddress.objects.create(
        line1=f"{next(_serial)} River Street",
        city="Riverbend",
        county="Johnson",
        region="IA",
        postal_code="52240",
        service_area=shop.area,
    )
    account = open_account(
        name=f"{username.title()} Household",
        service_address=address,
        bill_cycle_day=bill_cycle_day,
        opened_on=opened_on,
        preferred_language=language,
        email=f"{username}@example.com",
    )
    holder = make_user(username=username)
    add_member(account=account, user=holder, role=MemberRole.HOLDER)
    internet = subscribe(
        account=account, plan=plan or shop.ultra, started_on=opened_on, add_ons=[shop.boost]
    )
    tv = subscribe(account=account, plan=shop.tv, started_on=opened_on, add_ons=[shop.sports])
    gateway = install_equipment(
        account=account,
        model=shop.gateway,
        serial_number=f"GW{next(_serial):08d}",
        installed_on=opened_on,
        subscription=internet,
    )
    return Home(account=account, holder=holder, internet=internet, tv=tv, gateway=gateway)


def contract(plan: Plan, months: int) -> BroadbandLabel:
    return BroadbandLabel.objects.create(
        plan=plan,
        contract_months=months,
        typical_download_mbps=plan.download_mbps or 1,
        typical_upload_mbps=plan.upload_mbps or 1,
        typical_latency_ms=20,
        network_management_url="https://example.com/network",
        privacy_policy_url="https://example.com/privacy",
    )


def plan_change(service: Subscription, plan: Plan) -> Change:
    return Change(subscription_id=service.pk, action=CHANGE_PLAN, plan_code=plan.code)


def add(service: Subscription, add_on: AddOn) -> Change:
    return Change(subscription_id=service.pk, action=ADD_ADD_ON, add_on_code=add_on.code)


def remove(service: Subscription, add_on: AddOn) -> Change:
    return Change(subscription_id=service.pk, action=REMOVE_ADD_ON, add_on_code=add_on.code)


def line_facts(lines: Iterable[Any]) -> list[tuple[object, ...]]:
    """What a bill's lines say, without the row ids in their item keys."""
    return [
        (
            line.kind,
            line.category,
            line.label,
            line.period_start,
            line.period_end,
            line.quantity,
            line.amount_cents,
        )
        for line in lines
    ]


def pending_order(customer: Any) -> Order:
    """A plan change of ``customer``'s (from ``factories.make_customer``) to a cheaper
    plan, waiting for the next bill cycle."""
    service = Subscription.objects.filter(account=customer.account).order_by("id").first()
    assert service is not None
    lite, _ = Plan.objects.get_or_create(
        code="test-internet-lite",
        defaults={"kind": "internet", "name": "Test Internet Lite", "monthly_price_cents": 3000},
    )
    lite.service_areas.add(customer.account.service_address.service_area)
    return place_order(
        user=customer.user,
        account=customer.account,
        change=plan_change(service, lite),
        fingerprint=None,
        language="en",
    )
