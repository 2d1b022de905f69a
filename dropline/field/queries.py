"""Reads of technician visits, always within one customer account: the windows it may
book, its visits, and whether one may still change."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F, QuerySet
from django.utils.translation import gettext as _

from dropline.core import clock
from dropline.customers.models import CustomerAccount
from dropline.field.errors import AppointmentError
from dropline.field.models import (
    OPEN_APPOINTMENT_STATUSES,
    Appointment,
    AppointmentStatus,
    CapacityTemplate,
    VisitReason,
    VisitWindow,
)
from dropline.field.windows import horizon, open_windows

# How many other windows a refused booking offers.
ALTERNATIVES = 3


@dataclass(frozen=True)
class WindowOffer:
    """A window a customer may book now, with its places left."""

    id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    open_places: int


def cutoff() -> dt.timedelta:
    return dt.timedelta(hours=settings.DROPLINE_VISIT_CHANGE_CUTOFF_HOURS)


def before_cutoff(starts_at: dt.datetime, *, now: dt.datetime | None = None) -> bool:
    """True up to (and at) the cut-off before a window starts: the moment a booking, a
    reschedule or a cancellation is still taken."""
    return (now or clock.now()) <= starts_at - cutoff()


def check_reason(reason: str) -> str:
    if reason not in VisitReason.values:
        raise AppointmentError(
            _("Choose what the visit is for: a repair, an installation or an equipment swap."),
            code="invalid",
            field="reason",
        )
    return reason


def area_id_of(account: CustomerAccount) -> int:
    """The account's service area: where its service address is."""
    return int(account.service_address.service_area_id)


def _ensure_open(area_id: int, last: dt.date) -> None:
    """Open the area's windows when its last week to the horizon has none yet (the nightly
    task has not run since the horizon moved, or the area is new). The week is looked at
    first: it has windows nearly always, and then that is the only query."""
    week = VisitWindow.objects.filter(
        area_id=area_id, date__gt=last - dt.timedelta(days=7), date__lte=last
    )
    if week.exists() or not CapacityTemplate.objects.filter(area_id=area_id).exists():
        return
    open_windows(area_ids=[area_id])


def _offers(windows: QuerySet[VisitWindow]) -> list[WindowOffer]:
    return [
        WindowOffer(id=w.pk, starts_at=w.starts_at, ends_at=w.ends_at, open_places=w.open_places)
        for w in windows
    ]


def open_windows_in(
    *, area_id: int, now: dt.datetime, days: int | None = None
) -> QuerySet[VisitWindow]:
    """Windows of the area with places, starting after the cut-off, up to the horizon."""
    _, last = horizon(days=days)
    _ensure_open(area_id, last)
    return VisitWindow.objects.filter(
        area_id=area_id,
        starts_at__gte=now + cutoff(),
        date__lte=last,
        booked__lt=F("capacity"),
    ).order_by("starts_at", "pk")


def bookable_windows(
    *,
    account: CustomerAccount,
    reason: str,
    now: dt.datetime | None = None,
    days: int | None = None,
) -> list[WindowOffer]:
    """The windows the account may book for ``reason``, the soonest first."""
    check_reason(reason)
    moment = now or clock.now()
    return _offers(open_windows_in(area_id=area_id_of(account), now=moment, days=days))


def nearest_windows(
    *, window: VisitWindow, now: dt.datetime | None = None, limit: int = ALTERNATIVES
) -> list[WindowOffer]:
    """Up to ``limit`` open windows of the same area nearest in time to ``window``."""
    moment = now or clock.now()
    candidates = open_windows_in(area_id=window.area_id, now=moment).exclude(pk=window.pk)
    offers = _offers(candidates)
    offers.sort(key=lambda o: (abs((o.starts_at - window.starts_at).total_seconds()), o.id))
    return sorted(offers[:limit], key=lambda o: o.starts_at)


def appointments_for(*, account: CustomerAccount) -> QuerySet[Appointment]:
    """The account's visits, the latest window first."""
    return Appointment.objects.filter(account=account).select_related(
        "window", "address", "technician"
    )


def appointment_for(*, account: CustomerAccount, appointment_id: int) -> Appointment | None:
    """One visit of the account; None for another account's (or no such) visit."""
    return appointments_for(account=account).filter(pk=appointment_id).first()


def upcoming_appointment(*, account: CustomerAccount) -> Appointment | None:
    """The account's open visit (scheduled, on the way or arrived), if it has one."""
    return (
        appointments_for(account=account)
        .filter(status__in=OPEN_APPOINTMENT_STATUSES)
        .order_by("window__starts_at", "pk")
        .first()
    )


def can_change(appointment: Appointment, *, now: dt.datetime | None = None) -> bool:
    """Whether the customer may still reschedule or cancel: scheduled and before the
    cut-off."""
    return appointment.status == AppointmentStatus.SCHEDULED and before_cutoff(
        appointment.window.starts_at, now=now
    )
