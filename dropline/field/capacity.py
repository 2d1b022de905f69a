"""Staff writes that shape how many visits can be booked: capacity templates (per area,
weekday and arrival window), exceptions (a holiday closes a day, a storm lowers a window)
and technicians (their areas, working days and staff sign-in).

Each write is one transaction, audited through ``core.audit``, and refuses bad input with
``AppointmentError(code="invalid", field=...)`` before anything is written. After a change
to templates or exceptions the bookable windows are opened again with
``field.windows.open_windows`` so they show it at once; that never lowers ``booked``, so a
visit already booked stays booked even when a storm lowers its window below it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import phonenumbers
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from dropline.accounts.models import User
from dropline.accounts.roles import TECHNICIAN
from dropline.core import audit, clock
from dropline.customers.models import ServiceArea
from dropline.field.errors import AppointmentError
from dropline.field.models import CapacityException, CapacityTemplate, Technician
from dropline.field.windows import open_windows

MAX_CAPACITY = 50
MAX_REASON_LENGTH = 200
MAX_NAME_LENGTH = 120


def _invalid(message: str, field: str) -> AppointmentError:
    return AppointmentError(message, code="invalid", field=field)


def _area(area_id: int) -> ServiceArea:
    """The area, its row locked: two staff changing one area's windows or exceptions at
    once take turns, so the checks for overlaps and duplicates hold."""
    area = ServiceArea.objects.select_for_update().filter(pk=area_id).first()
    if area is None:
        raise _invalid(_("Choose a service area."), "area")
    return area


def _check_capacity(capacity: int) -> None:
    if not 0 <= capacity <= MAX_CAPACITY:
        raise _invalid(
            _("Enter a number of visits from 0 to %(most)d.") % {"most": MAX_CAPACITY},
            "capacity",
        )


def _check_times(starts_at: dt.time, ends_at: dt.time) -> None:
    if ends_at <= starts_at:
        raise _invalid(_("The window must end after it starts."), "ends_at")


def _check_overlap(
    *, area: ServiceArea, weekday: int, starts_at: dt.time, ends_at: dt.time, but: int | None
) -> None:
    others = CapacityTemplate.objects.filter(
        area=area, weekday=weekday, starts_at__lt=ends_at, ends_at__gt=starts_at
    )
    if but is not None:
        others = others.exclude(pk=but)
    if others.exists():
        raise _invalid(
            _("This window overlaps another window of the area on that day."), "starts_at"
        )


def _reopen(area: ServiceArea | int) -> None:
    open_windows(today=clock.today(), area_ids=[area if isinstance(area, int) else area.pk])


def _template_data(template: CapacityTemplate) -> dict[str, object]:
    return {
        "area": template.area.code,
        "weekday": template.weekday,
        "starts_at": template.starts_at.strftime("%H:%M"),
        "ends_at": template.ends_at.strftime("%H:%M"),
        "capacity": template.capacity,
    }


def add_template(
    *,
    area_id: int,
    weekday: int,
    starts_at: dt.time,
    ends_at: dt.time,
    capacity: int,
    by: User,
) -> CapacityTemplate:
    """A new arrival window every week on ``weekday`` in the area."""
    if weekday not in range(7):
        raise _invalid(_("Choose a day of the week."), "weekday")
    _check_times(starts_at, ends_at)
    _check_capacity(capacity)
    with transaction.atomic():
        area = _area(area_id)
        _check_overlap(area=area, weekday=weekday, starts_at=starts_at, ends_at=ends_at, but=None)
        template = CapacityTemplate.objects.create(
            area=area, weekday=weekday, starts_at=starts_at, ends_at=ends_at, capacity=capacity
        )
        audit.record(
            action="field.template_added", actor=by, target=template, data=_template_data(template)
        )
        _reopen(area)
    return template


def change_template(
    *, template_id: int, ends_at: dt.time, capacity: int, by: User
) -> CapacityTemplate:
    """A new end time or number of visits for a weekly window (its start names it)."""
    _check_capacity(capacity)
    with transaction.atomic():
        template = (
            CapacityTemplate.objects.select_for_update()
            .select_related("area")
            .filter(pk=template_id)
            .first()
        )
        if template is None:
            raise AppointmentError(_("That window no longer exists."), code="not_found")
        _area(template.area_id)
        _check_times(template.starts_at, ends_at)
        _check_overlap(
            area=template.area,
            weekday=template.weekday,
            starts_at=template.starts_at,
            ends_at=ends_at,
            but=template.pk,
        )
        before = _template_data(template)
        template.ends_at = ends_at
        template.capacity = capacity
        template.save(update_fields=["ends_at", "capacity"])
        audit.record(
            action="field.template_changed",
            actor=by,
            target=template,
            data={"before": before, "after": _template_data(template)},
        )
        _reopen(template.area_id)
    return template


def remove_template(*, template_id: int, by: User) -> None:
    """Stop offering a weekly window; visits already booked in it stay booked."""
    with transaction.atomic():
        template = (
            CapacityTemplate.objects.select_for_update()
            .select_related("area")
            .filter(pk=template_id)
            .first()
        )
        if template is None:
            raise AppointmentError(_("That window no longer exists."), code="not_found")
        audit.record(
            action="field.template_removed",
            actor=by,
            target=template,
            data=_template_data(template),
        )
        area_id = template.area_id
        template.delete()
        _reopen(area_id)


def add_exception(
    *,
    area_id: int,
    date: dt.date,
    starts_at: dt.time | None,
    capacity: int,
    reason: str,
    by: User,
) -> CapacityException:
    """A change on one day: every window (``starts_at`` None, e.g. a holiday at 0) or the
    window starting at ``starts_at`` (e.g. a storm lowering it)."""
    reason = reason.strip()
    if not reason:
        raise _invalid(_("Say why, for the other dispatchers."), "reason")
    if len(reason) > MAX_REASON_LENGTH:
        raise _invalid(
            _("Keep the reason under %(most)d characters.") % {"most": MAX_REASON_LENGTH},
            "reason",
        )
    if date < clock.today():
        raise _invalid(_("Choose today or a later day."), "date")
    _check_capacity(capacity)
    with transaction.atomic():
        area = _area(area_id)
        if (
            starts_at is not None
            and not CapacityTemplate.objects.filter(
                area=area, weekday=date.weekday(), starts_at=starts_at
            ).exists()
        ):
            raise _invalid(_("The area has no window starting then on that day."), "starts_at")
        if CapacityException.objects.filter(area=area, date=date, starts_at=starts_at).exists():
            raise _invalid(
                _("That day already has an exception for this window. Remove it first."),
                "date",
            )
        exception = CapacityException.objects.create(
            area=area,
            date=date,
            starts_at=starts_at,
            capacity=capacity,
            reason=reason,
            created_by=by,
            created_at=clock.now(),
        )
        audit.record(
            action="field.exception_added",
            actor=by,
            target=exception,
            data={
                "area": area.code,
                "date": date.isoformat(),
                "starts_at": starts_at.strftime("%H:%M") if starts_at else None,
                "capacity": capacity,
                "reason": reason,
            },
        )
        _reopen(area)
    return exception


def remove_exception(*, exception_id: int, by: User) -> None:
    """Back to the templates on that day."""
    with transaction.atomic():
        exception = (
            CapacityException.objects.select_for_update()
            .select_related("area")
            .filter(pk=exception_id)
            .first()
        )
        if exception is None:
            raise AppointmentError(_("That exception no longer exists."), code="not_found")
        audit.record(
            action="field.exception_removed",
            actor=by,
            target=exception,
            data={"area": exception.area.code, "date": exception.date.isoformat()},
        )
        area_id = exception.area_id
        exception.delete()
        _reopen(area_id)


def _phone(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    try:
        number = phonenumbers.parse(text, "US")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise _invalid(_("Enter a valid phone number, such as (319) 555-0142."), "phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _workdays(days: Iterable[int]) -> str:
    chosen = sorted(set(days))
    if not chosen:
        raise _invalid(_("Choose at least one working day."), "workdays")
    if any(day not in range(7) for day in chosen):
        raise _invalid(_("Choose days of the week."), "workdays")
    return "".join(str(day) for day in chosen)


def linkable_users(*, technician_id: int | None) -> QuerySet[User]:
    """The staff sign-ins a technician may be linked to: active staff with the Technician
    role, not linked to another technician (the one ``technician_id`` has stays)."""
    return (
        User.objects.filter(is_active=True, is_staff=True, groups__name=TECHNICIAN)
        .exclude(pk__in=_others(technician_id).filter(user__isnull=False).values("user_id"))
        .distinct()
        .order_by("first_name", "last_name", "username", "pk")
    )


def _others(technician_id: int | None) -> QuerySet[Technician]:
    others = Technician.objects.all()
    return others.exclude(pk=technician_id) if technician_id is not None else others


def _sign_in(user_id: int | None, technician_id: int | None) -> User | None:
    """The staff sign-in to link, its row locked (two technicians linked to one sign-in at
    once: the second is refused); None for none."""
    if user_id is None:
        return None
    user = User.objects.select_for_update().filter(pk=user_id).first()
    if user is None or not linkable_users(technician_id=technician_id).filter(pk=user_id).exists():
        raise _invalid(
            _("Choose a staff sign-in with the Technician role that no other technician has."),
            "user",
        )
    return user


def save_technician(
    *,
    technician_id: int | None,
    name: str,
    phone: str,
    area_ids: Iterable[int],
    workdays: Iterable[int],
    is_active: bool,
    by: User,
    user_id: int | None = None,
) -> Technician:
    """Add a technician (``technician_id`` None) or change one: name, phone, the areas they
    cover, the days they work and the staff sign-in they mark their own visits' steps with
    (``user_id``; None for none). Visits already assigned to them stay assigned."""
    name = name.strip()
    if not name:
        raise _invalid(_("Enter the technician's name."), "name")
    if len(name) > MAX_NAME_LENGTH:
        raise _invalid(
            _("Keep the name under %(most)d characters.") % {"most": MAX_NAME_LENGTH}, "name"
        )
    number = _phone(phone)
    days = _workdays(workdays)
    wanted = set(area_ids)
    with transaction.atomic():
        areas = list(ServiceArea.objects.filter(pk__in=wanted))
        if not areas or len(areas) != len(wanted):
            raise _invalid(_("Choose at least one service area."), "areas")
        user = _sign_in(user_id, technician_id)
        if technician_id is None:
            technician = Technician.objects.create(
                name=name, phone=number, workdays=days, is_active=is_active, user=user
            )
            action = "field.technician_added"
        else:
            found = Technician.objects.select_for_update().filter(pk=technician_id).first()
            if found is None:
                raise AppointmentError(_("That technician no longer exists."), code="not_found")
            technician = found
            technician.name, technician.phone = name, number
            technician.workdays, technician.is_active = days, is_active
            technician.user = user
            technician.save(update_fields=["name", "phone", "workdays", "is_active", "user"])
            action = "field.technician_changed"
        technician.areas.set(areas)
        audit.record(
            action=action,
            actor=by,
            target=technician,
            data={
                "areas": sorted(area.code for area in areas),
                "workdays": days,
                "active": is_active,
                "sign_in": user.get_username() if user is not None else "",
            },
        )
    return technician
