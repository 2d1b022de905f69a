"""One customer can never reach another's data, and nothing is open without signing in.

The sweeps find their URLs by themselves: every pattern in ``dropline.urls`` and every
operation in the JSON API's OpenAPI document. A new page or endpoint is covered the day
it is added; one whose path takes an id nobody here knows how to make fails with a
message saying what to add to ``OTHER_CUSTOMERS_IDS``.

For every URL that takes an id, Ann (signed in, and freshly re-authenticated so that
pages behind allauth's ``reauthentication_required`` reach their lookup) asks for
Ned's object by GET and by POST. Each answer must be 404, or a refusal identical to
the one for an id that does not exist at all (405 for the wrong method, or the same
redirect), never show anything of Ned's, and leave Ned's data exactly as it was.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.core.cache import cache
from django.db.models import Model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern, RoutePattern

from dropline.accounts.models import User
from dropline.accounts.second_factor import enrol_authenticator_app
from dropline.billing.models import Invoice
from dropline.catalog.models import AddOn, Channel, Plan
from dropline.core import clock
from dropline.customers.invitations import issue_printed_code
from dropline.customers.models import AccountMember, InvitationCode, MemberRole, ServiceArea
from dropline.customers.onboarding import add_member
from dropline.network.models import OutageWatch, SpeedTest
from dropline.network.outages.watching import watch
from dropline.network.speed_tests import record_speed_test
from dropline.notifications.contacts import add_verified_contact
from dropline.notifications.models import ContactKind, ContactPoint, Message
from dropline.orders.models import Order
from dropline.payments.disputes.models import Dispute, DisputeMessage, DisputeReason
from dropline.payments.disputes.opening import open_dispute
from dropline.subscriptions.models import Subscription, SubscriptionAddOn
from dropline.subscriptions.ordering import subscribe
from dropline.subscriptions.pricing import add_add_on
from dropline.subscriptions.suspension import suspend_services
from tests.support.billing import bill_this_cycle_today
from tests.support.disputes import a_pdf, use_upload_root
from tests.support.equipment import sweep_objects as equipment_sweep_objects
from tests.support.equipment import sweep_rows as equipment_sweep_rows
from tests.support.factories import PASSWORD, STAFF_TOTP_SECRET, Customer, make_customer, make_user
from tests.support.orders import pending_order
from tests.support.outages import declare_outage
from tests.support.payments import sweep_ids as payments_sweep_ids
from tests.support.payments import sweep_rows as payments_sweep_rows
from tests.support.payportal import sweep_ids as pay_pages_sweep_ids
from tests.support.push import sweep_device as push_sweep_device
from tests.support.push import sweep_ids as push_sweep_ids
from tests.support.push import sweep_rows as push_sweep_rows
from tests.support.sweep import Route, api_paths, path_params, query_params, sign_in
from tests.support.tickets import sweep_objects as tickets_sweep_objects
from tests.support.tickets import sweep_rows as tickets_sweep_rows
from tests.support.troubleshooting import sweep_ids as troubleshooting_sweep_ids
from tests.support.troubleshooting import sweep_rows as troubleshooting_sweep_rows
from tests.support.visits import NEDS_VISIT_DETAILS, sweep_appointment
from tests.support.visits import sweep_rows as visits_sweep_rows

pytestmark = pytest.mark.django_db

MISSING_ID = 987_654_321

# Parts of the site with their own access rules, tested elsewhere or below:
# the staff console (staff sign-in, permissions: tests/backoffice), allauth's headless
# API (its own authentication state machine; id-taking endpoints tested below) and the
# JSON API (swept through its OpenAPI document below). ``/metrics`` is for the operator's
# Prometheus: a token or this machine only, "not found" for anyone else (tests/ops).
NOT_PORTAL = ("backoffice/", "_allauth/", "api/v1/", "metrics")

# Pages anyone may open, each with the reason.
PUBLIC = {
    "healthz": "load balancer probe",
    "readyz": "load balancer probe",
    "set_language": "choosing English or Spanish before signing in",
    "account_login": "signing in",
    "account_logout": "signing out (answers a signed-out visitor harmlessly)",
    "account_signup": "allauth's sign-up, closed: says so",
    "account_inactive": "tells a deactivated person why they can't sign in",
    "account_email_verification_sent": "confirming the email address while signing up",
    "account_confirm_login_code": "a step of signing in",
    "account_reset_password": "password reset",
    "account_reset_password_done": "password reset",
    "account_reset_password_from_key": "password reset (the emailed link)",
    "account_reset_password_from_key_done": "password reset",
    "mfa_authenticate": "the second step of signing in",
    "mfa_trust": "the last step of signing in",
    "mfa_login_webauthn": "signing in with a passkey",
    "accounts_portal:claim": "getting a login by claiming an account",
    "accounts_portal:invitation": "getting a login with an invitation code",
    "notifications:unsubscribe": "one-click unsubscribe from a signed link",
    "second_factor:sms_authenticate": "the second step of signing in, by text message",
    "second_factor:sms_resend": "the second step of signing in, by text message",
    "second_factor:choose_method": "the second step of signing in: choosing how",
    "plans:label": "the FCC broadband facts label, required at the point of sale; no account",
    "status:index": "the public status page: service areas and their outages, no account",
    "status:area": "one service area's status page: its outages, no account",
    "help:index": "the help centre's hub: published articles, no account",
    "help:search": "searching the published help articles, no account",
    "help:topic": "a help topic's published articles, no account",
    "help:article": "a published help article, no account",
    "help:feedback": "was a help article helpful: one vote per browser or person, no account",
    "pwa:manifest": "the web app manifest a browser reads to install the portal, no account",
    "pwa:service_worker": "the service worker's script, for every visitor, no account",
    "pwa:offline": "the offline page the service worker shows, no account",
}
# Whole namespaces that are public by design.
PUBLIC_NAMESPACES = {
    "recovery": "getting back in without the password (reset by text, username reminder)",
}
# JSON API operations anyone may call, each for a page the web serves signed out.
PUBLIC_API = {
    "/api/v1/recovery/password-reset/email": "asking for a password reset by email",
    "/api/v1/recovery/password-reset/text": "asking for a reset code by text message",
    "/api/v1/recovery/password-reset": "setting a new password with a reset code",
    "/api/v1/recovery/username-reminder": "asking for a username reminder",
    "/api/v1/new-login/claim": "getting a login by claiming an account, as the claim page",
    "/api/v1/new-login/invitation": "getting a login with an invitation code, as its page",
    "/api/v1/plans/{code}/label": "a plan's broadband facts label, as its public page",
    "/api/v1/help/articles": "the published help articles and their search, as the help pages",
    "/api/v1/help/articles/{slug}": "a published help article, as its public page",
    "/api/v1/help/topics": "the help centre's topics with their article counts, as its hub",
    "/api/v1/status": "the public status page: service areas and their outages, no account",
    "/api/v1/status/{code}": "one service area's status page: its outages, no account",
    "/api/v1/webhooks/{gateway}": "a gateway's webhook: its signature is its authentication",
    "/api/v1/radius/accounting": (
        "FreeRADIUS posting accounting, not a customer: a collector's HTTP basic credentials"
    ),
}
# Paths that take something other than an object id, with the reason.
NOT_AN_OBJECT_ID = {
    "notifications:unsubscribe": "a signed token that names its person; tested in portal",
    "account_reset_password_from_key": "a single-use key from the email; tested by allauth",
    "plans:label": "a catalogue plan's code, the same for everyone; public",
    "status:area": "a service area's code, the same for everyone; public",
    "help:topic": "a help topic's code, the same for everyone; public",
    "help:article": "a help article's slug, the same for everyone; public",
    "help:feedback": "a help article's slug, the same for everyone; public",
    "/api/v1/help/articles/{slug}/feedback": (
        "a help article's slug, the same for everyone; one answer per person or browser"
    ),
}


# --- finding every URL ------------------------------------------------------------------------


def _walk(
    patterns: list[URLPattern | URLResolver], prefix: str = "", namespace: str = ""
) -> Iterator[Route]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            continue
        if not pattern.name:
            continue
        route = prefix + str(pattern.pattern)
        is_regex = isinstance(pattern.pattern, RegexPattern) or "(?P<" in route
        if isinstance(pattern.pattern, RoutePattern) or not is_regex:
            params = tuple(re.findall(r"<(?:\w+:)?(\w+)>", route))
        else:
            params = tuple(re.findall(r"\(\?P<(\w+)>", route))
        yield Route(path=route, name=f"{namespace}{pattern.name}", params=params, is_regex=is_regex)


def portal_routes() -> list[Route]:
    routes: dict[str, Route] = {}
    for route in _walk(get_resolver().url_patterns):
        if route.path.startswith(NOT_PORTAL):
            continue
        routes.setdefault(route.name, route)
    return sorted(routes.values(), key=lambda r: r.name)


def is_public(route: Route) -> bool:
    return route.name in PUBLIC or route.name.split(":")[0] in PUBLIC_NAMESPACES


# --- two customers ------------------------------------------------------------------------------


@dataclass
class Others:
    """Ned's household: one of everything a URL can name."""

    customer: Customer
    client: Client
    ids: dict[str, list[Any]] = field(default_factory=dict)
    compound: dict[frozenset[str], list[dict[str, Any]]] = field(default_factory=dict)
    secrets: list[str] = field(default_factory=list)


