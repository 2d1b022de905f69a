"""Saved payment methods: start collecting one, add it, remove it, make it the default,
and warn before a card expires.

Card and bank numbers never reach Dropline: the browser hands them to the gateway and
``add_method`` receives the gateway's token, which it attaches to the account's customer
at the gateway and stores with the details the gateway describes. The account's first
method is its default; removing the default makes the newest remaining one the default.
Every change is audited and told to the account's people (a saved method is as
sensitive as a password: someone else's card on the account, or the customer's gone).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from dropline.accounts.models import SecurityEventKind, User
from dropline.core import audit, clock
from dropline.core.dates import add_months
from dropline.customers.models import CustomerAccount
from dropline.identity.security_events import record as security_events
from dropline.payments import notifying
from dropline.payments.errors import PaymentError
from dropline.payments.gateways import get_gateway
from dropline.payments.gateways.base import Gateway, SetupStart
from dropline.payments.models import (
    AutopayEnrolment,
    GatewayCustomer,
    MethodKind,
    PaymentMethod,
)

WARN_MONTHS_AHEAD = 1


def _lock(account: CustomerAccount) -> CustomerAccount:
    return CustomerAccount.objects.select_for_update().get(pk=account.pk)


def gateway_customer(*, account: CustomerAccount, gateway: Gateway) -> GatewayCustomer:
    """The account's customer at ``gateway``, made there and recorded on first use."""
    found = GatewayCustomer.objects.filter(account_id=account.pk, gateway=gateway.name).first()
    if found is not None:
        return found
    reference = gateway.ensure_customer(
        account_number=account.number, name=account.name, email=account.email
    )
    with transaction.atomic():
        _lock(account)
        customer, _created = GatewayCustomer.objects.get_or_create(
            account_id=account.pk,
            gateway=gateway.name,
            defaults={"reference": reference, "created_at": clock.now()},
        )
    return customer


def start_setup(*, account: CustomerAccount) -> SetupStart:
    """What the browser needs to collect a new method at the configured gateway."""
    gateway = get_gateway()
    customer = gateway_customer(account=account, gateway=gateway)
    return gateway.start_setup(customer=customer.reference)


def _promote_newest(account_id: int) -> PaymentMethod | None:
    newest = (
        PaymentMethod.objects.filter(account_id=account_id, removed_at__isnull=True)
        .order_by("-created_at", "-id")
        .first()
    )
    if newest is not None:
        newest.is_default = True
        newest.save(update_fields=["is_default"])
    return newest


def add_method(
    *, account: CustomerAccount, token: str, actor: User | None, make_default: bool = False
) -> PaymentMethod:
    """Attach the method the browser collected (``token``) and save it on the account."""
    token = (token or "").strip()
    if not token:
        raise PaymentError(
            "token",
            _("The card or account details were not received. Please enter them again."),
            "invalid_token",
        )
    gateway = get_gateway()
    customer = gateway_customer(account=account, gateway=gateway)
    existing = PaymentMethod.objects.filter(gateway=gateway.name, token=token).first()
    if existing is not None:
        if existing.account_id == account.pk and existing.removed_at is None:
            return existing
        raise PaymentError(
            "token",
            _("The card or account details were not received. Please enter them again."),
            "invalid_token",
        )
    details = gateway.attach_method(customer=customer.reference, token=token)
    with transaction.atomic():
        _lock(account)
        current = PaymentMethod.objects.filter(account_id=account.pk, removed_at__isnull=True)
        first = not current.exists()
        if make_default and not first:
            current.filter(is_default=True).update(is_default=False)
        method = PaymentMethod.objects.create(
            account_id=account.pk,
            kind=MethodKind(details.kind.value),
            gateway=gateway.name,
            token=details.token,
            brand=details.brand[:32],
            last4=details.last4[-4:],
            exp_month=details.exp_month,
            exp_year=details.exp_year,
            holder_name=details.holder_name[:120],
            is_default=first or make_default,
            created_at=clock.now(),
            created_by=actor,
        )
        audit.record(
            action="payment_method.added",
            actor=actor,
            target=method,
            account_number=account.number,
            data={
                "kind": method.kind,
                "brand": method.brand,
                "last4": method.last4,
                "default": method.is_default,
                "security": True,
            },
        )
        _security_event(SecurityEventKind.PAYMENT_METHOD_ADDED, method, actor)
        notifying.method_changed(method, event=notifying.METHOD_ADDED)
    return method


