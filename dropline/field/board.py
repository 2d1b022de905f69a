"""Staff reads for the dispatch board: the day's visits by area and arrival window, one
visit with its events and the technicians who may take it, the technicians, the weekly
capacity templates and the exceptions. Each read is a fixed, small number of queries,
whatever the number of visits, windows or technicians."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from dropline.core import clock
from dropline.customers.models import ServiceArea
from dropline.field.models import (
    Appointment,
    AppointmentEvent,
    AppointmentStatus,
    CapacityException,
    CapacityTemplate,
    Technician,
    VisitWindow,
    Weekday,
)


@dataclass(frozen=True)
class BoardWindow:
    """One arrival window on the board with the visits booked in it (canceled ones aside)."""

    window: VisitWindow
    visits: list[Appointment] = field(default_factory=list)


@dataclass(frozen=True)
class DayBoard:
    day: dt.date
    area: ServiceArea | None
    windows: list[BoardWindow]

    @property
    def visit_count(self) -> int:
        return sum(len(row.visits) for row in self.windows)

    @property
    def unassigned_count(self) -> int:
        return sum(1 for row in self.windows for visit in row.visits if visit.technician is None)


def service_areas() -> list[ServiceArea]:
    return list(ServiceArea.objects.order_by("name", "pk"))


def day_board(*, day: dt.date, area_id: int | None = None) -> DayBoard:
    """The day's windows (in one area, or every area) as rows, each with its visits: account,
    address, reason, technician and status. Three queries."""
    area = ServiceArea.objects.filter(pk=area_id).first() if area_id is not None else None
    windows = VisitWindow.objects.filter(date=day).select_related("area")
    if area_id is not None:
        windows = windows.filter(area_id=area_id)
    rows = {
        window.pk: BoardWindow(window=window)
        for window in windows.order_by("starts_at", "area__name")
    }
    visits = (
        Appointment.objects.filter(window_id__in=list(rows))
        .exclude(status=AppointmentStatus.CANCELED)
        .select_related("account", "address", "technician", "window")
        .order_by("window__starts_at", "created_at", "pk")
    )
    for visit in visits:
        rows[visit.window_id].visits.append(visit)
    return DayBoard(day=day, area=area, windows=list(rows.values()))


def staff_appointment(*, appointment_id: int) -> Appointment | None:
    """One visit for dispatch, with its account, address, window, technician and events."""
    return (
        Appointment.objects.filter(pk=appointment_id)
        .select_related("account", "address", "window__area", "technician", "booked_by")
        .prefetch_related(
            Prefetch(
                "events",
                queryset=AppointmentEvent.objects.select_related("actor").order_by("at", "pk"),
            )
        )
        .first()
    )


def technicians_for(appointment: Appointment) -> list[Technician]:
    """Active technicians who cover the visit's area and work on its day."""
    weekday = str(appointment.window.date.weekday())
    return list(
        Technician.objects.filter(
            is_active=True, areas=appointment.window.area_id, workdays__contains=weekday
        )
        .distinct()
        .order_by("name", "pk")
    )


def technicians() -> list[Technician]:
    """Every technician with their areas and staff sign-in (two queries)."""
    return list(
        Technician.objects.select_related("user")
        .prefetch_related("areas")
        .order_by("-is_active", "name", "pk")
    )


def technician(*, technician_id: int) -> Technician | None:
    return Technician.objects.prefetch_related("areas").filter(pk=technician_id).first()


def working_days(technician: Technician) -> list[str]:
    """The days a technician works, in words, Monday first."""
    return [str(day.label) for day in Weekday if technician.works_on(day.value)]


@dataclass(frozen=True)
class TemplateRow:
    """One arrival window of an area's week: its times and, per weekday, the template (or
    None where the area has no such window that day)."""

    starts_at: dt.time
    ends_at: dt.time
    days: list[CapacityTemplate | None]


def template_grid(*, area_id: int) -> list[TemplateRow]:
    """An area's weekly capacity as a grid: window rows by start time, weekday columns."""
    by_start: dict[dt.time, TemplateRow] = {}
    for template in CapacityTemplate.objects.filter(area_id=area_id).order_by(
        "starts_at", "weekday"
    ):
        row = by_start.setdefault(
            template.starts_at,
            TemplateRow(starts_at=template.starts_at, ends_at=template.ends_at, days=[None] * 7),
        )
        row.days[template.weekday] = template
    return list(by_start.values())


def template(*, template_id: int) -> CapacityTemplate | None:
    return CapacityTemplate.objects.select_related("area").filter(pk=template_id).first()


def exceptions(*, since: dt.date | None = None) -> QuerySet[CapacityException]:
    """Exceptions from ``since`` (default today) on, soonest first."""
    return (
        CapacityException.objects.filter(date__gte=since or clock.today())
        .select_related("area", "created_by")
        .order_by("date", "area__name", "starts_at", "pk")
    )