# How to find another customer's object for each path parameter.
OTHER_CUSTOMERS_IDS = (
    "subscription_id",
    "subscription_id+plan_code",
    "subscription_id+add_on_code",
    "order_id",
    "message_id",
    "contact_id",
    "invitation_id",
    "member_id",
    "session_id",
    "pk",
    "method+factor_id",
    "number",
    "dispute_id",
    "dispute_id+attachment_id",
    "method_id",
    "confirmation_number",
    "scheduled_id",
    "outage_id",
    "equipment_id",
    "equipment_id+action_id",
    "equipment_id+restart_id",
    "ticket_id",
    "ticket_id+attachment_id",
    "appointment_id",
    "run_id",
    "push_subscription_id",
)


def _message(user: User, n: int) -> Message:
    now = clock.now()
    return Message.objects.create(
        idempotency_key=f"sweep:{user.pk}:{n}",
        user=user,
        event="test",
        category="outages",
        channel="in_app",
        language="en",
        subject=f"Private notice {n} for {user.username}",
        body_text="Private body",
        status="sent",
        not_before=now,
        created_at=now,
    )


def _webauthn(user: User, name: str) -> Authenticator:
    return Authenticator.objects.create(
        user=user,
        type=Authenticator.Type.WEBAUTHN,
        data={"name": name, "credential": {"id": f"cred-{user.pk}", "type": "public-key"}},
    )


