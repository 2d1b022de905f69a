"""The household's change made online: a few days after their latest bill, Maria added
a static IP address to the internet service through the same order a visitor places,
with its preview, its confirmation message (delivered and read) and its place in
the order history. The
next bill trues up those days exactly as the preview said.

It takes effect at once, so no order is left pending: a visitor can change any service.
Idempotent: an order already placed for it is not placed again.
"""

from __future__ import annotations

import datetime as dt

from dropline.core import clock
from dropline.notifications import inbox
from dropline.notifications.delivery import deliver, due_message_ids
from dropline.orders.changes import ADD_ADD_ON, Change
from dropline.orders.models import Order
from dropline.orders.placing import place_order
from dropline.orders.preview import preview_change
from dropline.seeding.demo import household, year
from dropline.subscriptions.models import Subscription, SubscriptionAddOn

ADDED_ADD_ON = "static-ip"
DAYS_AFTER_LATEST_BILL = 5


def load() -> int:
    account = household.loaded_account()
    if account is None or Order.objects.filter(account=account).exists():
        return 0
    holder = account.members.get(role="holder").user
    internet = (
        Subscription.objects.filter(account=account, plan__kind="internet", ended_on__isnull=True)
        .order_by("-started_on")
        .first()
    )
    if internet is None:
        return 0
    if SubscriptionAddOn.objects.filter(subscription=internet, add_on__code=ADDED_ADD_ON).exists():
        return 0
    day = clock.today() - dt.timedelta(days=household.LATEST_BILL_DAYS_AGO - DAYS_AFTER_LATEST_BILL)
    change = Change(subscription_id=internet.pk, action=ADD_ADD_ON, add_on_code=ADDED_ADD_ON)
    with clock.frozen(year.moment(day, 19, 30)):
        language = account.preferred_language
        seen = preview_change(account=account, change=change, language=language)
        order = place_order(
            user=holder,
            account=account,
            change=change,
            fingerprint=seen.fingerprint,
            language=language,
        )
    # The confirmation goes out a minute later, and the household reads it that evening.
    with clock.frozen(year.moment(day, 19, 31)):
        for message_id in due_message_ids():
            deliver(message_id)
    with clock.frozen(year.moment(day, 21)):
        for member in account.members.select_related("user"):
            mine = inbox.inbox_for(user=member.user).filter(
                subject_key=f"order:{order.pk}", read_at__isnull=True
            )
            for message_id in mine.values_list("pk", flat=True):
                inbox.mark_read(user=member.user, message_id=message_id)
    return 1
