"""The demo household's first year, day by day.

``household.py`` writes what the Riveras had on the day they opened their account;
this is what happened since, each change on its day through the domain's own write:
José's mobile line, a technician's visit charged once, a credit for an outage, TV
Silver's price going up (told a month ahead), the Latino Pack ordered in the middle
of a cycle, the household reading each bill's notice a few days after it came, and
Mobile Unlimited's price going up from the next bill (told lately, so the bill
forecast has a change to call out). Their internet promotion, a year long from the
opening, ends by itself.

The billing step replays these between the bill runs, so every bill sees exactly
what was true on the day it was made. Each event checks whether it has happened
already, so loading the demo again repeats none of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from dropline.accounts.models import User
from dropline.billing.adjustments import enter_adjustment
from dropline.billing.models import Adjustment, AdjustmentKind, ChargeCategory
from dropline.catalog.models import AddOn, Plan
from dropline.core import clock
from dropline.core.dates import add_months
from dropline.customers.cycles import cycle_containing
from dropline.customers.models import CustomerAccount
from dropline.notifications import inbox
from dropline.subscriptions.models import Subscription, SubscriptionAddOn, SubscriptionPrice
from dropline.subscriptions.ordering import subscribe
from dropline.subscriptions.pricing import add_add_on, change_price

JOSE_PHONE = "+13195550187"
JOSE_JOINED_AFTER = dt.timedelta(days=40)
TV_PRICE_RAISED_CENTS = 8999
MOBILE_PRICE_RAISED_CENTS = 3299
NOTICE = dt.timedelta(days=30)  # price changes are told a month ahead
# description, Spanish description, amount in cents
VISIT = ("Technician visit", "Visita de un técnico", 4900)
OUTAGE_CREDIT = ("Internet outage", "Interrupción del servicio de internet", 1000)
ADDED_ADD_ON = "latino-pack"
READS_NOTICES_AFTER = dt.timedelta(days=3)


@dataclass(frozen=True)
class Event:
    """``apply`` makes the change unless it was made before, and returns how many
    records it created."""

    day: dt.date
    name: str
    apply: Callable[[], int]


def moment(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """``hour:minute`` on ``day`` in the provider's time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def happen(event: Event) -> int:
    """``event`` at ten in the morning of its day."""
    with clock.frozen(moment(event.day, 10)):
        return event.apply()


def cycle_start(account: CustomerAccount, months: int) -> dt.date:
    """The first day of the account's bill cycle ``months`` after the one it opened in."""
    cycle = cycle_containing(account.bill_cycle_day, account.opened_on)
    return add_months(cycle.start, months, anchor_day=cycle.anchor_day)


def staff(username: str) -> User | None:
    return User.objects.filter(username=username, is_staff=True).first()


def _service(account: CustomerAccount, plan_code: str) -> Subscription:
    return account.subscriptions.get(plan__code=plan_code, ended_on__isnull=True)


def _second_line(account: CustomerAccount, day: dt.date) -> Callable[[], int]:
    def apply() -> int:
        if account.subscriptions.filter(phone_number=JOSE_PHONE).exists():
            return 0
        subscribe(
            account=account,
            plan=Plan.objects.get(code="mobile-by-the-gig"),
            phone_number=JOSE_PHONE,
            label="José",
            add_ons=[AddOn.objects.get(code="intl-calling")],
            started_on=day,
        )
        return 1

    return apply


def _adjustment(
    account: CustomerAccount,
    kind: str,
    words: tuple[str, str, int],
    *,
    category: str,
    reason: str,
    day: dt.date,
) -> Callable[[], int]:
    description, description_es, cents = words

    def apply() -> int:
        if Adjustment.objects.filter(account=account, description=description).exists():
            return 0
        enter_adjustment(
            account=account,
            kind=kind,
            amount_cents=cents,
            description=description,
            description_es=description_es,
            reason=reason,
            category=category,
            occurred_on=day,
            actor=staff("billing"),
        )
        return 1

    return apply


def _price_change(
    account: CustomerAccount, plan_code: str, cents: int, effective_on: dt.date, reason: str
) -> Callable[[], int]:
    def apply() -> int:
        service = _service(account, plan_code)
        if SubscriptionPrice.objects.filter(
            subscription=service, effective_on=effective_on
        ).exists():
            return 0
        change_price(
            subscription=service,
            monthly_price_cents=cents,
            effective_on=effective_on,
            reason=reason,
            actor=staff("billing"),
        )
        return 1

    return apply


def _add_on(account: CustomerAccount, day: dt.date) -> Callable[[], int]:
    def apply() -> int:
        tv = _service(account, "tv-silver")
        add_on = AddOn.objects.get(code=ADDED_ADD_ON)
        if SubscriptionAddOn.objects.filter(subscription=tv, add_on=add_on).exists():
            return 0
        # Maria called customer care, who added it from that day.
        add_add_on(subscription=tv, add_on=add_on, started_on=day, actor=staff("care"))
        return 1

    return apply


def _read_notices(account: CustomerAccount) -> Callable[[], int]:
    """Everyone on the account reads the notices that came before this moment (marking
    read creates nothing)."""

    def apply() -> int:
        for user in User.objects.filter(memberships__account=account):
            unread = inbox.inbox_for(user=user).filter(
                read_at__isnull=True, created_at__lt=clock.now()
            )
            for message_id in unread.values_list("pk", flat=True):
                inbox.mark_read(user=user, message_id=message_id)
        return 0

    return apply


def events(account: CustomerAccount) -> list[Event]:
    """The household's year in date order; the latest bill's notice is left unread."""
    joined = account.opened_on + JOSE_JOINED_AFTER
    visit_on = cycle_start(account, 2) + dt.timedelta(days=12)
    outage_on = cycle_start(account, 4) + dt.timedelta(days=18)
    price_from = cycle_start(account, 6)
    add_on_from = cycle_start(account, 8) + dt.timedelta(days=11)
    mobile_price_from = cycle_start(account, 13)
    happened = [
        Event(joined, "José's mobile line", _second_line(account, joined)),
        Event(
            visit_on,
            "technician visit",
            _adjustment(
                account,
                AdjustmentKind.CHARGE,
                VISIT,
                category=ChargeCategory.FEES,
                reason="Moved the gateway to the upstairs office at the customer's request.",
                day=visit_on,
            ),
        ),
        Event(
            outage_on,
            "outage credit",
            _adjustment(
                account,
                AdjustmentKind.CREDIT,
                OUTAGE_CREDIT,
                category=ChargeCategory.INTERNET,
                reason="No internet for most of a day after a fiber cut in Riverbend North.",
                day=outage_on,
            ),
        ),
        Event(
            price_from - NOTICE,
            "TV price change",
            _price_change(
                account,
                "tv-silver",
                TV_PRICE_RAISED_CENTS,
                price_from,
                "Yearly TV programming price change, told to customers a month ahead",
            ),
        ),
        # Told lately, from the next bill on: the bill forecast calls it out.
        Event(
            mobile_price_from - NOTICE,
            "Mobile Unlimited price change",
            _price_change(
                account,
                "mobile-unlimited",
                MOBILE_PRICE_RAISED_CENTS,
                mobile_price_from,
                "Mobile network costs, told to customers a month ahead",
            ),
        ),
        Event(add_on_from, "Latino Pack added", _add_on(account, add_on_from)),
    ]
    happened += [
        Event(
            cycle_start(account, month) + READS_NOTICES_AFTER, "bill read", _read_notices(account)
        )
        for month in range(12)
    ]
    return sorted(happened, key=lambda event: event.day)