def _sms_factor_id(user: User, phone: ContactPoint) -> int | None:
    try:
        from dropline.identity.factors import sms_codes
    except ImportError:  # pragma: no cover - text-message codes not installed
        return None
    return sms_codes.enable_sms_factor(user=user, contact_id=phone.pk).pk


def _household(username: str, *, phone: str, email: str) -> tuple[Customer, dict[str, Any]]:
    customer = make_customer(username=username, name=f"{username.title()} Household")
    user = customer.user
    phone_contact = add_verified_contact(
        user=user, kind=ContactKind.PHONE, address=phone, primary=True
    )
    email_contact = add_verified_contact(
        user=user, kind=ContactKind.EMAIL, address=email, primary=False
    )
    helper = make_user(username=f"{username}-helper")
    member = add_member(account=customer.account, user=helper, role=MemberRole.AUTHORIZED)
    invitation = issue_printed_code(
        account=customer.account, created_by=None, role=MemberRole.AUTHORIZED
    ).invitation
    service = Subscription.objects.get(account=customer.account)
    add_on, _made = AddOn.objects.get_or_create(
        code="sweep-static-ip",
        defaults={"kind": "internet", "name": "Static IP", "monthly_price_cents": 1000},
    )
    add_add_on(subscription=service, add_on=add_on, started_on=service.started_on)
    enrol_authenticator_app(user=user, secret=STAFF_TOTP_SECRET)
    key = _webauthn(user, f"{username}'s security key")
    totp = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    objects = {
        "message": _message(user, 1),
        "phone": phone_contact,
        "email": email_contact,
        "member": member,
        "invitation": invitation,
        "webauthn": key,
        "totp": totp,
        "sms_id": _sms_factor_id(user, phone_contact),
        "invoice": bill_this_cycle_today(customer.account),
        "service": service,
        "add_on": add_on,
        "push_device": push_sweep_device(user),
    }
    return customer, objects


def _dispute(customer: Customer, invoice: Invoice) -> Dispute:
    """A dispute of Ned's first charge, with a file."""
    return open_dispute(
        account=customer.account,
        invoice_line=invoice.lines.filter(amount_cents__gt=0).order_by("position")[0],
        amount_cents=100,
        reason=DisputeReason.OTHER,
        description="Ned's private dispute",
        files=[a_pdf("ned-private.pdf")],
        actor=customer.user,
    )


