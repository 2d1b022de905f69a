"""Accounts waiting to be claimed, and the details a person types to claim them."""

from __future__ import annotations

from dropline.customers.models import CustomerAccount, ServiceAddress, ServiceArea
from dropline.customers.onboarding import open_account

PASSWORD = "violet-kettle-harbor-9"


def unclaimed_account(
    *, name: str = "Maria Rivera", postal_code: str = "52240", language: str = "en"
) -> CustomerAccount:
    """An account as it is before anyone has a login for it."""
    area, _ = ServiceArea.objects.get_or_create(code="test-area", defaults={"name": "Test Area"})
    address = ServiceAddress.objects.create(
        line1="12 Willow Bend",
        city="Testville",
        region="IA",
        postal_code=postal_code,
        service_area=area,
    )
    return open_account(
        name=name,
        service_address=address,
        bill_cycle_day=1,
        email="billing@example.com",
        preferred_language=language,
    )


def with_typo(number: str) -> str:
    """The number with its last digit changed: the check digit no longer fits."""
    return number[:-1] + str((int(number[-1]) + 1) % 10)
