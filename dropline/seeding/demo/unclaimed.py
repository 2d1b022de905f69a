"""A demo customer without a login yet, to try "Get a login" with the bill's details."""

from __future__ import annotations

from dropline.catalog.models import EquipmentModel, Plan
from dropline.core import clock
from dropline.core.dates import add_months
from dropline.customers.models import CustomerAccount, ServiceAddress, ServiceArea
from dropline.customers.onboarding import open_account
from dropline.network.installation import install_equipment
from dropline.seeding.demo.household import COUNTY
from dropline.subscriptions.ordering import subscribe

ACCOUNT_NAME = "Grace Okafor"
LAST_NAME = "Okafor"
ADDRESS_LINE = "27 Mill Street"
POSTAL_CODE = "52240"


def unclaimed_account() -> CustomerAccount | None:
    return CustomerAccount.objects.filter(
        name=ACCOUNT_NAME, service_address__line1=ADDRESS_LINE
    ).first()


def load() -> int:
    if unclaimed_account() is not None:
        return 0
    opened = add_months(clock.today(), -3)
    address = ServiceAddress.objects.create(
        line1=ADDRESS_LINE,
        city="Riverbend",
        county=COUNTY,
        region="IA",
        postal_code=POSTAL_CODE,
        service_area=ServiceArea.objects.get(code="riverbend-south"),
    )
    account = open_account(
        name=ACCOUNT_NAME,
        service_address=address,
        bill_cycle_day=opened.day,
        email="grace.okafor@example.com",
        opened_on=opened,
    )
    internet = subscribe(
        account=account, plan=Plan.objects.get(code="internet-300"), started_on=opened
    )
    install_equipment(
        account=account,
        model=EquipmentModel.objects.get(code="gw-xb8"),
        serial_number="DRG54A7719904",
        mac_address="a4:3e:51:0c:99:04",
        subscription=internet,
        installed_on=opened,
    )
    return 4  # the address, the account, the service and the gateway


def claim_details() -> str:
    """What to type at "Get a login" for this account, for the seed command to print."""
    account = unclaimed_account()
    if account is None or account.members.exists():
        return ""
    return f"account {account.number}, ZIP {POSTAL_CODE}, last name {LAST_NAME}"
