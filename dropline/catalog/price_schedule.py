"""Effective-dated catalogue prices: scheduling one, canceling one still to come, and
the daily job that makes a scheduled price the catalogue's price when its day comes.

A ``ScheduledPrice`` is the price of new orders from its date. Whether it also changes
what existing subscribers pay is decided when it is scheduled and carried out by
``subscriptions.repricing`` (dated prices and notices, at least 30 days ahead); this
module only checks and records. Each write is one transaction and one audit event.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from dropline.catalog.errors import PriceScheduleError
from dropline.catalog.models import (
    AddOn,
    ApplyStatus,
    EquipmentModel,
    Plan,
    PricedItem,
    ScheduledPrice,
    ScheduledPriceStatus,
)
from dropline.core import audit, clock
from dropline.core.formatting import display_date

# Customers hear of a price change that applies to them at least this many days ahead.
NOTICE_DAYS = 30
MAX_REASON = 200

Priced = Plan | AddOn | EquipmentModel


def earliest_applied_date(today: dt.date) -> dt.date:
    """The first day a price change applied to existing subscribers may start on."""
    return today + dt.timedelta(days=NOTICE_DAYS)


def current_cents(item: Priced) -> int:
    """The item's catalogue price now (a rental's monthly fee for equipment)."""
    if isinstance(item, EquipmentModel):
        return item.monthly_rental_cents
    return item.monthly_price_cents


def item_kind(item: Priced) -> str:
    if isinstance(item, Plan):
        return PricedItem.PLAN
    if isinstance(item, AddOn):
        return PricedItem.ADD_ON
    return PricedItem.EQUIPMENT


def _item_field(kind: str) -> str:
    fields: dict[str, str] = {
        PricedItem.PLAN: "plan",
        PricedItem.ADD_ON: "add_on",
        PricedItem.EQUIPMENT: "equipment_model",
    }
    return fields[kind]


def check_schedule(
    *,
    item: Priced,
    effective_on: object,
    monthly_price_cents: object,
    reason: str,
    applies_to_subscribers: bool,
    today: dt.date,
) -> tuple[dt.date, int, str]:
    """The checked inputs, or ``PriceScheduleError`` naming the first wrong one."""
    if isinstance(monthly_price_cents, bool) or not isinstance(monthly_price_cents, int):
        raise PriceScheduleError("monthly_price_cents", _("Enter the price in whole cents."))
    if monthly_price_cents < 0:
        raise PriceScheduleError("monthly_price_cents", _("A price cannot be negative."))
    if not isinstance(effective_on, dt.date) or isinstance(effective_on, dt.datetime):
        raise PriceScheduleError("effective_on", _("Enter the day the new price starts."))
    if effective_on <= today:
        raise PriceScheduleError(
            "effective_on", _("A new price starts on a day still to come: choose a later day.")
        )
    earliest = earliest_applied_date(today)
    if applies_to_subscribers and effective_on < earliest:
        raise PriceScheduleError(
            "effective_on",
            _(
                "Subscribers must be told at least %(days)s days ahead: choose %(date)s "
                "or later, or leave existing subscribers at their price."
            )
            % {"days": NOTICE_DAYS, "date": display_date(earliest)},
        )
    if applies_to_subscribers and not isinstance(item, Plan):
        raise PriceScheduleError(
            "applies_to_subscribers",
            _(
                "Only a plan's new price can be applied to existing subscribers; "
                "subscribers keep the price of their add-ons and rentals."
            ),
        )
    text = (reason or "").strip()
    if not text:
        raise PriceScheduleError("reason", _("Say why the price changes."))
    if len(text) > MAX_REASON:
        raise PriceScheduleError(
            "reason", _("Keep the reason to %(count)s characters.") % {"count": MAX_REASON}
        )
    return effective_on, monthly_price_cents, text


def schedule_price(
    *,
    item: Priced,
    effective_on: dt.date,
    monthly_price_cents: int,
    reason: str,
    applies_to_subscribers: bool = False,
    actor: Any = None,
    request: HttpRequest | None = None,
) -> ScheduledPrice:
    """Record ``item``'s new monthly price from ``effective_on``; audited as
    ``catalog.price_scheduled``. Refused (``PriceScheduleError``) for a day that is
    not still to come, a negative price, a day that already has a price for the item,
    and, when it applies to subscribers, a day less than 30 days away.

    Call ``subscriptions.repricing.schedule`` when it applies to subscribers: it
    schedules through here and cuts the services into chunks in the same transaction.
    """
    today = clock.today()
    day, cents, text = check_schedule(
        item=item,
        effective_on=effective_on,
        monthly_price_cents=monthly_price_cents,
        reason=reason,
        applies_to_subscribers=applies_to_subscribers,
        today=today,
    )
    kind = item_kind(item)
    field = _item_field(kind)
    try:
        with transaction.atomic():
            # One scheduler at a time per item: the duplicate check below holds.
            type(item).objects.select_for_update().filter(pk=item.pk).first()
            taken = (
                ScheduledPrice.objects.filter(**{field: item, "effective_on": day})
                .exclude(status=ScheduledPriceStatus.CANCELLED)
                .exists()
            )
            if taken:
                raise PriceScheduleError(
                    "effective_on", _("A new price already starts on that day. Cancel it first.")
                )
            schedule = ScheduledPrice.objects.create(
                item=kind,
                **{field: item},
                effective_on=day,
                monthly_price_cents=cents,
                currency=item.currency,
                reason=text,
                applies_to_subscribers=applies_to_subscribers,
                apply_status=ApplyStatus.RUNNING
                if applies_to_subscribers
                else ApplyStatus.NOT_APPLIED,
                scheduled_by=actor if actor is not None and actor.pk else None,
                scheduled_at=clock.now(),
            )
            audit.record(
                action="catalog.price_scheduled",
                request=request,
                actor=actor,
                target=schedule,
                data={
                    "item": kind,
                    "code": item.code,
                    "effective_on": day.isoformat(),
                    "monthly_price_cents": cents,
                    "current_cents": current_cents(item),
                    "applies_to_subscribers": applies_to_subscribers,
                    "reason": text,
                },
            )
    except IntegrityError:
        # Another scheduler took the day between the check and the insert.
        raise PriceScheduleError(
            "effective_on", _("A new price already starts on that day. Cancel it first.")
        ) from None
    return schedule


def cancel_scheduled_price(
    *, schedule: ScheduledPrice, actor: Any = None, request: HttpRequest | None = None
) -> ScheduledPrice:
    """Cancel a price still to come; audited as ``catalog.price_canceled``. A price in
    effect, one already canceled, and one subscribers have been told about are kept."""
    with transaction.atomic():
        locked = ScheduledPrice.objects.select_for_update().get(pk=schedule.pk)
        if locked.status == ScheduledPriceStatus.CANCELLED:
            raise PriceScheduleError("schedule", _("That price change is already canceled."))
        if locked.status != ScheduledPriceStatus.SCHEDULED or locked.effective_on <= clock.today():
            raise PriceScheduleError(
                "schedule", _("That price is already in effect; schedule a new one instead.")
            )
        if locked.applies_to_subscribers:
            raise PriceScheduleError(
                "schedule",
                _(
                    "Subscribers have been told about this price change, so it stays. "
                    "Schedule a new price to change it again."
                ),
            )
        locked.status = ScheduledPriceStatus.CANCELLED
        locked.cancelled_at = clock.now()
        locked.cancelled_by = actor if actor is not None and actor.pk else None
        locked.save(update_fields=["status", "cancelled_at", "cancelled_by"])
        audit.record(
            action="catalog.price_canceled",
            request=request,
            actor=actor,
            target=locked,
            data={
                "item": locked.item,
                "code": locked.priced.code,
                "effective_on": locked.effective_on.isoformat(),
                "monthly_price_cents": locked.monthly_price_cents,
            },
        )
    schedule.status = locked.status
    schedule.cancelled_at = locked.cancelled_at
    return locked


def bring_prices_into_effect(*, today: dt.date | None = None) -> int:
    """Make every scheduled price whose day has come the catalogue's price, in date
    order (the latest wins), each audited as ``catalog.price_took_effect``; returns how
    many. Idempotent, for the daily jobs: a price in effect is not applied again."""
    day = today or clock.today()
    changed = 0
    with transaction.atomic():
        due = list(
            ScheduledPrice.objects.select_for_update(of=("self",))
            .filter(status=ScheduledPriceStatus.SCHEDULED, effective_on__lte=day)
            .select_related("plan", "add_on", "equipment_model")
            .order_by("effective_on", "id")
        )
        now = clock.now()
        for schedule in due:
            item = schedule.priced
            before = current_cents(item)
            if isinstance(item, EquipmentModel):
                EquipmentModel.objects.filter(pk=item.pk).update(
                    monthly_rental_cents=schedule.monthly_price_cents
                )
                item.monthly_rental_cents = schedule.monthly_price_cents
            else:
                type(item).objects.filter(pk=item.pk).update(
                    monthly_price_cents=schedule.monthly_price_cents
                )
                item.monthly_price_cents = schedule.monthly_price_cents
            schedule.replaced_cents = before
            schedule.status = ScheduledPriceStatus.IN_EFFECT
            schedule.took_effect_at = now
            schedule.save(update_fields=["replaced_cents", "status", "took_effect_at"])
            audit.record(
                action="catalog.price_took_effect",
                target=schedule,
                data={
                    "item": schedule.item,
                    "code": item.code,
                    "effective_on": schedule.effective_on.isoformat(),
                    "from_cents": before,
                    "to_cents": schedule.monthly_price_cents,
                },
            )
            changed += 1
    return changed
