"""Demo technician visits: technicians for the demo areas, the weekly capacity (weekdays
8-10, 10-12, 12-2, 2-4 and 4-6; Saturday mornings), a holiday with no visits, the windows
of the next two weeks, a repair visit the household had a few weeks ago (booked,
reminded, assigned, on the way, arrived, completed) and the repair visit it booked two
days ago for later this week, its confirmation delivered and read. The demo technician's
staff sign-in (``staff.TECHNICIAN_USERNAME``) is linked to the first technician, who has
that upcoming visit, so the technician's own visits show it.

Everything goes through the real writes, the past under ``clock.frozen``; messages are
delivered a minute after each step and the household reads them that evening. Each part
is found again by its natural key (a technician's name, an area's templates, the
holiday's date, a visit's details), so a second run adds nothing.
"""

from __future__ import annotations

import datetime as dt

from dropline.accounts.models import User
from dropline.core import clock
from dropline.customers.models import AccountMember, CustomerAccount, ServiceArea
from dropline.field import booking, capacity, dispatch, reminders
from dropline.field.models import (
    OPEN_APPOINTMENT_STATUSES,
    Appointment,
    CapacityException,
    CapacityTemplate,
    Technician,
    VisitReason,
    VisitWindow,
)
from dropline.field.windows import local_moment, open_windows
from dropline.notifications import inbox
from dropline.notifications.delivery import deliver, due_message_ids
from dropline.seeding.demo.staff import TECHNICIAN_USERNAME

# name, areas, working days (0 Monday .. 6 Sunday)
TECHNICIANS = [
    ("Rosa Alvarez", ("riverbend-north", "riverbend-south"), "012345"),
    ("Marcus Lee", ("riverbend-north", "cedar-falls"), "01234"),
    ("Dana Brooks", ("cedar-falls", "lake-county"), "12345"),
]
WEEKDAY_WINDOWS = [(8, 10), (10, 12), (12, 14), (14, 16), (16, 18)]
SATURDAY_WINDOWS = [(8, 10), (10, 12)]
# Visits per window in each area: the household's area has more technicians.
CAPACITY = {"riverbend-north": 3, "riverbend-south": 2, "cedar-falls": 2, "lake-county": 1}
# Fixed-date holidays; the next one gets an exception closing every window.
HOLIDAYS = [((1, 1), "New Year's Day"), ((7, 4), "Independence Day"), ((12, 25), "Christmas Day")]
PAST_DETAILS = "Internet drops every evening around 8; the modem's lights blink orange."
UPCOMING_DETAILS = "Slow internet upstairs in the evenings; a new cable outlet in the study."


def _technicians() -> int:
    made = 0
    for name, areas, workdays in TECHNICIANS:
        technician, created = Technician.objects.get_or_create(
            name=name, defaults={"workdays": workdays}
        )
        if created:
            technician.areas.set(ServiceArea.objects.filter(code__in=areas))
            made += 1
    return made


def _templates() -> int:
    rows = []
    for area in ServiceArea.objects.filter(code__in=CAPACITY):
        if CapacityTemplate.objects.filter(area=area).exists():
            continue
        capacity = CAPACITY[area.code]
        for weekday in range(7):
            hours = WEEKDAY_WINDOWS if weekday < 5 else SATURDAY_WINDOWS if weekday == 5 else []
            rows += [
                CapacityTemplate(
                    area=area,
                    weekday=weekday,
                    starts_at=dt.time(start),
                    ends_at=dt.time(end),
                    capacity=capacity,
                )
                for start, end in hours
            ]
    return len(CapacityTemplate.objects.bulk_create(rows))


def next_holiday(today: dt.date) -> tuple[dt.date, str]:
    found = []
    for (month, day), name in HOLIDAYS:
        date = dt.date(today.year, month, day)
        found.append((date if date >= today else date.replace(year=today.year + 1), name))
    return min(found)


def _holiday(staff: User | None) -> int:
    date, name = next_holiday(clock.today())
    made = 0
    for area in ServiceArea.objects.filter(code__in=CAPACITY):
        _, created = CapacityException.objects.get_or_create(
            area=area,
            date=date,
            starts_at=None,
            defaults={
                "capacity": 0,
                "reason": name,
                "created_by": staff,
                "created_at": clock.now(),
            },
        )
        made += int(created)
    return made


def _deliver_at(moment: dt.datetime) -> None:
    """The delivery sweep a minute after a step, as the workers would."""
    with clock.frozen(moment + dt.timedelta(minutes=1)):
        for message_id in due_message_ids():
            deliver(message_id)


def _read_at(appointment: Appointment, moment: dt.datetime) -> None:
    """The household reads the visit's messages in the portal."""
    with clock.frozen(moment):
        for member in AccountMember.objects.filter(account=appointment.account):
            unread = inbox.inbox_for(user=member.user).filter(
                subject_key__startswith=f"appointment:{appointment.pk}:", read_at__isnull=True
            )
            for message_id in unread.values_list("pk", flat=True):
                inbox.mark_read(user=member.user, message_id=message_id)