@pytest.fixture
def ned(settings: Any, tmp_path: Any) -> Others:
    use_upload_root(settings, tmp_path)
    customer, objects = _household("nedward", phone="+13195550177", email="ned.private@example.org")
    dispute = _dispute(customer, objects["invoice"])
    # A speed test of Ned's with a delay nobody else has: its figures must show nowhere.
    record_speed_test(
        account=customer.account,
        user=customer.user,
        latency_ms=4321,
        jitter_ms=0,
        download_kbps=1_000,
        upload_kbps=1_000,
        streams=1,
        connection="wifi",
    )
    # An outage in Ned's area, which is not Ann's: she may not watch it (or stop Ned's watch).
    address = customer.account.service_address
    address.service_area, _made = ServiceArea.objects.get_or_create(
        code="neds-side", defaults={"name": "Ned's Side"}
    )
    address.save(update_fields=["service_area"])
    outage = declare_outage(areas=[address.service_area], title_en="Ned's side is down")
    watch(account=customer.account, user=customer.user, outage_id=outage.pk)
    equipment_ids, equipment_compound = equipment_sweep_objects(customer)
    # A technician visit in Ned's area: its page, tracking, calendar file, reschedule,
    # cancel (web, by its pk) and API (by its appointment_id).
    visit_id = sweep_appointment(customer.account, customer.user).pk
    ticket_ids, ticket_compound = tickets_sweep_objects(customer)
    troubleshooting_ids = troubleshooting_sweep_ids(customer)
    client = sign_in("nedward", "192.0.2.77")
    session = UserSession.objects.get(session_key=client.session.session_key)
    ids: dict[str, list[Any]] = {
        "message_id": [objects["message"].pk],
        "contact_id": [objects["phone"].pk, objects["email"].pk],
        "invitation_id": [objects["invitation"].pk],
        "member_id": [
            objects["member"].pk,
            AccountMember.objects.get(account=customer.account, role=MemberRole.HOLDER).pk,
        ],
        "session_id": [session.pk],
        # allauth's passkey pages (edit, remove) take the authenticator's pk; the
        # troubleshooter's run page a troubleshooting run's; a visit's pages the visit's.
        "pk": [objects["webauthn"].pk, *troubleshooting_ids["pk"], visit_id],
        # An invoice's number: its page, PDF and changes, on the web and in the API.
        "number": [objects["invoice"].number],
        # A service: its compare and add-on pages.
        "subscription_id": [objects["service"].pk],
        # A plan change of Ned's waiting for his next bill cycle (cancellable): its page,
        # cancelling it on the web and in the API.
        "order_id": [pending_order(customer).pk],
        # A dispute of a charge on his bill: its page, reply, withdrawal (web and API).
        "dispute_id": [dispute.pk],
        # A saved payment method (remove, make default) and a payment (its receipt).
        **payments_sweep_ids(customer),
        # A payment scheduled for a later day (its cancel button on the payments page).
        **pay_pages_sweep_ids(customer),
        # An outage in Ned's area: watching it, and stopping, on the web and in the API.
        "outage_id": [outage.pk],
        # A managed gateway: its page, restart, Wi-Fi (web and API).
        **equipment_ids,
        # A support request of his with a file: its page, reply, close, rate (web and API).
        **ticket_ids,
        # A technician visit: its page, reschedule, cancel and invitation (API).
        "appointment_id": [visit_id],
        # A troubleshooting run under way: reading and answering it in the API.
        "run_id": troubleshooting_ids["run_id"],
        # A browser that gets his push notifications: removing it (web and API).
        **push_sweep_ids(user=customer.user),
    }
    compound = {
        frozenset({"subscription_id", "plan_code"}): [
            {"subscription_id": objects["service"].pk, "plan_code": objects["service"].plan.code}
        ],
        frozenset({"subscription_id", "add_on_code"}): [
            {"subscription_id": objects["service"].pk, "add_on_code": objects["add_on"].code}
        ],
        frozenset({"dispute_id", "attachment_id"}): [
            {"dispute_id": dispute.pk, "attachment_id": dispute.attachments.get().pk}
        ],
        frozenset({"method", "factor_id"}): [
            {"method": "totp", "factor_id": objects["totp"].pk},
            {"method": "webauthn", "factor_id": objects["webauthn"].pk},
        ]
        + (
            [{"method": "sms", "factor_id": objects["sms_id"]}]
            if objects["sms_id"] is not None
            else []
        ),
        # A restart of his gateway: its progress page and status (web and API).
        **equipment_compound,
        # A file of his support request (web and API).
        **ticket_compound,
    }
    return Others(
        customer=customer,
        client=client,
        ids=ids,
        compound=compound,
        secrets=[
            "nedward",
            "ned.private@example.org",
            "555-0177",
            "5550177",
            "Private notice",
            "nedward's security key",
            "192.0.2.77",
            customer.account.number,
            "Nedward Household",
            "Ned's private dispute",
            "ned-private.pdf",
            "4321 ms",
            '"latency_ms": 4321',
            "Ned&#x27;s side is down",
            "Ned's side is down",
            "Ned's private request",
            "Ned&#x27;s private request",
            "ned-ticket.pdf",
            NEDS_VISIT_DETAILS,
        ],
    )


