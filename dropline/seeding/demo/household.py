"""The demo household: the Riveras, with internet, TV, two mobile lines and equipment.

They have been customers for a little over a year: the account opened twelve months
before its latest bill date, which was ``LATEST_BILL_DAYS_AGO`` days ago, so the
billing step (``billing.py``) has thirteen bill cycles to run. ``load`` writes what
they had on the day they opened; what they added since is in ``year.py``, replayed
on its day between the bill runs.
"""

from __future__ import annotations

import datetime as dt

from allauth.account.models import EmailAddress

from dropline.accounts.models import User
from dropline.catalog.models import AddOn, EquipmentModel, Plan, Promotion
from dropline.core import clock
from dropline.core.dates import add_months
from dropline.customers.models import (
    AccountMember,
    CustomerAccount,
    MemberRole,
    ServiceAddress,
    ServiceArea,
)
from dropline.customers.onboarding import add_member, open_account
from dropline.network.installation import install_equipment
from dropline.subscriptions.ordering import subscribe

HISTORY_MONTHS = 12  # bill cycles before the latest one
LATEST_BILL_DAYS_AGO = 9
COUNTY = "Johnson"  # Riverbend is in Johnson County, Iowa: the tax table matches it

SERVICE_AREAS = [
    ("riverbend-north", "Riverbend North"),
    ("riverbend-south", "Riverbend South"),
    ("cedar-falls", "Cedar Falls"),
    ("lake-county", "Lake County"),
]


def ensure_user(
    *, username: str, password: str, email: str, first_name: str, last_name: str, **extra: object
) -> tuple[User, bool]:
    """A user with a verified primary email, created if missing (password set only then)."""
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"email": email, "first_name": first_name, "last_name": last_name, **extra},
    )
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user, created


def load() -> int:
    created = 0
    for code, name in SERVICE_AREAS:
        _, was_created = ServiceArea.objects.get_or_create(code=code, defaults={"name": name})
        created += int(was_created)

    holder, was_created = ensure_user(
        username="demo",
        password="dropline-demo",  # noqa: S106 - the published demo login
        email="maria.rivera@example.com",
        first_name="Maria",
        last_name="Rivera",
    )
    created += int(was_created)
    partner, was_created = ensure_user(
        username="jrivera",
        password="dropline-demo-jose",  # noqa: S106 - a published demo login
        email="jose.rivera@example.com",
        first_name="José",
        last_name="Rivera",
        preferred_language="es",
    )
    created += int(was_created)
    if AccountMember.objects.filter(user=holder, role=MemberRole.HOLDER).exists():
        return created

    opened = opened_on(clock.today())
    address = ServiceAddress.objects.create(
        line1="418 Willow Bend Road",
        city="Riverbend",
        county=COUNTY,
        region="IA",
        postal_code="52240",
        service_area=ServiceArea.objects.get(code="riverbend-north"),
    )
    account = open_account(
        name="Maria Rivera",
        service_address=address,
        bill_cycle_day=opened.day,
        email="maria.rivera@example.com",
        phone="+13195550142",
        opened_on=opened,
    )
    add_member(account=account, user=holder, role=MemberRole.HOLDER)
    add_member(account=account, user=partner, role=MemberRole.AUTHORIZED)

    internet = subscribe(
        account=account,
        plan=Plan.objects.get(code="internet-500"),
        promotion=Promotion.objects.get(code="ultra-12mo"),
        add_ons=[AddOn.objects.get(code="wifi-boost")],
        started_on=opened,
    )
    tv = subscribe(
        account=account,
        plan=Plan.objects.get(code="tv-silver"),
        add_ons=[AddOn.objects.get(code="sports-pack"), AddOn.objects.get(code="dvr-service")],
        started_on=opened,
    )
    subscribe(
        account=account,
        plan=Plan.objects.get(code="mobile-unlimited"),
        phone_number="+13195550142",
        label="Maria",
        started_on=opened,
    )
    devices = [
        ("gw-xb8", "DRG54A7710392", "a4:3e:51:0c:77:10", internet),
        ("router-ax", "DRE6P0041877", "f8:bb:bf:22:41:87", internet),
        ("stb-4k", "DRH4K20098812", "00:1a:2b:98:88:12", tv),
        ("stb-mini", "DRHMN3301742", "00:1a:2b:30:17:42", tv),
    ]
    for code, serial, mac, service in devices:
        install_equipment(
            account=account,
            model=EquipmentModel.objects.get(code=code),
            serial_number=serial,
            mac_address=mac,
            subscription=service,
            installed_on=opened,
        )
    return created + 1 + 2 + 3 + len(devices)


def opened_on(today: dt.date) -> dt.date:
    """The day the household's account opened, when the demo is loaded on ``today``."""
    return add_months(today - dt.timedelta(days=LATEST_BILL_DAYS_AGO), -HISTORY_MONTHS)


def loaded_account() -> CustomerAccount | None:
    member = AccountMember.objects.filter(user__username="demo", role=MemberRole.HOLDER).first()
    return member.account if member else None
