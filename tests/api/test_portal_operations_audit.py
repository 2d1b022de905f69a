"""Everything a customer can do on the web, an app can do through the API.

Every address of the customer portal (``dropline/portal/urls.py``) is in the table
below with the API operations that do the same (by operation id, as published in
``/api/v1/openapi.json``), allauth's app endpoints that do it (``/_allauth/app/v1/...``),
or the reason it has no operation of its own. A new portal page fails the first test
until it is given its operations here; an operation renamed or removed fails the third.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, resolve
from django.urls.exceptions import Resolver404

from dropline.api.api import api
from dropline.portal.urls import urlpatterns as portal_urlpatterns


@dataclass(frozen=True)
class Api:
    """Operations of ``/api/v1``, by id without the ``dropline_api_`` prefix."""

    operations: tuple[str, ...]


@dataclass(frozen=True)
class Allauth:
    """allauth's app endpoints under ``/_allauth/app/v1/``."""

    paths: tuple[str, ...]


@dataclass(frozen=True)
class NoApi:
    """Why this address has no operation: it is not something a customer does."""

    reason: str


def ops(*names: str) -> Api:
    return Api(names)


APP_FILES = NoApi("the web app's own files for installing and working offline")
CONFIRMATION = NoApi("the page shown after the step; the API's answer to the step says it")
MEASURING = NoApi(
    "the browser's speed test measuring against this server under a budget; an app "
    "measures with its own tools and records the figures with POST /speed-tests"
)