@pytest.fixture
def ann() -> Client:
    """Ann, signed in with her own household of the same things, just re-authenticated."""
    _household("annabel", phone="+13195550111", email="ann.private@example.org")
    client = sign_in("annabel", "198.51.100.11")
    response = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert response.status_code == 302
    return client


def snapshot(others: Others) -> dict[str, list[dict[str, Any]]]:
    """Everything of Ned's a request could change."""
    user = others.customer.user
    account = others.customer.account

    def rows(model: type[Model], **lookup: Any) -> list[dict[str, Any]]:
        return list(model._default_manager.filter(**lookup).order_by("pk").values())

    state = {
        "user": rows(User, pk=user.pk),
        "emails": rows(EmailAddress, user=user),
        "contacts": rows(ContactPoint, user=user),
        "messages": rows(Message, user=user),
        "members": rows(AccountMember, account=account),
        "invitations": rows(InvitationCode, account=account),
        "services": rows(Subscription, account=account),
        "add_ons": rows(SubscriptionAddOn, subscription__account=account),
        "orders": rows(Order, account=account),
        "disputes": rows(Dispute, account=account),
        "outage_watches": rows(OutageWatch, user=user),
        "dispute_messages": rows(DisputeMessage, dispute__account=account),
        "speed_tests": rows(SpeedTest, account=account),
        **payments_sweep_rows(account),
        **equipment_sweep_rows(account),
        **troubleshooting_sweep_rows(account),
        **tickets_sweep_rows(account),
        **visits_sweep_rows(account),
        **push_sweep_rows(user),
        "authenticators": rows(Authenticator, user=user),
        "sessions": [
            {k: v for k, v in row.items() if k != "last_seen_at"}
            for row in rows(UserSession, user=user)
        ],
    }
    try:
        from dropline.accounts.models import SecondFactorPreference, SmsSecondFactor
    except ImportError:  # pragma: no cover
        return state
    state["sms_factor"] = rows(SmsSecondFactor, user=user)
    state["preferences"] = rows(SecondFactorPreference, user=user)
    return state


def variants(route: Route, others: Others) -> list[dict[str, Any]]:
    params = frozenset(route.params)
    if params in others.compound:
        return others.compound[params]
    if len(params) == 1:
        (param,) = params
        return [{param: value} for value in others.ids.get(param, [])]
    return []


def _missing(kwargs: dict[str, Any]) -> dict[str, Any]:
    return {k: (MISSING_ID if isinstance(v, int) else v) for k, v in kwargs.items()}


def _answer(client: Client, method: str, url: str) -> tuple[int, str]:
    response = client.get(url) if method == "GET" else client.post(url, {})
    location = response.get("Location", "") if response.status_code in (301, 302, 303) else ""
    return response.status_code, location


# --- the sweeps -----------------------------------------------------------------------------------


def test_the_sweep_finds_the_pages_that_take_ids():
    """A guard on the sweep itself: it sees the portal's id-taking pages."""
    names = {route.name for route in portal_routes() if route.params}
    assert {
        "changes:compare",
        "changes:plan",
        "changes:add_ons",
        "changes:add_add_on",
        "changes:remove_add_on",
        "orders:order",
        "orders:cancel",
        "notifications:mark_read",
        "notifications:remove_contact",
        "accounts_portal:remove_member",
        "accounts_portal:revoke_invitation",
        "security:end_session",
        "mfa_remove_webauthn",
        "billing:invoice",
        "billing:invoice_pdf",
        "billing:changes",
        "disputes:dispute",
        "disputes:reply",
        "disputes:withdraw",
        "disputes:attachment",
        "outages:watch",
        "outages:unwatch",
        "notifications:push_remove",
    } <= names


