"""The back-office's sections, and who sees each: a staff member is shown only the
sections their permissions open. A new domain's staff screen adds its entry here."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dropline.accounts.models import User


@dataclass(frozen=True)
class Section:
    label: Promise
    url_name: str
    # Any one of these permissions opens the section.
    permissions: tuple[str, ...]
    # The pages (URL names in the back-office) that belong to this section.
    pages: tuple[str, ...] = ()


SECTIONS: list[Section] = [
    Section(
        _("Customers"),
        "backoffice:home",
        ("customers.search_customeraccount",),
        ("home", "search", "customer", "customer_note_add", "invitation_codes"),
    ),
    Section(
        _("Message log"),
        "backoffice:messages",
        ("notifications.view_message",),
        ("messages", "message"),
    ),
    Section(
        _("Text inbox"),
        "backoffice:sms_inbox",
        ("notifications.view_simulatedsms",),
        ("sms_inbox",),
    ),
    Section(
        _("Announcements"),
        "backoffice:announcements",
        ("notifications.view_announcement",),
        ("announcements", "announcement", "announcement_new"),
    ),
    Section(
        _("Outages"),
        "backoffice:outages",
        ("network.view_outage",),
        (
            "outages",
            "outage",
            "outage_new",
            "outage_update",
            "outage_resolve",
            "outage_cancel",
        ),
    ),
    Section(
        _("Message templates"),
        "backoffice:template_preview",
        ("notifications.view_announcement",),
        ("template_preview",),
    ),
    Section(
        _("Invoices"),
        "backoffice:invoices",
        ("billing.view_invoice",),
        ("invoices", "invoice", "invoice_void", "adjustment_new", "statement"),
    ),
    Section(
        _("Payments"),
        "backoffice:payments",
        ("payments.view_payment",),
        ("payments", "payment", "payment_refund"),
    ),
    Section(
        _("Bill runs"),
        "backoffice:bill_runs",
        ("billing.view_billrun",),
        ("bill_runs", "bill_run", "bill_run_start"),
    ),
    Section(
        _("Tax table"),
        "backoffice:tax_table",
        ("billing.view_taxrate",),
        ("tax_table", "tax_rate_new"),
    ),
    Section(
        _("Collections"),
        "backoffice:collections",
        ("payments.view_collections",),
        ("collections",),
    ),
    Section(
        _("Catalog prices"),
        "backoffice:prices",
        ("catalog.view_scheduledprice",),
        (
            "prices",
            "price_item",
            "price_schedule",
            "scheduled_price",
            "scheduled_price_cancel",
        ),
    ),
    Section(
        _("Disputes"),
        "backoffice:disputes",
        ("payments.view_dispute",),
        (
            "disputes",
            "dispute",
            "dispute_assign",
            "dispute_message",
            "dispute_credit",
            "dispute_reject",
        ),
    ),
    Section(
        _("Gateway events"),
        "backoffice:gateway_events",
        ("payments.view_gatewayevent",),
        ("gateway_events", "gateway_event"),
    ),
    Section(
        _("Security events"),
        "backoffice:security_events",
        ("accounts.view_securityevent",),
        ("security_events",),
    ),
    Section(
        _("Catalog"),
        "backoffice:catalog",
        ("catalog.change_plan",),
        (
            "catalog",
            "catalog_plan_new",
            "catalog_plan",
            "catalog_plan_edit",
            "catalog_plan_areas",
            "catalog_plan_line_up",
            "catalog_label",
            "catalog_promotion_new",
            "catalog_promotion_edit",
            "catalog_channels",
            "catalog_channel_new",
            "catalog_channel_edit",
            "catalog_add_ons",
            "catalog_add_on_new",
            "catalog_add_on_edit",
            "catalog_add_on_line_up",
            "catalog_equipment",
            "catalog_equipment_new",
            "catalog_equipment_edit",
        ),
    ),
    Section(
        _("Usage"),
        "backoffice:usage_ops",
        (
            "usage.view_usagerecord",
            "usage.view_collector",
            "usage.add_usageimport",
            "usage.map_usernames",
        ),
        (
            "usage_ops",
            "usage_status",
            "usage_collectors",
            "usage_collector_add",
            "usage_collector_revoke",
            "usage_imports",
            "usage_unknown",
            "usage_assign",
            "usage_service_username",
        ),
    ),
    Section(
        _("Equipment"),
        "backoffice:equipment",
        ("network.view_equipment",),
        ("equipment", "equipment_device", "equipment_restart", "equipment_wifi"),
    ),
    Section(
        _("Technician visits"),
        "backoffice:dispatch",
        ("field.view_appointment",),
        (
            "dispatch",
            "dispatch_appointment",
            "dispatch_assign",
            "dispatch_status",
            "dispatch_technicians",
            "dispatch_technician_new",
            "dispatch_technician",
            "dispatch_templates",
            "dispatch_template_add",
            "dispatch_template",
            "dispatch_template_remove",
            "dispatch_exceptions",
            "dispatch_exception_add",
            "dispatch_exception_remove",
        ),
    ),
    # A technician's own visits: the only section the Technician role opens.
    Section(
        _("My visits"),
        "backoffice:my_visits",
        ("field.work_own_visits",),
        ("my_visits", "my_visits_step"),
    ),
    Section(
        _("Tickets"),
        "backoffice:tickets",
        ("helpdesk.view_ticket",),
        (
            "tickets",
            "ticket",
            "ticket_reply",
            "ticket_note",
            "ticket_assign",
            "ticket_merge",
            "ticket_escalate",
            "ticket_close",
            "saved_replies",
            "saved_reply_new",
            "saved_reply_edit",
            "service_levels",
            "service_level_save",
        ),
    ),
    Section(
        _("Help articles"),
        "backoffice:help_articles",
        ("helpdesk.view_article",),
        (
            "help_articles",
            "help_article_new",
            "help_article",
            "help_article_publish",
            "help_article_withdraw",
        ),
    ),
    # The Django admin: administrators, and the role that keeps the equipment records
    # there (the catalogue is read only there: it is kept on the catalog pages).
    Section(
        _("Records"),
        "admin:index",
        ("auth.view_group", "network.change_equipment"),
    ),
]


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    current: bool


def sections_for(user: User, *, current_page: str = "") -> list[NavItem]:
    """The sections ``user`` may open, in order; ``current_page`` (a URL name) marks
    the one being shown."""
    return [
        NavItem(
            label=str(section.label),
            url=reverse(section.url_name),
            current=current_page in section.pages,
        )
        for section in SECTIONS
        if any(user.has_perm(permission) for permission in section.permissions)
    ]