def _weekday_on_or_after(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _window(area: ServiceArea, day: dt.date, hour: int) -> VisitWindow:
    open_windows(today=day, days=0, area_ids=[area.pk])
    return VisitWindow.objects.get(area=area, starts_at=local_moment(day, dt.time(hour)))


def _past_visit(account: CustomerAccount, holder: User, staff: User) -> int:
    if Appointment.objects.filter(account=account, details=PAST_DETAILS).exists():
        return 0
    area = account.service_address.service_area
    day = _weekday_on_or_after(clock.today() - dt.timedelta(days=24))
    window = _window(area, day, 8)
    booked_at = local_moment(day - dt.timedelta(days=3), dt.time(19))
    with clock.frozen(booked_at):
        visit = booking.book(
            account=account,
            person=holder,
            window_id=window.pk,
            reason=VisitReason.REPAIR,
            details=PAST_DETAILS,
        )
    _deliver_at(booked_at)
    for due in (reminders.due_at(reminders.EVENING, day), reminders.due_at(reminders.MORNING, day)):
        with clock.frozen(due):
            reminders.send_due_reminders()
        _deliver_at(due)
    technician = Technician.objects.get(name=TECHNICIANS[0][0])
    steps = [
        (
            7,
            30,
            lambda: dispatch.assign(appointment_id=visit.pk, technician_id=technician.pk, by=staff),
        ),
        (
            8,
            20,
            lambda: dispatch.mark_on_the_way(
                appointment_id=visit.pk, eta=local_moment(day, dt.time(8, 45)), by=staff
            ),
        ),
        (8, 47, lambda: dispatch.mark_arrived(appointment_id=visit.pk, by=staff)),
        (9, 55, lambda: dispatch.mark_completed(appointment_id=visit.pk, by=staff)),
    ]
    for hour, minute, step in steps:
        moment = local_moment(day, dt.time(hour, minute))
        with clock.frozen(moment):
            step()
        _deliver_at(moment)
    _read_at(visit, local_moment(day, dt.time(19)))
    return 1


def _upcoming_visit(account: CustomerAccount, holder: User) -> int:
    if Appointment.objects.filter(account=account, details=UPCOMING_DETAILS).exists():
        return 0
    area = account.service_address.service_area
    day = _weekday_on_or_after(clock.today() + dt.timedelta(days=2))
    if day == next_holiday(clock.today())[0]:
        day = _weekday_on_or_after(day + dt.timedelta(days=1))
    window = _window(area, day, 10)
    booked_at = min(local_moment(clock.today() - dt.timedelta(days=2), dt.time(11)), clock.now())
    with clock.frozen(booked_at):
        visit = booking.book(
            account=account,
            person=holder,
            window_id=window.pk,
            reason=VisitReason.REPAIR,
            details=UPCOMING_DETAILS,
        )
    _deliver_at(booked_at)
    _read_at(visit, booked_at + dt.timedelta(hours=8))
    return 1


def _technician_sign_in(account: CustomerAccount, staff: User) -> int:
    """The demo technician's sign-in linked to the first technician, who then gets the
    household's upcoming visit, both by dispatch the day it was booked."""
    user = User.objects.filter(username=TECHNICIAN_USERNAME).first()
    technician = Technician.objects.filter(name=TECHNICIANS[0][0]).prefetch_related("areas").first()
    if user is None or technician is None:
        return 0
    made = 0
    moment = min(local_moment(clock.today() - dt.timedelta(days=2), dt.time(13)), clock.now())
    with clock.frozen(moment):
        if technician.user_id is None:
            capacity.save_technician(
                technician_id=technician.pk,
                name=technician.name,
                phone=technician.phone,
                area_ids=[area.pk for area in technician.areas.all()],
                workdays=[int(day) for day in technician.workdays],
                is_active=technician.is_active,
                by=staff,
                user_id=user.pk,
            )
            made += 1
        upcoming = Appointment.objects.filter(
            account=account,
            details=UPCOMING_DETAILS,
            technician__isnull=True,
            status__in=OPEN_APPOINTMENT_STATUSES,
        ).first()
        if upcoming is not None:
            dispatch.assign(appointment_id=upcoming.pk, technician_id=technician.pk, by=staff)
            made += 1
    return made


def load() -> int:
    staff = (
        User.objects.filter(username="dispatch").first()
        or User.objects.filter(username="admin").first()
    )
    made = _technicians() + _templates() + _holiday(staff)
    made += open_windows()
    holder = (
        AccountMember.objects.filter(user__username="demo")
        .select_related("account", "user")
        .first()
    )
    if holder is not None and staff is not None:
        made += _past_visit(holder.account, holder.user, staff)
        made += _upcoming_visit(holder.account, holder.user)
        made += _technician_sign_in(holder.account, staff)
    return made
