"""Factories that build records through the domain functions, as the product does."""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password

from dropline.accounts.models import User
from dropline.accounts.second_factor import enrol_authenticator_app
from dropline.catalog.models import EquipmentModel, Plan, ServiceKind
from dropline.customers.models import CustomerAccount, MemberRole, ServiceAddress, ServiceArea
from dropline.customers.onboarding import add_member, open_account
from dropline.network.installation import install_equipment
from dropline.subscriptions.ordering import subscribe

PASSWORD = "correct-horse-battery-staple"
_serial = itertools.count(1)


@dataclass
class Customer:
    account: CustomerAccount
    user: User
    password: str = PASSWORD


STAFF_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@functools.cache
def _hashed(password: str, hasher: str) -> str:
    """One Argon2id hash per password and hasher for the whole test process, as
    ``create_user`` would make it: hashing costs some 20 ms of CPU and 19 MiB each time,
    and thousands of test users would spend minutes on it. Signing in still verifies the
    hash for real; only its salt is shared between test users."""
    return make_password(password)


def make_user(
    *, username: str, password: str = PASSWORD, second_factor: bool | None = None, **extra: object
) -> User:
    """A user with a verified email; staff get an authenticator app unless told otherwise."""
    email = str(extra.pop("email", f"{username}@example.com"))
    user = User(
        username=User.normalize_username(username),
        email=User.objects.normalize_email(email),
        password=_hashed(password, settings.PASSWORD_HASHERS[0]),
        **extra,
    )
    user.save()
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if second_factor if second_factor is not None else bool(extra.get("is_staff")):
        enrol_authenticator_app(user=user, secret=STAFF_TOTP_SECRET)
    return user


def _area() -> ServiceArea:
    area, _ = ServiceArea.objects.get_or_create(code="test-area", defaults={"name": "Test Area"})
    return area


def _plan(kind: str, code: str, price: int, **extra: object) -> Plan:
    plan, _ = Plan.objects.get_or_create(
        code=code,
        defaults={
            "kind": kind,
            "name": code.replace("-", " ").title(),
            "monthly_price_cents": price,
            **extra,
        },
    )
    return plan


def make_customer(
    *,
    username: str,
    services: int = 1,
    devices: int = 1,
    name: str = "",
    email: str = "",
    phone: str = "",
) -> Customer:
    """An account holder with ``services`` internet services and ``devices`` rented modems."""
    address = ServiceAddress.objects.create(
        line1=f"{next(_serial)} Test Street",
        city="Testville",
        region="IA",
        postal_code="52240",
        service_area=_area(),
    )
    account = open_account(
        name=name or f"{username.title()} Household",
        service_address=address,
        bill_cycle_day=15,
        email=email or f"{username}@example.com",
        phone=phone,
    )
    user = make_user(username=username, email=email or f"{username}@example.com")
    add_member(account=account, user=user, role=MemberRole.HOLDER)
    plan = _plan(ServiceKind.INTERNET, "test-internet", 5000, download_mbps=300, upload_mbps=20)
    modem, _ = EquipmentModel.objects.get_or_create(
        code="test-modem",
        defaults={
            "kind": "modem",
            "manufacturer": "Acme",
            "model_name": "M1",
            "monthly_rental_cents": 1000,
        },
    )
    for _ in range(services):
        subscribe(account=account, plan=plan)
    for _ in range(devices):
        install_equipment(
            account=account,
            model=modem,
            serial_number=f"SN{next(_serial):08d}",
            installed_on=account.opened_on,
        )
    return Customer(account=account, user=user)
