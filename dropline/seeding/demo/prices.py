"""A price rise on Internet Ultra 500, scheduled 45 days ahead by the administrator and
applied to the plan's subscribers through the product's own writes: every service on
the plan gets its dated price, and the household's notice is in its inbox (and sent by
email) the day the demo is loaded, so "My services" shows the price to come.

Idempotent: a rise already scheduled for the plan (any day) is left as it is.
"""

from __future__ import annotations

import datetime as dt

from dropline.catalog.models import Plan, ScheduledPrice, ScheduledPriceStatus
from dropline.core import clock
from dropline.notifications.delivery import deliver, due_message_ids
from dropline.seeding.demo.year import staff
from dropline.subscriptions.repricing import run_apply, schedule

PLAN = "internet-500"
RISE_CENTS = 7499
DAYS_AHEAD = 45
REASON = "Network upgrades across Riverbend: faster Wi-Fi and more capacity at peak times"


def load() -> int:
    plan = Plan.objects.filter(code=PLAN).first()
    if plan is None:
        return 0
    if (
        ScheduledPrice.objects.filter(plan=plan, reason=REASON)
        .exclude(status=ScheduledPriceStatus.CANCELLED)
        .exists()
    ):
        return 0
    scheduled = schedule(
        item=plan,
        effective_on=clock.today() + dt.timedelta(days=DAYS_AHEAD),
        monthly_price_cents=RISE_CENTS,
        reason=REASON,
        applies_to_subscribers=True,
        actor=staff("admin"),
        queue=False,
    )
    done = run_apply(schedule=scheduled)
    for message_id in due_message_ids():
        deliver(message_id)
    return 1 + done.services_changed