def test_every_portal_url_with_an_id_answers_404_for_another_customers_object(ann, ned):
    before = snapshot(ned)
    unknown: list[str] = []
    problems: list[str] = []
    checked = 0
    for route in portal_routes():
        if not route.params or route.name in NOT_AN_OBJECT_ID:
            continue
        cases = variants(route, ned)
        if not cases:
            unknown.append(f"{route.path} ({route.name}): {', '.join(route.params)}")
            continue
        for kwargs in cases:
            url = reverse(route.name, kwargs=kwargs)
            missing_url = reverse(route.name, kwargs=_missing(kwargs))
            statuses = []
            for method in ("GET", "POST"):
                theirs = ann.get(url) if method == "GET" else ann.post(url, {})
                status, location = _answer(ann, method, missing_url)
                statuses.append(theirs.status_code)
                checked += 1
                shown = theirs.content.decode(errors="replace")
                leaked = [s for s in ned.secrets if s in shown]
                if leaked:
                    problems.append(f"{method} {url} shows {leaked}")
                if theirs.status_code == 404:
                    continue
                redirected = theirs.status_code in (301, 302, 303)
                their_location = theirs.get("Location", "") if redirected else ""
                same = (theirs.status_code, their_location.replace(str(MISSING_ID), "?")) == (
                    status,
                    location.replace(str(MISSING_ID), "?"),
                )
                if theirs.status_code not in (302, 303, 405) or not same:
                    problems.append(
                        f"{method} {url} -> {theirs.status_code} {their_location!r}; "
                        f"for a missing id {status} {location!r}"
                    )
            if 404 not in statuses:
                problems.append(f"{url}: neither GET nor POST looked it up ({statuses})")
    assert not problems, "\n".join(problems)
    assert not unknown, (
        "These URLs take ids the sweep cannot make for another customer; add them to the "
        "``ned`` fixture and OTHER_CUSTOMERS_IDS:\n" + "\n".join(unknown)
    )
    assert checked > 0
    assert snapshot(ned) == before
    assert ned.client.get(reverse("portal:overview")).status_code == 200


@pytest.mark.parametrize("auth", ["browser session", "session token"])
def test_every_api_endpoint_with_an_id_answers_404_for_another_customers_object(
    ann, ned, auth, client
):
    if auth == "session token":
        response = Client().post(
            "/_allauth/app/v1/auth/login",
            {"username": "annabel", "password": PASSWORD},
            content_type="application/json",
        )
        pending = response.json()["meta"]["session_token"]
        cache.clear()  # the TOTP code used above may be used once only
        from tests.support.totp import code_with_time_to_spare

        done = Client().post(
            "/_allauth/app/v1/auth/2fa/authenticate",
            {"code": code_with_time_to_spare(STAFF_TOTP_SECRET)},
            content_type="application/json",
            HTTP_X_SESSION_TOKEN=pending,
        )
        assert done.status_code == 200, done.content
        caller = Client(HTTP_X_SESSION_TOKEN=done.json()["meta"]["session_token"])
    else:
        caller = ann
    before = snapshot(ned)
    unknown: list[str] = []
    problems: list[str] = []
    checked = 0
    for path, operations in api_paths().items():
        for method, operation in operations.items():
            params = path_params(operation)
            if not params or path in PUBLIC_API or path in NOT_AN_OBJECT_ID:
                continue
            route = Route(path=path, name=path, params=tuple(params), is_regex=False)
            cases = variants(route, ned)
            if not cases:
                unknown.append(f"{method.upper()} {path}: {', '.join(params)}")
                continue
            for kwargs in cases:
                url = path.format(**kwargs)
                missing = path.format(**_missing(kwargs))
                call: Callable[..., Any] = getattr(caller, method)
                theirs = call(url, {}, content_type="application/json")
                absent = call(missing, {}, content_type="application/json")
                checked += 1
                if [s for s in ned.secrets if s in theirs.content.decode(errors="replace")]:
                    problems.append(f"{method.upper()} {url} shows Ned's data")
                if theirs.status_code != 404 and (
                    theirs.status_code != absent.status_code or theirs.status_code < 400
                ):
                    problems.append(
                        f"{method.upper()} {url} -> {theirs.status_code}, "
                        f"missing id -> {absent.status_code}"
                    )
    assert not problems, "\n".join(problems)
    assert not unknown, (
        "These API operations take ids the sweep cannot make for another customer; add "
        "them to the ``ned`` fixture:\n" + "\n".join(unknown)
    )
    assert checked > 0
    assert snapshot(ned) == before


# --- ids in the body -------------------------------------------------------------------------