def _security_event(kind: str, method: PaymentMethod, actor: User | None) -> None:
    """On the person's security activity: who added or removed a way to pay (staff
    acting for a customer are audited instead)."""
    if actor is not None and not actor.is_staff:
        security_events.record(
            kind=kind,
            user=actor,
            data={"brand": method.brand, "last4": method.last4, "account": method.account_id},
        )


def remove_method(*, method: PaymentMethod, actor: User | None) -> None:
    """Remove a saved method (kept for the payments made with it); if it was the
    default, the newest remaining one becomes the default."""
    with transaction.atomic():
        account = _lock(method.account)
        current = PaymentMethod.objects.select_for_update().get(pk=method.pk)
        if current.removed_at is not None:
            return
        if AutopayEnrolment.objects.filter(method=current, cancelled_at__isnull=True).exists():
            raise PaymentError(
                "method",
                _("Autopay pays with this method. Choose another one for autopay first."),
                "used_by_autopay",
            )
        was_default = current.is_default
        current.removed_at = clock.now()
        current.is_default = False
        current.save(update_fields=["removed_at", "is_default"])
        promoted = _promote_newest(account.pk) if was_default else None
        audit.record(
            action="payment_method.removed",
            actor=actor,
            target=current,
            account_number=account.number,
            data={
                "last4": current.last4,
                "new_default": promoted.pk if promoted else None,
                "security": True,
            },
        )
        _security_event(SecurityEventKind.PAYMENT_METHOD_REMOVED, current, actor)
        notifying.method_changed(current, event=notifying.METHOD_REMOVED)
        token, gateway_name = current.token, current.gateway
        transaction.on_commit(lambda: get_gateway(gateway_name).detach_method(token=token))
    method.removed_at = current.removed_at
    method.is_default = False


def make_default(*, method: PaymentMethod, actor: User | None) -> None:
    """Make ``method`` the account's default (the one payments use unless told)."""
    with transaction.atomic():
        account = _lock(method.account)
        current = PaymentMethod.objects.get(pk=method.pk)
        if current.removed_at is not None:
            raise PaymentError(
                "payment_method_id", _("This payment method was removed."), "method_removed"
            )
        if current.is_default:
            return
        PaymentMethod.objects.filter(account_id=account.pk, is_default=True).update(
            is_default=False
        )
        PaymentMethod.objects.filter(pk=current.pk).update(is_default=True)
        audit.record(
            action="payment_method.default",
            actor=actor,
            target=current,
            account_number=account.number,
            data={"last4": current.last4},
        )
    method.is_default = True


def warn_expiring(*, today: dt.date | None = None) -> int:
    """Tell the account's people about each saved card that expires within a month,
    once per card (daily task). Returns how many cards were warned about."""
    day = today or clock.today()
    ahead = add_months(day, WARN_MONTHS_AHEAD)
    due = list(
        PaymentMethod.objects.filter(
            kind=MethodKind.CARD,
            removed_at__isnull=True,
            expiry_warned_on__isnull=True,
            exp_year__lte=ahead.year,
        ).select_related("account")
    )
    warned = 0
    for method in due:
        if method.exp_year is None or method.exp_month is None:
            continue
        if (method.exp_year, method.exp_month) > (ahead.year, ahead.month):
            continue
        with transaction.atomic():
            updated = PaymentMethod.objects.filter(
                pk=method.pk, expiry_warned_on__isnull=True
            ).update(expiry_warned_on=day)
            if updated:
                notifying.card_expiring(method)
                warned += 1
    return warned
