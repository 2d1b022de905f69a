"""Opening arrival windows: the days ahead made bookable from the capacity templates and
their exceptions, in bulk.

A window's times are the template's wall-clock times on that day in the provider's time
zone (``TIME_ZONE``), so an 8-10 window stays 8-10 across a daylight saving change.
An exception lowers or closes windows (capacity 0); a window whose template is gone is
closed too. ``booked`` is never written here: places already taken stay taken, even in a
window closed after they were booked.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings

from dropline.core import clock
from dropline.field.models import CapacityException, CapacityTemplate, VisitWindow


def provider_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def local_moment(day: dt.date, time: dt.time) -> dt.datetime:
    """``time`` on ``day`` on the provider's clocks, as an aware datetime in UTC. A time
    that does not exist that day (skipped by a change to summer time) lands after the gap;
    one that happens twice is the first."""
    return dt.datetime.combine(day, time, tzinfo=provider_zone()).astimezone(dt.UTC)


def horizon(*, today: dt.date | None = None, days: int | None = None) -> tuple[dt.date, dt.date]:
    """The first and last day customers may book: today and ``days`` days ahead."""
    first = today or clock.today()
    span = settings.DROPLINE_BOOKING_DAYS if days is None else days
    return first, first + dt.timedelta(days=span)


def _capacity(template: CapacityTemplate, exceptions: list[CapacityException]) -> int:
    """The template's capacity lowered by the day's exceptions for its window (or for the
    whole day): the lowest applies."""
    capacity = template.capacity
    for exception in exceptions:
        if exception.starts_at is None or exception.starts_at == template.starts_at:
            capacity = min(capacity, exception.capacity)
    return capacity


def open_windows(
    *,
    today: dt.date | None = None,
    days: int | None = None,
    area_ids: Iterable[int] | None = None,
) -> int:
    """Create or refresh the windows of every area (or of ``area_ids``) from today to the
    horizon, with two queries to read and one bulk upsert to write. Returns the rows
    created or changed."""
    first, last = horizon(today=today, days=days)
    templates = CapacityTemplate.objects.all()
    exceptions = CapacityException.objects.filter(date__gte=first, date__lte=last)
    existing = VisitWindow.objects.filter(date__gte=first, date__lte=last)
    if area_ids is not None:
        ids = list(area_ids)
        templates = templates.filter(area_id__in=ids)
        exceptions = exceptions.filter(area_id__in=ids)
        existing = existing.filter(area_id__in=ids)

    by_weekday: dict[int, list[CapacityTemplate]] = defaultdict(list)
    for template in templates:
        by_weekday[template.weekday].append(template)
    day_exceptions: dict[tuple[int, dt.date], list[CapacityException]] = defaultdict(list)
    for exception in exceptions:
        day_exceptions[(exception.area_id, exception.date)].append(exception)
    current = {
        (w.area_id, w.starts_at): (w.ends_at, w.capacity)
        for w in existing.only("area_id", "starts_at", "ends_at", "capacity")
    }

    wanted: dict[tuple[int, dt.datetime], VisitWindow] = {}
    day = first
    while day <= last:
        for template in by_weekday.get(day.weekday(), ()):
            starts_at = local_moment(day, template.starts_at)
            window = VisitWindow(
                area_id=template.area_id,
                date=day,
                starts_at=starts_at,
                ends_at=local_moment(day, template.ends_at),
                capacity=_capacity(template, day_exceptions.get((template.area_id, day), [])),
            )
            wanted[(template.area_id, starts_at)] = window
        day += dt.timedelta(days=1)

    rows = [
        window
        for key, window in wanted.items()
        if current.get(key) != (window.ends_at, window.capacity)
    ]
    # Windows no template makes any more close (their bookings stay).
    for (area_id, starts_at), (ends_at, capacity) in current.items():
        if (area_id, starts_at) not in wanted and capacity != 0:
            local_day = starts_at.astimezone(provider_zone()).date()
            rows.append(
                VisitWindow(
                    area_id=area_id,
                    date=local_day,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    capacity=0,
                )
            )
    if rows:
        VisitWindow.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["area", "starts_at"],
            update_fields=["date", "ends_at", "capacity"],
            batch_size=500,
        )
    return len(rows)
