"""Changing what a service costs: its price from a date, add-ons, a change of plan.

Each write is one transaction and one audit event. Rating reads the dated history
these leave behind (price rows, add-on dates, a service ended the day before its
replacement starts) and bills or trues up the days themselves.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.http import HttpRequest
from django.utils.translation import gettext as _

from dropline.catalog.models import AddOn, Plan
from dropline.core import audit, clock, read_models
from dropline.subscriptions.models import (
    Subscription,
    SubscriptionAddOn,
    SubscriptionPrice,
    SubscriptionStatus,
)

_ONE_DAY = dt.timedelta(days=1)


class PricingError(ValueError):
    """The change cannot be made as asked; ``field`` names the input that is wrong."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


def price_in_force(rows: list[tuple[dt.date, int]], day: dt.date, fallback: int) -> int:
    """The monthly price in force on ``day`` from dated ``(effective_on, cents)`` rows in
    date order: the latest from on or before it (the first row's before any; ``fallback``
    when there are none)."""
    price = rows[0][1] if rows else fallback
    for effective_on, cents in rows:
        if effective_on <= day:
            price = cents
    return price


def _check_cents(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise PricingError("monthly_price_cents", _("Enter the price in whole cents."))
    if value < 0:
        raise PricingError("monthly_price_cents", _("A price cannot be negative."))
    return value


def _check_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise PricingError("reason", _("Say why the price changes."))
    if len(reason) > 200:
        raise PricingError("reason", _("Keep the reason to 200 characters."))
    return reason


def _ensure_first_price(subscription: Subscription) -> None:
    """A service ordered before price history existed gets its first row: the price it
    was contracted at, from its start."""
    if not SubscriptionPrice.objects.filter(subscription=subscription).exists():
        SubscriptionPrice.objects.create(
            subscription=subscription,
            effective_on=subscription.started_on,
            monthly_price_cents=subscription.monthly_price_cents,
            reason="Price when ordered",
        )


def _active_on(subscription: Subscription, day: dt.date, field: str) -> None:
    if day < subscription.started_on:
        raise PricingError(field, _("The service had not started on that date."))
    if subscription.ended_on is not None and day > subscription.ended_on:
        raise PricingError(field, _("The service had ended by that date."))


def _audit(
    *,
    action: str,
    subscription: Subscription,
    actor: Any,
    request: HttpRequest | None,
    data: dict[str, Any],
) -> None:
    # Every change to a service's price, plan or add-ons is recorded here, so this is
    # also where the account's pages learn of it.
    read_models.accounts_changed([subscription.account_id])
    audit.record(
        action=action,
        request=request,
        actor=actor,
        target=subscription,
        account_number=subscription.account.number,
        data=data,
    )


def change_price(
    *,
    subscription: Subscription,
    monthly_price_cents: int,
    effective_on: dt.date,
    reason: str,
    actor: Any = None,
    request: HttpRequest | None = None,
) -> SubscriptionPrice:
    """The service's regular price is ``monthly_price_cents`` from ``effective_on`` on.

    ``Subscription.monthly_price_cents`` stays the price of today. Audited as
    ``subscription.price_changed``."""
    cents = _check_cents(monthly_price_cents)
    reason = _check_reason(reason)
    with transaction.atomic():
        locked = Subscription.objects.select_for_update().get(pk=subscription.pk)
        if effective_on <= locked.started_on:
            raise PricingError("effective_on", _("A new price starts after the service did."))
        _active_on(locked, effective_on, "effective_on")
        _ensure_first_price(locked)
        if SubscriptionPrice.objects.filter(
            subscription=locked, effective_on=effective_on
        ).exists():
            raise PricingError("effective_on", _("A price already starts on that date."))
        row = SubscriptionPrice.objects.create(
            subscription=locked,
            effective_on=effective_on,
            monthly_price_cents=cents,
            reason=reason,
        )
        rows = list(
            SubscriptionPrice.objects.filter(subscription=locked)
            .order_by("effective_on")
            .values_list("effective_on", "monthly_price_cents")
        )
        before = locked.monthly_price_cents
        locked.monthly_price_cents = price_in_force(rows, clock.today(), before)
        locked.save(update_fields=["monthly_price_cents"])
        subscription.monthly_price_cents = locked.monthly_price_cents
        _audit(
            action="subscription.price_changed",
            subscription=locked,
            actor=actor,
            request=request,
            data={
                "monthly_price_cents": cents,
                "effective_on": effective_on.isoformat(),
                "reason": reason,
            },
        )
    return row


def add_add_on(
    *,
    subscription: Subscription,
    add_on: AddOn,
    started_on: dt.date,
    actor: Any = None,
    request: HttpRequest | None = None,
) -> SubscriptionAddOn:
    """Add ``add_on`` at its catalogue price from ``started_on``; audited as
    ``subscription.add_on_added``."""
    if not add_on.is_active:
        raise PricingError("add_on", _("That add-on is no longer on sale."))
    if add_on.kind != subscription.plan.kind:
        raise PricingError("add_on", _("That add-on is not for this kind of service."))
    if add_on.currency != subscription.currency:
        raise PricingError("add_on", _("That add-on is priced in another currency."))
    with transaction.atomic():
        locked = Subscription.objects.select_for_update().get(pk=subscription.pk)
        _active_on(locked, started_on, "started_on")
        if SubscriptionAddOn.objects.filter(subscription=locked, add_on=add_on).exists():
            raise PricingError("add_on", _("The service already has that add-on."))
        added = SubscriptionAddOn.objects.create(
            subscription=locked,
            add_on=add_on,
            monthly_price_cents=add_on.monthly_price_cents,
            currency=add_on.currency,
            started_on=started_on,
        )
        _audit(
            action="subscription.add_on_added",
            subscription=locked,
            actor=actor,
            request=request,
            data={
                "add_on": add_on.code,
                "monthly_price_cents": add_on.monthly_price_cents,
                "started_on": started_on.isoformat(),
            },
        )
    return added


def end_add_on(
    *,
    subscription_add_on: SubscriptionAddOn,
    ended_on: dt.date,
    actor: Any = None,
    request: HttpRequest | None = None,
) -> SubscriptionAddOn:
    """``ended_on`` is the add-on's last day; audited as ``subscription.add_on_ended``."""
    with transaction.atomic():
        locked = (
            SubscriptionAddOn.objects.select_for_update()
            .select_related("subscription__account", "add_on")
            .get(pk=subscription_add_on.pk)
        )
        if locked.ended_on is not None:
            raise PricingError("subscription_add_on", _("That add-on has already ended."))
        if ended_on < locked.started_on:
            raise PricingError("ended_on", _("An add-on cannot end before it started."))
        locked.ended_on = ended_on
        locked.save(update_fields=["ended_on"])
        subscription_add_on.ended_on = ended_on
        _audit(
            action="subscription.add_on_ended",
            subscription=locked.subscription,
            actor=actor,
            request=request,
            data={"add_on": locked.add_on.code, "ended_on": ended_on.isoformat()},
        )
    return locked


def change_plan(
    *,
    subscription: Subscription,
    plan: Plan,
    on: dt.date,
    monthly_price_cents: int | None = None,
    actor: Any = None,
    request: HttpRequest | None = None,
) -> Subscription:
    """Move the service to ``plan`` from ``on``: the old service ends the day before and
    a new one starts on ``on`` at ``monthly_price_cents`` (the catalogue price when not
    given), with the same number, RADIUS username, label and add-ons that fit the plan.
    Any promotion stays with the old plan. Audited as ``subscription.plan_changed``."""
    cents = plan.monthly_price_cents if monthly_price_cents is None else monthly_price_cents
    cents = _check_cents(cents)
    if not plan.is_active:
        raise PricingError("plan", _("That plan is no longer on sale."))
    if plan.kind != subscription.plan.kind:
        raise PricingError("plan", _("Choose a plan for the same kind of service."))
    if plan.pk == subscription.plan_id:
        raise PricingError("plan", _("The service is already on that plan."))
    if plan.currency != subscription.currency:
        raise PricingError("plan", _("That plan is priced in another currency."))
    with transaction.atomic():
        old = (
            Subscription.objects.select_for_update()
            .select_related("account")
            .get(pk=subscription.pk)
        )
        if on <= old.started_on:
            raise PricingError("on", _("A plan change starts after the service did."))
        if old.ended_on is not None:
            raise PricingError("on", _("The service has already ended."))
        old.ended_on = on - _ONE_DAY
        fields = ["ended_on"]
        if on <= clock.today():
            old.status = SubscriptionStatus.CANCELLED
            fields.append("status")
        old.save(update_fields=fields)
        new = Subscription.objects.create(
            account=old.account,
            plan=plan,
            status=SubscriptionStatus.ACTIVE,
            monthly_price_cents=cents,
            currency=plan.currency,
            phone_number=old.phone_number,
            # The access network goes on reporting usage under the same name; the old
            # service has ended above, so the name is free among current services.
            radius_username=old.radius_username,
            label=old.label,
            started_on=on,
        )
        SubscriptionPrice.objects.create(
            subscription=new, effective_on=on, monthly_price_cents=cents, reason="Plan change"
        )
        kept = []
        for extra in SubscriptionAddOn.objects.filter(subscription=old).select_related("add_on"):
            last_day = extra.ended_on
            if last_day is not None and last_day < on:
                continue
            kept.append(
                SubscriptionAddOn(
                    subscription=new,
                    add_on=extra.add_on,
                    monthly_price_cents=extra.monthly_price_cents,
                    currency=extra.currency,
                    started_on=max(on, extra.started_on),
                    ended_on=last_day,
                )
            )
            if extra.started_on >= on:
                extra.delete()  # it was to start with the new plan: it moves there
            else:
                extra.ended_on = on - _ONE_DAY
                extra.save(update_fields=["ended_on"])
        SubscriptionAddOn.objects.bulk_create(kept)
        _audit(
            action="subscription.plan_changed",
            subscription=old,
            actor=actor,
            request=request,
            data={
                "from_plan": subscription.plan.code,
                "to_plan": plan.code,
                "on": on.isoformat(),
                "monthly_price_cents": cents,
                "new_subscription": new.pk,
            },
        )
    subscription.ended_on = old.ended_on
    subscription.status = old.status
    return new


def apply_due_prices(*, today: dt.date | None = None) -> int:
    """Bring ``Subscription.monthly_price_cents`` to the price in force ``today`` for every
    service whose dated price has come due since; returns how many changed. Rating
    reads the dated rows and never needs this; pages that show today's price do.
    Idempotent, for a daily job."""
    day = today or clock.today()
    current = (
        SubscriptionPrice.objects.filter(subscription=OuterRef("pk"), effective_on__lte=day)
        .order_by("-effective_on")
        .values("monthly_price_cents")[:1]
    )
    with transaction.atomic():
        due = list(
            Subscription.objects.annotate(current=Subquery(current))
            .filter(current__isnull=False)
            .exclude(monthly_price_cents=F("current"))
            .select_for_update(of=("self",))
            .values_list("pk", "current", "account_id")
        )
        for subscription_id, cents, _account_id in due:
            Subscription.objects.filter(pk=subscription_id).update(monthly_price_cents=cents)
        read_models.accounts_changed(account_id for _pk, _cents, account_id in due)
    return len(due)
