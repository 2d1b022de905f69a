"""Usage for the customer's meter, written straight into the roll-up tables (what the
ingest leaves behind): days, and the bill cycles they add up to."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from itertools import count

from dropline.catalog.models import Plan, ServiceKind
from dropline.customers.cycles import cycle_containing
from dropline.subscriptions.models import Subscription
from dropline.subscriptions.ordering import subscribe
from dropline.usage.models import GB, UsageCycle, UsageDay
from tests.support.factories import Customer, make_customer

_serial = count(1)
# Sunday Dec 6, 2026 at noon: the day 22 of the cycle Nov 15 to Dec 14 (bill date 15).
NOON = dt.datetime(2026, 12, 6, 12, tzinfo=dt.UTC)
CYCLE_START = dt.date(2026, 11, 15)
CYCLE_END = dt.date(2026, 12, 14)


def internet_plan(
    *,
    allowance_gb: int | None = 1200,
    block_gb: int | None = 50,
    block_cents: int = 1000,
    cap_cents: int | None = 10000,
    name: str = "",
) -> Plan:
    n = next(_serial)
    return Plan.objects.create(
        code=f"meter-internet-{n}",
        kind=ServiceKind.INTERNET,
        name=name or f"Internet {n}",
        name_es=f"Internet {n} (es)" if not name else "",
        monthly_price_cents=6000,
        download_mbps=500,
        upload_mbps=20,
        data_allowance_gb=allowance_gb,
        overage_block_gb=block_gb,
        overage_block_cents=block_cents if block_gb else 0,
        overage_cap_cents=cap_cents,
    )


def mobile_plan(*, price_per_gb: str | None = "15.00", allowance_gb: int | None = None) -> Plan:
    n = next(_serial)
    return Plan.objects.create(
        code=f"meter-mobile-{n}",
        kind=ServiceKind.MOBILE,
        name=f"Mobile by the gig {n}" if price_per_gb else f"Mobile {n}",
        monthly_price_cents=1500,
        price_per_gb=Decimal(price_per_gb) if price_per_gb else None,
        data_allowance_gb=allowance_gb,
    )


def metered_customer(
    username: str, *, plan: Plan | None = None, started_on: dt.date | None = None, label: str = ""
) -> tuple[Customer, Subscription]:
    """A household (bill date 15) with one internet service on ``plan``."""
    customer = make_customer(username=username, services=0, devices=0)
    service = subscribe(
        account=customer.account,
        plan=plan or internet_plan(),
        started_on=started_on or dt.date(2025, 6, 1),
        label=label,
    )
    return customer, service


def add_line(customer: Customer, *, phone: str, plan: Plan | None = None) -> Subscription:
    return subscribe(
        account=customer.account,
        plan=plan or mobile_plan(),
        started_on=dt.date(2025, 6, 1),
        phone_number=phone,
    )


def record_days(
    subscription: Subscription,
    used: Mapping[dt.date, int],
    *,
    download_share: int = 90,
    credited: Mapping[dt.date, int] | None = None,
) -> None:
    """``used`` bytes on each day (split between download and upload), added to the
    day and to the account's bill cycle holding it; ``credited`` bytes by cycle start."""
    anchor = subscription.account.bill_cycle_day
    cycles: dict[tuple[dt.date, dt.date], list[int]] = defaultdict(lambda: [0, 0])
    for day, amount in used.items():
        down = amount * download_share // 100
        UsageDay.objects.create(
            subscription=subscription, day=day, input_bytes=amount - down, output_bytes=down
        )
        cycle = cycle_containing(anchor, day)
        cycles[(cycle.start, cycle.end)][0] += amount - down
        cycles[(cycle.start, cycle.end)][1] += down
    for (start, end), (sent, received) in cycles.items():
        UsageCycle.objects.create(
            subscription=subscription,
            cycle_start=start,
            cycle_end=end,
            input_bytes=sent,
            output_bytes=received,
            credited_bytes=(credited or {}).get(start, 0),
        )


def spread(total: int, *, first: dt.date, last: dt.date) -> dict[dt.date, int]:
    """``total`` bytes over the days ``first``..``last``, the remainder on the last."""
    days = (last - first).days + 1
    each = total // days
    shares = {first + dt.timedelta(days=n): each for n in range(days)}
    shares[last] += total - each * days
    return shares


def gb(amount: int | str) -> int:
    """Bytes in ``amount`` GB, for readable tests (``gb(612)``, ``gb("1.5")``)."""
    return int(Decimal(str(amount)) * GB)
