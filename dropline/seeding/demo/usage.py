"""The household's year of data, as their access network reported it.

Every day since the account opened, the Riveras' gateway (RADIUS username
``demo-internet``) ran one accounting session, re-authenticated at midnight: a Start,
an Interim-Update on the hour with the session's cumulative counters, and a Stop just
before midnight, as FreeRADIUS's ``rest`` module posts them. Evenings are heavier than
mornings, weekends heavier than weekdays, and a month comes to 600 to 900 GB, except
two: the summer month the cousins stayed (past the 1.2 TB allowance for the first time,
forgiven as a courtesy on the next bill) and the month of the game tournament (over
again within a year: charged, $10 per 50 GB). Each mobile line runs a data session a
day with a few interims; José's line is by the gig, so his data is on every bill.

Nothing is written into the roll-up tables here: the readings go through the ingest
(``usage.ingest.ingest``) one day at a time, and the billing step replays those days
between its bill runs (``events``), so each bill charges the data of the cycle before
it, as it was known that night. A day whose sessions were counted already is skipped,
so loading the demo again counts nothing twice.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence

from dropline.core import clock
from dropline.customers.cycles import cycle_containing
from dropline.customers.models import CustomerAccount
from dropline.seeding.demo import year
from dropline.subscriptions.models import Subscription
from dropline.usage.ingest import ingest
from dropline.usage.mapping import set_radius_username
from dropline.usage.models import GB, SessionStatus, Source, UsageSession
from dropline.usage.readings import Reading

USERNAME = "demo-internet"
NAS = "riverbend-bng-1"
MOBILE_NAS = "riverbend-pgw-1"
MARIA_PHONE = "+13195550142"
# GB the household's internet uses in each bill cycle since the opening (the last is the
# cycle in progress); the allowance is 1.2 TB.
INTERNET_GB = [640, 710, 780, 690, 820, 1320, 760, 700, 880, 1450, 730, 810, 760]
FIRST_OVER, SECOND_OVER = 5, 9  # the cycles past the allowance
MARIA_GB, JOSE_GB = 11, 1  # a month, give or take
UPLOAD_SHARE = 0.08
# How the day's data falls across its hours (local time), weekdays and weekends.
WEEKDAY_HOURS = [3, 2, 1, 1, 1, 2, 5, 8, 9, 9, 9, 9, 10, 9, 9, 10, 12, 16, 22, 26, 27, 24, 16, 8]
WEEKEND_HOURS = [
    5, 3, 2, 1, 1, 1, 3, 5, 9, 13, 15, 16, 16, 15, 15, 16, 17, 19, 23, 26, 27, 25, 18, 10
]  # fmt: skip
MOBILE_HOURS = (8, 13, 18)  # interims; the stop comes at 23:00
WEEKEND_SHARE = 1.3


def _rng(*key: object) -> random.Random:
    return random.Random("/".join(map(str, key)))


def _day_bytes(account: CustomerAccount, day: dt.date, cycle_gb: dict[dt.date, int]) -> int:
    """The household's internet bytes on ``day``: its cycle's total, shared by day
    weights (weekends heavier, some noise), the same on every load."""
    cycle = cycle_containing(account.bill_cycle_day, day)
    rng = _rng(account.number, cycle.start)
    weights = []
    for offset in range(cycle.days):
        current = cycle.start + dt.timedelta(days=offset)
        share = WEEKEND_SHARE if current.weekday() >= 5 else 1.0
        weights.append(share * rng.uniform(0.75, 1.25))
    index = (day - cycle.start).days
    total = cycle_gb.get(cycle.start, INTERNET_GB[-1]) * GB
    return int(total * weights[index] / sum(weights))


def _session(
    key: str,
    username: str,
    nas: str,
    day: dt.date,
    points: Sequence[tuple[dt.datetime, int]],
) -> list[Reading]:
    """A day's session: a Start at midnight, then the cumulative counters at each of
    ``points`` (moment, bytes added since the last), the last one a Stop."""
    began = year.moment(day, 0)
    readings = [
        Reading(key, username, SessionStatus.START, 0, 0, 0, began, nas),
    ]
    sent = received = 0
    for index, (moment, added) in enumerate(points):
        upload = int(added * UPLOAD_SHARE)
        sent += upload
        received += added - upload
        status = SessionStatus.STOP if index == len(points) - 1 else SessionStatus.INTERIM
        seconds = int((moment - began).total_seconds())
        readings.append(Reading(key, username, status, sent, received, seconds, moment, nas))
    return readings


def _shares(total: int, weights: Sequence[float]) -> list[int]:
    whole = sum(weights)
    parts = [int(total * weight / whole) for weight in weights]
    parts[-1] += total - sum(parts)
    return parts


def _internet_day(
    account: CustomerAccount, day: dt.date, cycle_gb: dict[dt.date, int]
) -> list[Reading]:
    hours = WEEKEND_HOURS if day.weekday() >= 5 else WEEKDAY_HOURS
    rng = _rng(account.number, "hours", day)
    weights = [hour * rng.uniform(0.8, 1.2) for hour in hours]
    added = _shares(_day_bytes(account, day, cycle_gb), weights)
    points = [(year.moment(day, hour + 1), bytes_) for hour, bytes_ in enumerate(added[:-1])]
    points.append((year.moment(day, 23, 59) + dt.timedelta(seconds=59), added[-1]))
    return _session(f"{NAS}/{USERNAME}/{day.isoformat()}", USERNAME, NAS, day, points)


def _mobile_day(phone: str, gb_a_month: int, day: dt.date) -> list[Reading]:
    rng = _rng(phone, day)
    weekend = WEEKEND_SHARE if day.weekday() >= 5 else 1.0
    total = int(gb_a_month * GB / 30 * weekend * rng.uniform(0.3, 1.7))
    moments = [year.moment(day, hour) for hour in (*MOBILE_HOURS, 23)]
    added = _shares(total, [rng.uniform(0.5, 1.5) for _ in moments])
    return _session(
        f"{MOBILE_NAS}/{phone}/{day.isoformat()}",
        phone,
        MOBILE_NAS,
        day,
        list(zip(moments, added, strict=True)),
    )


def _set_username(internet: Subscription) -> Callable[[], int]:
    def apply() -> int:
        # Customer care named the gateway in RADIUS the day service started.
        if Subscription.objects.filter(pk=internet.pk).exclude(radius_username="").exists():
            return 0
        set_radius_username(
            subscription_id=internet.pk, username=USERNAME, actor=year.staff("care"), ip=None
        )
        return 1

    return apply


def _days(
    account: CustomerAccount,
    days: Sequence[dt.date],
    lines: Sequence[tuple[str, int, dt.date]],
    cycle_gb: dict[dt.date, int],
    counted: set[str],
) -> Callable[[], int]:
    """The days' sessions that were not counted before, through the ingest in one batch
    (as a collector posting a week's backlog would); returns how many sessions it
    counted."""

    def apply() -> int:
        readings: list[Reading] = []
        sessions = 0
        for day in days:
            for made in (
                _internet_day(account, day, cycle_gb),
                *(_mobile_day(phone, gb, day) for phone, gb, since in lines if since <= day),
            ):
                if made[0].session_key in counted:
                    continue
                readings.extend(made)
                sessions += 1
        if readings:
            received = year.moment(days[-1] + dt.timedelta(days=1), 0, 1)
            ingest(readings, source=Source.DEMO, received_at=received)
        return sessions

    return apply


def events(account: CustomerAccount) -> list[year.Event]:
    """The household's days of data up to yesterday, each week on its last day."""
    internet = (
        account.subscriptions.filter(plan__kind="internet").order_by("started_on", "id").first()
    )
    if internet is None:
        return []
    cycle_gb = {year.cycle_start(account, month): gb for month, gb in enumerate(INTERNET_GB)}
    lines = [(MARIA_PHONE, MARIA_GB, account.opened_on)]
    # José's line starts on the day he joined; his data from the day after.
    jose_from = account.opened_on + year.JOSE_JOINED_AFTER + dt.timedelta(days=1)
    lines.append((year.JOSE_PHONE, JOSE_GB, jose_from))
    counted = set(
        UsageSession.objects.filter(
            username__in=[USERNAME, MARIA_PHONE, year.JOSE_PHONE], stopped_at__isnull=False
        ).values_list("key", flat=True)
    )
    happened = [year.Event(account.opened_on, "gateway's RADIUS username", _set_username(internet))]
    # A week of data at a time, never across a bill date: each bill still sees every day
    # of the cycle it charges, and the demo makes a few dozen batches instead of a year
    # of single days.
    weeks: dict[tuple[dt.date, int], list[dt.date]] = {}
    day = account.opened_on
    while day < clock.today():
        start = cycle_containing(account.bill_cycle_day, day).start
        weeks.setdefault((start, (day - start).days // 7), []).append(day)
        day += dt.timedelta(days=1)
    for days in weeks.values():
        data = _days(account, days, lines, cycle_gb, counted)
        happened.append(year.Event(days[-1], "days of data", data))
    return happened