def test_switching_to_another_customers_account_is_ignored(ann, ned):
    response = ann.post(reverse("portal:switch_account"), {"account": ned.customer.account.pk})
    assert response.status_code == 302
    page = ann.get(reverse("portal:overview")).content.decode()
    assert ned.customer.account.number not in page
    assert "Nedward Household" not in page
    assert ann.session.get("portal_account_id") != ned.customer.account.pk


def test_another_persons_sign_in_email_cannot_be_touched(ann, ned):
    before = snapshot(ned)
    for action in ("action_remove", "action_primary", "action_send"):
        ann.post(reverse("account_email"), {action: "", "email": "nedward@example.com"})
    assert snapshot(ned) == before


def test_headless_endpoints_refuse_another_persons_ids(ned):
    login = Client().post(
        "/_allauth/app/v1/auth/login",
        {"username": "nedward-helper", "password": PASSWORD},
        content_type="application/json",
    )
    token = login.json()["meta"]["session_token"]
    app = Client(HTTP_X_SESSION_TOKEN=token)
    before = snapshot(ned)
    session = UserSession.objects.filter(user=ned.customer.user).first()
    assert session is not None
    key = Authenticator.objects.get(user=ned.customer.user, type=Authenticator.Type.WEBAUTHN)

    ended = app.delete(
        "/_allauth/app/v1/auth/sessions",
        {"sessions": [session.pk]},
        content_type="application/json",
    )
    removed = app.delete(
        "/_allauth/app/v1/account/authenticators/webauthn",
        {"authenticators": [key.pk]},
        content_type="application/json",
    )
    renamed = app.put(
        "/_allauth/app/v1/account/authenticators/webauthn",
        {"id": key.pk, "name": "mine now"},
        content_type="application/json",
    )

    assert ended.status_code == 400
    assert removed.status_code in (400, 401)  # 401: asks to re-authenticate first
    assert renamed.status_code in (400, 401)
    assert snapshot(ned) == before
    assert ned.client.get(reverse("portal:overview")).status_code == 200


# --- nothing without signing in --------------------------------------------------------------


def _dummy_url(route: Route) -> str | None:
    if route.is_regex and route.params:
        return None
    kwargs: dict[str, Any] = {}
    for param in route.params:
        kwargs[param] = "x" if param in {"token", "method", "number", "key"} else 1
    if set(route.params) == {"method", "factor_id"}:
        kwargs["method"] = "totp"
    return reverse(route.name, kwargs=kwargs or None)


def test_every_portal_page_needs_sign_in_except_the_public_ones(client):
    login = reverse(settings.LOGIN_URL)
    open_pages: list[str] = []
    checked = 0
    for route in portal_routes():
        url = _dummy_url(route)
        if url is None:
            assert route.name in PUBLIC, f"{route.path}: add a way to build it"
            continue
        if is_public(route):
            assert client.get(url).status_code < 500, url
            continue
        for method in ("GET", "POST"):
            response = client.get(url) if method == "GET" else client.post(url, {})
            checked += 1
            location = response.get("Location", "")
            if response.status_code != 302 or not location.startswith(login):
                open_pages.append(f"{method} {url} ({route.name}) -> {response.status_code}")
    assert not open_pages, (
        "Pages that answer a visitor who is not signed in; sign-in required, or add to "
        "PUBLIC with the reason:\n" + "\n".join(open_pages)
    )
    assert checked > 0


def test_the_public_allow_list_has_no_stale_entries():
    names = {route.name for route in _walk(get_resolver().url_patterns)}
    stale = [name for name in PUBLIC if name not in names and not name.startswith("second_factor:")]
    assert not stale, stale


def test_every_api_operation_needs_credentials_except_the_docs(client):
    assert client.get("/api/v1/openapi.json").status_code == 200
    assert client.get("/api/v1/docs").status_code == 200
    assert set(PUBLIC_API) <= set(api_paths()), "a public operation is gone: update PUBLIC_API"
    problems = []
    for path, operations in api_paths().items():
        for method, operation in operations.items():
            if path in PUBLIC_API:
                continue
            url = path.format(**dict.fromkeys(path_params(operation), 1))
            response = getattr(client, method)(url, {}, content_type="application/json")
            if response.status_code != 401:
                problems.append(f"{method.upper()} {url} -> {response.status_code}")
    assert not problems, problems


def test_a_forged_token_gets_nothing(db):
    forged = Client(HTTP_X_SESSION_TOKEN="forged-token")
    for path, operations in api_paths().items():
        for method, operation in operations.items():
            if path in PUBLIC_API:
                continue
            url = path.format(**dict.fromkeys(path_params(operation), 1))
            response = getattr(forged, method)(url, {}, content_type="application/json")
            assert response.status_code == 401, (method, url)


