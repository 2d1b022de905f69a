"""Staff roles: groups with the permissions each job needs."""

from __future__ import annotations

from typing import Any

CUSTOMER_CARE = "Customer care"
BILLING = "Billing"
FIELD_DISPATCH = "Field dispatch"
TECHNICIAN = "Technician"
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
    "orders.view_order",
]

# Invoices, their ledger postings and the account's statement: anyone who answers a
# customer's question about a bill.
_READ_BILLS = [
    "billing.view_invoice",
    "billing.view_invoiceline",
    "billing.view_adjustment",
    "ledger.view_journaltransaction",
    "ledger.view_journalentry",
]

# Usage: a service's data use this cycle, a goodwill credit of data, and RADIUS usernames
# (setting one, and giving a service the usage kept aside under it).
_USAGE_CARE = [
    "usage.view_usagecycle",
    "usage.add_usageadjustment",
    "usage.map_usernames",
]

# Equipment and outages: a device's live status and actions (restart, Wi-Fi), its action
# history and speed tests; declaring, updating and resolving outages and maintenance.
_DEVICE_CARE = [
    "network.manage_devices",
    "network.view_deviceaction",
    "network.view_speedtest",
]
_WRITE_OUTAGES = [
    "network.view_outage",
    "network.add_outage",
    "network.change_outage",
    "network.view_outageupdate",
]

_TICKET_CARE = [
    "helpdesk.view_ticket",
    "helpdesk.change_ticket",
    "helpdesk.view_ticketmessage",
    "helpdesk.add_ticketmessage",
    "helpdesk.view_ticketattachment",
    "helpdesk.view_savedreply",
    "helpdesk.add_savedreply",
    "helpdesk.change_savedreply",
    "helpdesk.view_servicelevel",
    "helpdesk.view_troubleshootingrun",
]
_HELP_EDITING = [
    "helpdesk.view_article",
    "helpdesk.add_article",
    "helpdesk.change_article",
    "helpdesk.publish_article",
]
_BOOK_VISITS = [
    "field.view_appointment",
    "field.add_appointment",
    "field.change_appointment",
    "field.view_visitwindow",
    "field.view_technician",
]
_DISPATCH = [
    *_BOOK_VISITS,
    "field.dispatch_appointment",
    "field.add_technician",
    "field.change_technician",
    "field.view_capacitytemplate",
    "field.add_capacitytemplate",
    "field.change_capacitytemplate",
    "field.delete_capacitytemplate",
    "field.view_capacityexception",
    "field.add_capacityexception",
    "field.change_capacityexception",
    "field.delete_capacityexception",
    "helpdesk.view_ticket",
    "helpdesk.view_ticketmessage",
]

