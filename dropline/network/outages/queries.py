"""Reads about outages and maintenance: for one customer's service address, for the
public status page (areas only, never an account) and for staff.

An outage is *current* from its start until it is resolved; a maintenance is current
while its window (start to expected end) is on and it is neither resolved nor
cancelled. *Upcoming* is maintenance whose window has not started; *recent* is what
was resolved in the last ``RECENT_DAYS`` days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from dropline.accounts.models import User
from dropline.core import clock
from dropline.customers.models import CustomerAccount, ServiceArea
from dropline.network.models import Outage, OutageKind, OutageStatus, OutageUpdate, OutageWatch

RECENT_DAYS = 7
OPEN = (
    OutageStatus.SCHEDULED,
    OutageStatus.INVESTIGATING,
    OutageStatus.IDENTIFIED,
    OutageStatus.IN_PROGRESS,
)


@dataclass(frozen=True)
class AccountOutages:
    """What is going on at one account's service address."""

    area: ServiceArea
    current: list[Outage]
    upcoming: list[Outage]
    recent: list[Outage]

    @property
    def all_well(self) -> bool:
        return not self.current


@dataclass(frozen=True)
class AreaState:
    """One service area on the public status page."""

    area: ServiceArea
    current: list[Outage]
    upcoming: list[Outage]
    recent: list[Outage]

    @property
    def state(self) -> str:
        """``outage``, ``maintenance`` (work on now, no outage) or ``ok``."""
        if any(o.kind == OutageKind.OUTAGE for o in self.current):
            return "outage"
        return "maintenance" if self.current else "ok"


def _with_story(outages: QuerySet[Outage]) -> QuerySet[Outage]:
    return outages.prefetch_related(
        "areas", Prefetch("updates", queryset=OutageUpdate.objects.order_by("posted_at", "id"))
    )


def _current(moment: dt.datetime) -> Q:
    return Q(status__in=OPEN, starts_at__lte=moment) & (
        Q(kind=OutageKind.OUTAGE) | Q(eta__gt=moment)
    )


def _upcoming(moment: dt.datetime) -> Q:
    return Q(kind=OutageKind.MAINTENANCE, status=OutageStatus.SCHEDULED, starts_at__gt=moment)


def _recent(moment: dt.datetime) -> Q:
    return Q(status=OutageStatus.RESOLVED, resolved_at__gt=moment - dt.timedelta(days=RECENT_DAYS))


def current_for_area(*, service_area_id: int, at: dt.datetime | None = None) -> list[Outage]:
    """Outages and maintenance on now in the area, the earliest first."""
    moment = at or clock.now()
    found = Outage.objects.filter(_current(moment), areas__id=service_area_id)
    return list(_with_story(found).order_by("starts_at", "id"))


def _for_area(area: ServiceArea, moment: dt.datetime) -> tuple[list[Outage], ...]:
    found = list(
        _with_story(
            Outage.objects.filter(
                _current(moment) | _upcoming(moment) | _recent(moment), areas=area
            )
        ).order_by("starts_at", "id")
    )
    current = [o for o in found if _is_current(o, moment)]
    upcoming = [o for o in found if o.status == OutageStatus.SCHEDULED and o.starts_at > moment]
    recent = sorted(
        (o for o in found if o.status == OutageStatus.RESOLVED),
        key=lambda o: o.resolved_at or o.starts_at,
        reverse=True,
    )
    return current, upcoming, recent


def _is_current(outage: Outage, moment: dt.datetime) -> bool:
    if outage.status not in OPEN or outage.starts_at > moment:
        return False
    return outage.kind == OutageKind.OUTAGE or (outage.eta is not None and outage.eta > moment)


def for_account(*, account: CustomerAccount, at: dt.datetime | None = None) -> AccountOutages:
    """Current, upcoming and recently resolved outages at the account's service address,
    each with its areas and its updates, in three queries."""
    area = ServiceArea.objects.get(addresses__accounts=account)
    current, upcoming, recent = _for_area(area, at or clock.now())
    return AccountOutages(area=area, current=current, upcoming=upcoming, recent=recent)


def outage_for_account(*, account: CustomerAccount, outage_id: int) -> Outage:
    """An outage in the account's area that is not over, or ``Outage.DoesNotExist``:
    one elsewhere, or over, is not the account's to watch."""
    return Outage.objects.get(
        pk=outage_id,
        areas__addresses__accounts=account,
        status__in=OPEN,
    )


def watched_ids(*, user: User, outage_ids: Iterable[int]) -> set[int]:
    """Which of these outages ``user`` asked to be told about."""
    return set(
        OutageWatch.objects.filter(user=user, outage_id__in=list(outage_ids)).values_list(
            "outage_id", flat=True
        )
    )


def public_areas(*, at: dt.datetime | None = None) -> list[AreaState]:
    """Every service area with what is on now and ahead there, in three queries."""
    moment = at or clock.now()
    areas = list(ServiceArea.objects.order_by("name"))
    found = list(
        Outage.objects.filter(_current(moment) | _upcoming(moment))
        .prefetch_related("areas")
        .order_by("starts_at", "id")
    )
    states = []
    for area in areas:
        here = [o for o in found if any(a.pk == area.pk for a in o.areas.all())]
        states.append(
            AreaState(
                area=area,
                current=[o for o in here if _is_current(o, moment)],
                upcoming=[o for o in here if not _is_current(o, moment)],
                recent=[],
            )
        )
    return states


def public_area(*, code: str, at: dt.datetime | None = None) -> AreaState:
    """One area's current, upcoming and recently resolved outages; raises
    ``ServiceArea.DoesNotExist`` for an unknown code."""
    area = ServiceArea.objects.get(code=code)
    current, upcoming, recent = _for_area(area, at or clock.now())
    return AreaState(area=area, current=current, upcoming=upcoming, recent=recent)


def staff_list(*, state: str, at: dt.datetime | None = None) -> QuerySet[Outage]:
    """For the back-office: ``current`` (open and started), ``scheduled`` (maintenance
    ahead) or ``resolved`` (resolved or cancelled), newest first."""
    moment = at or clock.now()
    if state == "scheduled":
        found = Outage.objects.filter(status=OutageStatus.SCHEDULED, starts_at__gt=moment)
    elif state == "resolved":
        found = Outage.objects.filter(status__in=[OutageStatus.RESOLVED, OutageStatus.CANCELLED])
    else:
        found = Outage.objects.filter(status__in=OPEN, starts_at__lte=moment)
    return found.prefetch_related("areas").order_by("-starts_at", "-id")


def outage_with_story(*, outage_id: int) -> Outage:
    """One outage with its areas and updates (staff); ``Outage.DoesNotExist`` if none."""
    return _with_story(Outage.objects.select_related("announcement")).get(pk=outage_id)


def open_ended_announcements(*, announcement_ids: list[int]) -> set[int]:
    """Which of these announcements are for an outage with no expected end yet."""
    if not announcement_ids:
        return set()
    return set(
        Outage.objects.filter(announcement_id__in=announcement_ids, eta__isnull=True).values_list(
            "announcement_id", flat=True
        )
    )
