"""Staff roles: groups with the permissions each job needs."""

from __future__ import annotations

from typing import Any

CUSTOMER_CARE = "Customer care"
BILLING = "Billing"
FIELD_DISPATCH = "Field dispatch"
ADMINISTRATOR = "Administrator"

_READ_CUSTOMERS = [
    "customers.search_customeraccount",
    "customers.view_customeraccount",
    "customers.view_accountmember",
    "customers.view_serviceaddress",
    "customers.view_servicearea",
    "subscriptions.view_subscription",
    "subscriptions.view_subscriptionaddon",
    "network.view_equipment",
    "catalog.view_plan",
    "catalog.view_addon",
    "catalog.view_channel",
    "catalog.view_equipmentmodel",
    "catalog.view_promotion",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    CUSTOMER_CARE: [
        *_READ_CUSTOMERS,
        "customers.change_customeraccount",
        "customers.change_serviceaddress",
        "customers.add_accountmember",
        "customers.delete_accountmember",
    ],
    BILLING: [
        *_READ_CUSTOMERS,
        "core.view_auditevent",
        "subscriptions.change_subscription",
        "catalog.add_plan",
        "catalog.change_plan",
        "catalog.add_promotion",
        "catalog.change_promotion",
        "catalog.add_addon",
        "catalog.change_addon",
    ],
    FIELD_DISPATCH: [
        *_READ_CUSTOMERS,
        "network.add_equipment",
        "network.change_equipment",
    ],
}
ADMIN_APPS = ["core", "accounts", "customers", "catalog", "subscriptions", "network", "auth"]


def sync_roles(apps: Any) -> None:
    """Create or update the role groups. Takes an app registry so migrations can call it."""
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for role, codes in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=role)
        wanted = []
        for code in codes:
            app_label, codename = code.split(".")
            wanted.append(
                permission_model.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(wanted)
    admin_group, _ = group_model.objects.get_or_create(name=ADMINISTRATOR)
    admin_group.permissions.set(
        permission_model.objects.filter(content_type__app_label__in=ADMIN_APPS)
    )