_WRITE_ANNOUNCEMENTS = [
    "notifications.add_announcement",
    "notifications.change_announcement",
    "notifications.view_announcement",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    CUSTOMER_CARE: [
        *_READ_CUSTOMERS,
        "accounts.view_securityevent",
        "notifications.view_message",
        "notifications.view_simulatedsms",
        "notifications.view_announcement",
        "customers.change_customeraccount",
        "customers.change_serviceaddress",
        "customers.add_accountmember",
        "customers.delete_accountmember",
        "customers.add_customernote",
        *_READ_BILLS,
        # Payments: reading them and the saved methods' last four digits.
        "payments.view_payment",
        "payments.view_dispute",
        "payments.change_dispute",
        "payments.view_disputemessage",
        "payments.view_disputeattachment",
        *_USAGE_CARE,
        *_DEVICE_CARE,
        *_WRITE_OUTAGES,
        *_TICKET_CARE,
        *_HELP_EDITING,
        *_BOOK_VISITS,
    ],
    BILLING: [
        *_READ_CUSTOMERS,
        *_READ_BILLS,
        "billing.add_adjustment",
        "billing.void_invoice",
        "billing.view_billrun",
        # The payment gateway's event log (webhooks as received and what they did).
        "payments.view_gatewayevent",
        "billing.add_billrun",
        "billing.view_jurisdiction",
        "billing.view_taxrate",
        "billing.add_taxrate",
        "core.view_auditevent",
        "notifications.view_message",
        "customers.add_customernote",
        "subscriptions.change_subscription",
        # Payments: reading them, and refunds (full or partial, with a reason).
        "payments.view_payment",
        "payments.add_refund",
        "payments.view_dispute",
        "payments.change_dispute",
        "payments.view_disputemessage",
        "payments.view_disputeattachment",
        # Collections: the past-due list, suspending and restoring services.
        "payments.view_collections",
        "payments.suspend_services",
        # Usage: those of customer care, the ingest status and uploading usage files.
        *_USAGE_CARE,
        "usage.view_usagerecord",
        "usage.add_usageimport",
        *_TICKET_CARE,
    ],
    FIELD_DISPATCH: [
        *_READ_CUSTOMERS,
        "network.add_equipment",
        "network.change_equipment",
        *_WRITE_ANNOUNCEMENTS,
        *_DEVICE_CARE,
        *_WRITE_OUTAGES,
        *_DISPATCH,
    ],
    # A technician sees and marks the steps of the visits assigned to them, and nothing
    # else: no customer search, no account pages (``field.own_visits`` scopes every read).
    TECHNICIAN: ["field.work_own_visits"],
}
# Administrators have every permission of these apps: among them, keeping the catalogue
# (plans, promotions, availability, line-ups, add-ons, equipment models and labels) on
# the back-office's catalogue pages, a job no other role has.
ADMIN_APPS = [
    "core",
    "accounts",
    "customers",
    "catalog",
    "subscriptions",
    "network",
    "notifications",
    "billing",
    "orders",
    "ledger",
    "payments",
    "usage",
    "field",
    "helpdesk",
    "auth",
]


def _installed(apps: Any, app_label: str) -> bool:
    """Whether ``app_label``'s models exist in ``apps`` (in a migration, only once the
    app's own migrations have run: a later migration re-syncs the roles then)."""
    try:
        apps.get_app_config(app_label)
    except LookupError:
        return False
    return True


def _declared(apps: Any, app_label: str, codename: str) -> bool:
    """Whether a model of ``app_label`` in ``apps`` declares the permission ``codename``
    (a default one or one of its ``Meta.permissions``)."""
    for model in apps.get_app_config(app_label).get_models():
        options = model._meta
        defaults = {f"{action}_{options.model_name}" for action in options.default_permissions}
        if codename in defaults or codename in {code for code, _name in options.permissions}:
            return True
    return False


def _permission(apps: Any, app_label: str, codename: str) -> Any:
    """The permission, made first when its model is migrated but its permissions were not
    yet created; None when its model is not migrated yet (a later migration of the app's
    roles syncs them again). Any other unknown permission is an error."""
    permission_model = apps.get_model("auth", "Permission")
    found = permission_model.objects.filter(
        content_type__app_label=app_label, codename=codename
    ).first()
    if found is not None:
        return found
    if not _declared(apps, app_label, codename):
        return None
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    create_permissions(global_apps.get_app_config(app_label), verbosity=0, apps=apps)
    return permission_model.objects.get(content_type__app_label=app_label, codename=codename)


def sync_roles(apps: Any) -> None:
    """Create or update the role groups. Takes an app registry so migrations can call it.

    A permission of an app or a model not yet migrated is left out (an earlier migration
    runs before its tables exist; the migration that grants it syncs again).
    """
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for role, codes in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=role)
        wanted = []
        for code in codes:
            app_label, codename = code.split(".")
            if not _installed(apps, app_label):
                continue
            permission = _permission(apps, app_label, codename)
            if permission is not None:
                wanted.append(permission)
        group.permissions.set(wanted)
    admin_group, _ = group_model.objects.get_or_create(name=ADMINISTRATOR)
    admin_group.permissions.set(
        permission_model.objects.filter(content_type__app_label__in=ADMIN_APPS)
    )