# Every portal address (URL name, or its route where it has none) and what does the same.
PORTAL_OPERATIONS: dict[str, Api | Allauth | NoApi | tuple[Api, Allauth]] = {
    # Second factors: Dropline's list and text-message codes; allauth's app endpoints
    # for authenticator apps and passkeys (Dropline's rules routed in front of them).
    "accounts/2fa/": (ops("security_second_factors"), Allauth(("account/authenticators",))),
    "accounts/2fa/totp/deactivate/": Allauth(("account/authenticators/totp",)),
    "accounts/2fa/webauthn/keys/<int:pk>/remove/": Allauth(("account/authenticators/webauthn",)),
    "second_factor:manage": ops("security_second_factors"),
    "second_factor:set_default": ops("security_set_default"),
    "second_factor:add_text_message": ops("security_add_text_message"),
    "second_factor:remove": (
        ops("security_remove_text_message"),
        Allauth(("account/authenticators/totp", "account/authenticators/webauthn")),
    ),
    "second_factor:forget_browsers": ops("security_forget_trusted_browsers"),
    "second_factor:sms_authenticate": ops("sign_in_authenticate"),
    "second_factor:sms_resend": ops("sign_in_send_code"),
    "second_factor:choose_method": ops("sign_in_second_factor_step", "sign_in_choose_route"),
    # Recovery, signed out.
    "recovery:reset_email_request": ops("recovery_reset_by_email"),
    "recovery:reset_email_code": ops("recovery_reset_with_code"),
    "recovery:reset_code_request": ops("recovery_reset_by_text"),
    "recovery:reset_code": ops("recovery_reset_with_code"),
    "recovery:reset_done": CONFIRMATION,
    "recovery:username_reminder": ops("recovery_username_reminder"),
    "recovery:username_reminder_sent": CONFIRMATION,
    # Getting a login, and the people on an account.
    "accounts_portal:claim": ops("claiming_claim", "claiming_claim_for_me"),
    "accounts_portal:invitation": ops("claiming_redeem", "claiming_redeem_for_me"),
    "accounts_portal:people": ops("people_list_people"),
    "accounts_portal:invite": ops("people_invite"),
    "accounts_portal:revoke_invitation": ops("people_revoke"),
    "accounts_portal:remove_member": ops("people_remove"),
    "accounts_portal:member_service_changes": ops("people_change_member"),
    "portal:switch_account": NoApi(
        "the web keeps the chosen account in the session; every API operation takes "
        "?account= instead"
    ),
    # Bills.
    "portal:overview": ops("api_me", "billing_summary", "usage_usage"),
    "billing:overview": ops("billing_summary"),
    "billing:chart": NoApi(
        "a picture of the bill history drawn on the server; its figures are the "
        "invoices' in GET /invoices"
    ),
    "billing:invoices": ops("billing_invoices"),
    "billing:invoice": ops("billing_invoice"),
    "billing:invoice_pdf": ops("billing_invoice_pdf"),
    "billing:changes": ops("billing_changes"),
    "billing:forecast": ops("billing_bill_forecast"),
    "billing:statement": ops("billing_statement"),
    "billing:statement_csv": ops("billing_statement_csv"),
    "billing:statement_pdf": ops("billing_statement_pdf"),
    "disputes:list": ops("disputes_disputes"),
    "disputes:new": ops("disputes_create"),
    "disputes:dispute": ops("disputes_dispute"),
    "disputes:reply": ops("disputes_message"),
    "disputes:withdraw": ops("disputes_withdraw"),
    "disputes:attachment": ops("disputes_download"),
    # Paying.
    "payments:pay": ops("payments_amounts", "payments_make_payment", "payments_schedule"),
    "payments:list": ops("payments_list_payments", "payments_scheduled"),
    "payments:receipt": ops("payments_one_payment"),
    "payments:cancel_scheduled": ops("payments_cancel_scheduled"),
    "payment_methods:list": ops("payment_methods_list_methods"),
    "payment_methods:add": ops("payment_methods_setup", "payment_methods_add"),
    "payment_methods:simulator": NoApi(
        "the card simulator standing in for the gateway's own card form when no gateway "
        "is configured; an app uses the gateway's SDK with POST /payment-methods/setup"
    ),
    "payment_methods:remove": ops("payment_methods_remove"),
    "payment_methods:make_default": ops("payment_methods_choose_default"),
    "autopay:manage": ops("autopay_read", "autopay_put", "autopay_delete"),
    "extension:ask": ops("payment_extension_read", "payment_extension_ask"),
    # Services, plans and orders.
    "services:index": ops("services_services"),
    "changes:extras": ops("services_extras"),
    "changes:lines": ops("services_lines"),
    "changes:compare": ops("services_plan_choices"),
    "changes:plan": ops("orders_preview", "orders_place"),
    "changes:add_ons": ops("services_add_on_choices"),
    "changes:add_add_on": ops("orders_preview", "orders_place"),
    "changes:remove_add_on": ops("orders_preview", "orders_place"),
    "channels:index": ops("channels_channels"),
    "plans:index": ops("plans_plans"),
    "plans:label": ops("plans_label"),
    "orders:index": ops("orders_history"),
    "orders:order": ops("orders_order"),
    "orders:cancel": ops("orders_cancel"),
    # Usage, equipment, outages, speed test, connection check.
    "usage:index": ops("usage_usage", "usage_history"),
    "equipment:index": ops("equipment_equipment"),
    "equipment:device": ops("equipment_device"),
    "equipment:restart": ops("equipment_restart"),
    "equipment:restart_progress": ops("equipment_restart_progress"),
    "equipment:restart_status": ops("equipment_restart_progress"),
    "equipment:wifi": ops("equipment_wifi_networks", "equipment_change_wifi"),
    "outages:index": ops("outages_outages"),
    "outages:watch": ops("outages_watch"),
    "outages:unwatch": ops("outages_unwatch"),
    "status:index": ops("status_areas"),
    "status:area": ops("status_area"),
    "speed_test:index": ops("speed_tests_list_speed_tests"),
    "speed_test:start": MEASURING,
    "speed_test:ping": MEASURING,
    "speed_test:download": MEASURING,
    "speed_test:upload": MEASURING,
    "speed_test:result": ops("speed_tests_record"),
    "connection_check:index": ops("connection_check_check"),
    # Notifications and contacts.
    "notifications:inbox": ops("notifications_list_notifications", "notifications_unread_count"),
    "notifications:mark_all_read": ops("notifications_mark_all_read"),
    "notifications:mark_read": ops("notifications_mark_one_read"),
    "notifications:preferences": ops(
        "notifications_get_preferences", "notifications_put_preferences"
    ),
    "notifications:quiet_hours": ops(
        "notifications_get_quiet_hours", "notifications_put_quiet_hours"
    ),
    "notifications:unsubscribe": NoApi(
        "the one-click link in an e-mail, signed for that message; an app changes the "
        "preferences instead"
    ),
    "notifications:push_devices": ops("push_subscriptions", "push_public_key"),
    "notifications:push_subscribe": ops("push_subscribe"),
    "notifications:push_remove": ops("push_unsubscribe"),
    "notifications:push_test": NoApi(
        "a check that this browser shows the notifications sent to it; an app checks its "
        "own with its platform's tools"
    ),
    "notifications:contacts": ops("contacts_list_contacts"),
    "notifications:add_contact": ops("contacts_add_contact"),
    "notifications:verify_contact": ops("contacts_verify_contact"),
    "notifications:resend_code": ops("contacts_resend_code"),
    "notifications:make_primary": ops("contacts_make_primary"),
    "notifications:remove_contact": ops("contacts_remove_contact"),
    # Security.
    "security:index": ops("security_second_factors", "security_sessions"),
    "security:sessions": ops("security_sessions"),
    "security:end_session": ops("security_end_session"),
    "security:end_other_sessions": ops("security_end_other_sessions"),
    "security:forget_browsers": ops("security_forget_trusted_browsers"),
    "security_activity:index": ops("security_activity"),
    # Support: visits, requests, help, the troubleshooter.
    "appointments:index": ops("appointments_appointments"),
    "appointments:book": ops("appointments_windows", "appointments_book"),
    "appointments:detail": ops("appointments_appointment"),
    "appointments:tracking": ops("appointments_appointment"),
    "appointments:ics": ops("appointments_ics"),
    "appointments:reschedule": ops("appointments_windows", "appointments_reschedule"),
    "appointments:cancel": ops("appointments_cancel"),
    "tickets:index": ops("tickets_tickets"),
    "tickets:new": ops("tickets_create"),
    "tickets:detail": ops("tickets_ticket"),
    "tickets:updates": ops("tickets_ticket"),
    "tickets:reply": ops("tickets_message"),
    "tickets:close": ops("tickets_close"),
    "tickets:rate": ops("tickets_rate"),
    "tickets:attachment": ops("tickets_download"),
    "help:index": ops("help_topics", "help_articles"),
    "help:search": ops("help_articles"),
    "help:topic": ops("help_articles"),
    "help:article": ops("help_article"),
    "help:feedback": ops("help_feedback"),
    "troubleshooter:index": ops("troubleshooter_start"),
    "troubleshooter:run": ops("troubleshooter_run", "troubleshooter_answer"),
    # The installable web app.
    "pwa:manifest": APP_FILES,
    "pwa:service_worker": APP_FILES,
    "pwa:offline": APP_FILES,
}