# --- the account chosen by query or session ---------------------------------------------------


def _ned_watches_tv(ned: Others) -> None:
    """Ned has a TV package no longer on sale with a channel: only a page leaking his
    package would name it."""
    channel = Channel.objects.create(number=777, call_sign="NEDTV", name="Ned Vision", genre="news")
    plan = Plan.objects.create(
        code="neds-tv",
        kind="tv",
        name="Nedward TV Deluxe",
        monthly_price_cents=9900,
    )
    plan.channels.set([channel])
    subscribe(account=ned.customer.account, plan=plan)
    Plan.objects.filter(pk=plan.pk).update(is_active=False)


def test_every_api_read_that_takes_an_account_answers_404_for_another_customers(ann, ned):
    """Each operation choosing its account by ``?account=`` (billing, services, the
    channel finder): Ned's number is a 404 that shows nothing of his."""
    _ned_watches_tv(ned)
    problems: list[str] = []
    checked = 0
    for path, operations in api_paths().items():
        operation = operations.get("get")
        if operation is None or path_params(operation) or "account" not in query_params(operation):
            continue
        checked += 1
        url = f"{path}?account={ned.customer.account.number}&q=ned"
        theirs = ann.get(url)
        if theirs.status_code != 404:
            problems.append(f"GET {url} -> {theirs.status_code}")
        shown = theirs.content.decode(errors="replace")
        leaked = [s for s in [*ned.secrets, "Nedward TV Deluxe"] if s in shown]
        if leaked:
            problems.append(f"GET {url} shows {leaked}")
    assert not problems, "\n".join(problems)
    assert checked >= 7  # billing summary, invoices, forecast, services, channels, usage (2)


def test_another_customers_account_in_the_session_never_shows_on_a_page(ann, ned):
    """Were Ned's account id ever in Ann's session, the account pages show Ann's."""
    _ned_watches_tv(ned)
    session = ann.session
    session["portal_account_id"] = ned.customer.account.pk
    session.save()
    for url in (
        reverse("portal:overview"),
        reverse("services:index"),
        reverse("channels:index") + "?q=ned",
        reverse("billing:overview"),
        reverse("changes:extras"),
        reverse("changes:lines"),
        reverse("orders:index"),
        reverse("usage:index"),
        reverse("speed_test:index"),
        reverse("equipment:index"),
    ):
        response = ann.get(url)
        assert response.status_code == 200, url
        shown = response.content.decode()
        assert not [s for s in ned.secrets if s in shown], url
        assert "Nedward TV Deluxe" not in shown, url
        assert "Included in your package" not in shown, url


def test_every_api_action_that_takes_only_an_account_answers_404_for_another_customers(ann, ned):
    """Each POST choosing its account by ``?account=`` with nothing else to send (the
    connection check): Ned's number is a 404 that shows and changes nothing of his."""
    before = snapshot(ned)
    problems: list[str] = []
    checked = 0
    for path, operations in api_paths().items():
        operation = operations.get("post")
        if (
            operation is None
            or path_params(operation)
            or "requestBody" in operation
            or "account" not in query_params(operation)
        ):
            continue
        checked += 1
        url = f"{path}?account={ned.customer.account.number}"
        theirs = ann.post(url)
        if theirs.status_code != 404:
            problems.append(f"POST {url} -> {theirs.status_code}")
        shown = theirs.content.decode(errors="replace")
        leaked = [s for s in ned.secrets if s in shown]
        if leaked:
            problems.append(f"POST {url} shows {leaked}")
    assert not problems, "\n".join(problems)
    assert checked >= 1  # the connection check
    assert snapshot(ned) == before


def test_the_connection_check_reads_only_the_signed_in_persons_account(ann, ned):
    """Ned's account suspended and in Ann's session: Ann's check, on the web and in the
    app, is about her own account and shows nothing of his."""
    suspend_services(account=ned.customer.account, reason="Unpaid balance")
    session = ann.session
    session["portal_account_id"] = ned.customer.account.pk
    session.save()
    page = ann.post(reverse("connection_check:index"))
    assert page.status_code == 200
    shown = page.content.decode()
    assert not [s for s in ned.secrets if s in shown]
    assert "suspended" not in shown
    body = ann.post("/api/v1/connection-check").json()
    assert body["account"]["name"] == "Annabel Household"
    assert body["verdict"] != "account_suspended"
