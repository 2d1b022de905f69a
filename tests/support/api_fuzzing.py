"""What the schemathesis run over the JSON API needs: the demo household signed in (by the
app's session token or by a browser session with its CSRF token), the ids of its things
for the operations' path parameters, and Django's WSGI handler that keeps the test's
database connection."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client

from dropline.seeding.demo import DEMO_CUSTOMER

APP_LOGIN = "/_allauth/app/v1/auth/login"
APP_REAUTHENTICATE = "/_allauth/app/v1/auth/reauthenticate"
BROWSER_LOGIN = "/accounts/login/"
BROWSER_REAUTHENTICATE = "/accounts/reauthenticate/"


CLIENT_IP = "203.0.113.16"

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


@contextmanager
def wsgi_app() -> Iterator[WSGIApp]:
    """Django's WSGI handler, as gunicorn runs it (middleware, CSRF, sessions) with the
    client's address gunicorn always gives, minus the closing of database connections at
    each request's start and end: the test's transaction holds the data. Django's test
    client does the same."""
    handler = WSGIHandler()

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        environ.setdefault("REMOTE_ADDR", CLIENT_IP)
        return handler(environ, start_response)

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield app
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@dataclass(frozen=True)
class SignedIn:
    """What every request carries to be the demo customer."""

    how: str
    headers: dict[str, str] = field(default_factory=dict)
    cookies: dict[str, str] = field(default_factory=dict)


def app_signed_in() -> SignedIn:
    """The demo customer signed in as the mobile app does (the session token), and
    re-authenticated so that the security settings' changes are open too."""
    username, password = DEMO_CUSTOMER
    login = Client().post(
        APP_LOGIN, {"username": username, "password": password}, content_type="application/json"
    )
    assert login.status_code == 200, login.content
    headers = {"X-Session-Token": login.json()["meta"]["session_token"]}
    again = Client(headers=headers).post(
        APP_REAUTHENTICATE, {"password": password}, content_type="application/json"
    )
    assert again.status_code == 200, again.content
    return SignedIn(how="session token", headers=headers)


def browser_signed_in() -> SignedIn:
    """The demo customer signed in on the web, and the sign-in confirmed so that the
    security settings' changes are open too: the session and CSRF cookies, and the CSRF
    token in its header as the portal's pages send it."""
    username, password = DEMO_CUSTOMER
    browser = Client()
    signed_in = browser.post(BROWSER_LOGIN, {"login": username, "password": password})
    assert signed_in.status_code == 302, signed_in.content
    confirmed = browser.post(BROWSER_REAUTHENTICATE, {"password": password})
    assert confirmed.status_code == 302, confirmed.content
    browser.get("/")  # a portal page: it sets the CSRF cookie
    session = browser.cookies[settings.SESSION_COOKIE_NAME].value
    csrf = browser.cookies[settings.CSRF_COOKIE_NAME].value
    return SignedIn(
        how="browser session",
        headers={"X-CSRFToken": csrf},
        cookies={settings.SESSION_COOKIE_NAME: session, settings.CSRF_COOKIE_NAME: csrf},
    )


def household_ids() -> dict[str, list[Any]]:
    """The demo household's things as the operations' path parameters and body fields
    name them (``body.`` before a body field's name), each list sorted."""
    from dropline.billing.models import Invoice
    from dropline.catalog.models import Plan
    from dropline.customers.models import AccountMember, CustomerAccount, InvitationCode
    from dropline.field.models import Appointment, VisitWindow
    from dropline.helpdesk.models import Article, Ticket, TicketAttachment, TroubleshootingRun
    from dropline.network.models import DeviceAction, Equipment, Outage
    from dropline.notifications.models import ContactPoint, Message
    from dropline.orders.models import Order
    from dropline.payments.disputes.models import Dispute, DisputeAttachment
    from dropline.payments.models import Payment, PaymentMethod, ScheduledPayment
    from dropline.subscriptions.models import Subscription

    account = CustomerAccount.objects.get(members__user__username=DEMO_CUSTOMER[0])
    user = account.members.get(user__username=DEMO_CUSTOMER[0]).user

    def ids(rows: Any, field: str = "pk") -> list[Any]:
        return sorted(set(rows.values_list(field, flat=True)))

    return {
        "message_id": ids(Message.objects.filter(user=user)),
        "contact_id": ids(ContactPoint.objects.filter(user=user)),
        "invitation_id": ids(InvitationCode.objects.filter(account=account)),
        "member_id": ids(AccountMember.objects.filter(account=account)),
        "number": ids(Invoice.objects.filter(account=account), "number"),
        "order_id": ids(Order.objects.filter(account=account)),
        "dispute_id": ids(Dispute.objects.filter(account=account)),
        "attachment_id": ids(DisputeAttachment.objects.filter(dispute__account=account))
        + ids(TicketAttachment.objects.filter(ticket__account=account)),
        "method_id": ids(PaymentMethod.objects.filter(account=account)),
        "confirmation_number": ids(Payment.objects.filter(account=account), "confirmation_number"),
        "equipment_id": ids(Equipment.objects.filter(account=account)),
        "restart_id": ids(DeviceAction.objects.filter(equipment__account=account)),
        "outage_id": ids(Outage.objects.all()),
        "ticket_id": ids(Ticket.objects.filter(account=account)),
        "appointment_id": ids(Appointment.objects.filter(account=account)),
        "subscription_id": ids(Subscription.objects.filter(account=account)),
        "scheduled_id": ids(ScheduledPayment.objects.filter(account=account)),
        "run_id": ids(TroubleshootingRun.objects.filter(account=account)),
        "code": ids(Plan.objects.all(), "code"),
        "slug": ids(Article.objects.all(), "slug"),
        "body.service": ids(Subscription.objects.filter(account=account)),
        "body.plan": ids(Plan.objects.all(), "code"),
        "body.payment_method_id": ids(PaymentMethod.objects.filter(account=account)),
        "body.contact_id": ids(ContactPoint.objects.filter(user=user)),
        "body.window_id": ids(VisitWindow.objects.all()),
        "body.invoice": ids(Invoice.objects.filter(account=account), "number"),
    }