def _portal_addresses(
    patterns: Iterable[object], route: str = "", namespace: str = ""
) -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _portal_addresses(pattern.url_patterns, route + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"
        elif isinstance(pattern, URLPattern):
            yield route + str(pattern.pattern)


PORTAL = sorted(set(_portal_addresses(portal_urlpatterns)))


def _published_operations() -> set[str]:
    document = api.get_openapi_schema()
    return {
        operation["operationId"].removeprefix("dropline_api_")
        for methods in document["paths"].values()
        for operation in methods.values()
    }


def _parts(equivalent: object) -> tuple[object, ...]:
    return equivalent if isinstance(equivalent, tuple) else (equivalent,)


def test_every_portal_address_says_what_does_the_same_in_the_api() -> None:
    missing = [address for address in PORTAL if address not in PORTAL_OPERATIONS]
    assert not missing, (
        "portal addresses with no API equivalent in the table (give each its operations, "
        f"or the reason it needs none): {missing}"
    )


def test_the_table_names_only_addresses_the_portal_has() -> None:
    stale = sorted(set(PORTAL_OPERATIONS) - set(PORTAL))
    assert not stale, f"rows for addresses the portal no longer has: {stale}"


def test_every_operation_named_is_published() -> None:
    published = _published_operations()
    absent = sorted(
        f"{address}: dropline_api_{operation}"
        for address, equivalent in PORTAL_OPERATIONS.items()
        for part in _parts(equivalent)
        if isinstance(part, Api)
        for operation in part.operations
        if operation not in published
    )
    assert not absent, f"operations the API does not publish: {absent}"


def test_every_allauth_endpoint_named_is_routed() -> None:
    unrouted = []
    for address, equivalent in PORTAL_OPERATIONS.items():
        for part in _parts(equivalent):
            if not isinstance(part, Allauth):
                continue
            for path in part.paths:
                try:
                    resolve(f"/_allauth/app/v1/{path}")
                except Resolver404:
                    unrouted.append(f"{address}: {path}")
    assert not unrouted, f"allauth app endpoints that are not routed: {unrouted}"


def test_every_row_names_an_operation_or_says_why_in_a_sentence() -> None:
    unexplained = [
        address
        for address, equivalent in PORTAL_OPERATIONS.items()
        for part in _parts(equivalent)
        if (isinstance(part, NoApi) and len(part.reason.split()) < 5)
        or (isinstance(part, Api) and not part.operations)
    ]
    assert not unexplained, f"rows with no operation and no reason: {unexplained}"
