"""Opening customer accounts and adding the people who may sign in to them."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction

from dropline.accounts.models import User
from dropline.core import clock
from dropline.customers.models import (
    AccountMember,
    AccountStatus,
    CustomerAccount,
    MemberRole,
    ServiceAddress,
)
from dropline.customers.numbering import allocate_account_numbers


class OnboardingError(ValueError):
    """The account or member cannot be created as asked."""


def open_account(
    *,
    name: str,
    service_address: ServiceAddress,
    bill_cycle_day: int,
    email: str = "",
    phone: str = "",
    preferred_language: str = "en",
    opened_on: dt.date | None = None,
    status: str = AccountStatus.ACTIVE,
) -> CustomerAccount:
    if not 1 <= bill_cycle_day <= 31:
        raise OnboardingError("bill_cycle_day must be between 1 and 31")
    if preferred_language not in dict(settings.LANGUAGES):
        raise OnboardingError(f"unsupported language {preferred_language!r}")
    with transaction.atomic():
        (number,) = allocate_account_numbers(1)
        return CustomerAccount.objects.create(
            number=number,
            name=name,
            status=status,
            service_address=service_address,
            email=email,
            phone=phone,
            bill_cycle_day=bill_cycle_day,
            preferred_language=preferred_language,
            currency=settings.DROPLINE_CURRENCY,
            opened_on=opened_on or clock.today(),
        )


def add_member(*, account: CustomerAccount, user: User, role: str) -> AccountMember:
    if role not in MemberRole.values:
        raise OnboardingError(f"unknown role {role!r}")
    if (
        role == MemberRole.HOLDER
        and AccountMember.objects.filter(account=account, role=MemberRole.HOLDER).exists()
    ):
        raise OnboardingError("the account already has a holder")
    member, _ = AccountMember.objects.get_or_create(
        account=account, user=user, defaults={"role": role}
    )
    return member
