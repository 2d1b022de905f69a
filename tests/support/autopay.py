"""Payers on autopay, days run one by one under the clock, and what they were told."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from dropline.core import clock
from dropline.notifications.models import Message
from dropline.payments.autopay_run import run_autopay
from dropline.payments.dunning import run_dunning
from dropline.payments.models import Payment, PaymentSource
from tests.support.billing import at

D = dt.date
# ``make_payer``'s first bill: issued Mon Jan 5, 2026, due Mon Jan 26 (21 days' terms).
FIRST_DUE = D(2026, 1, 26)
SECOND_DUE = D(2026, 2, 26)
DECLINED = "4000000000000002"


def days(first: dt.date, last: dt.date) -> Iterator[dt.date]:
    day = first
    while day <= last:
        yield day
        day += dt.timedelta(days=1)


def run_days(first: dt.date, last: dt.date, *, twice: bool = False) -> None:
    """The daily autopay and dunning jobs for each day (each run twice with ``twice``)."""
    for day in days(first, last):
        with clock.frozen(at(day)):
            for _ in range(2 if twice else 1):
                run_autopay(today=day)
                run_dunning(today=day)


def autopay_payments(account_id: int) -> list[Payment]:
    return list(
        Payment.objects.filter(account_id=account_id, source=PaymentSource.AUTOPAY).order_by(
            "created_at", "id"
        )
    )


def told(account_id: int, event: str, channel: str = "in_app") -> list[Message]:
    return list(
        Message.objects.filter(account_id=account_id, event=event, channel=channel).order_by("id")
    )
