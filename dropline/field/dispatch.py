"""Dispatch's steps on a visit: assigning a technician and the visit's status through the
day (on the way with an expected arrival, arrived, completed, missed). Staff only; each
step is audited, and "on the way" tells the household with the expected arrival."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from dropline.accounts.models import User
from dropline.core import audit, clock
from dropline.field import notices
from dropline.field.errors import AppointmentError
from dropline.field.models import (
    OPEN_APPOINTMENT_STATUSES,
    Appointment,
    AppointmentEvent,
    AppointmentEventKind,
    AppointmentStatus,
    Technician,
)

S = AppointmentStatus
# The statuses each step may start from.
ALLOWED_FROM: dict[str, set[str]] = {
    S.ON_THE_WAY: {S.SCHEDULED, S.ON_THE_WAY},
    S.ARRIVED: {S.SCHEDULED, S.ON_THE_WAY},
    S.COMPLETED: {S.ARRIVED},
    S.MISSED: {S.SCHEDULED, S.ON_THE_WAY},
}
# How far back an expected arrival may be (a dispatcher typing "now" a minute late).
ETA_SLACK = dt.timedelta(minutes=10)


def _locked(appointment_id: int) -> Appointment:
    found = (
        Appointment.objects.select_for_update(of=("self",))
        .filter(pk=appointment_id)
        .select_related("window", "account", "address", "technician")
        .first()
    )
    if found is None:
        raise AppointmentError(_("That visit was not found."), code="not_found")
    return found


def _record(
    appointment: Appointment,
    *,
    kind: str,
    by: User,
    now: dt.datetime,
    detail: dict[str, object] | None = None,
) -> None:
    AppointmentEvent.objects.create(
        appointment=appointment, kind=kind, at=now, actor=by, detail=detail or {}
    )
    audit.record(
        action=f"appointment.{kind}",
        actor=by,
        target=appointment,
        account_number=appointment.account.number,
        data=detail or {},
    )


def _move(appointment: Appointment, status: str) -> None:
    if appointment.status not in ALLOWED_FROM[status]:
        raise AppointmentError(
            _("A visit that is %(now)s cannot be marked %(next)s.")
            % {
                "now": appointment.get_status_display().lower(),
                "next": S(status).label.lower(),
            },
            code="invalid",
            field="status",
        )


def assign(*, appointment_id: int, technician_id: int | None, by: User) -> Appointment:
    """Give the visit to a technician who covers its area (or to nobody)."""
    now = clock.now()
    with transaction.atomic():
        appointment = _locked(appointment_id)
        if appointment.status not in OPEN_APPOINTMENT_STATUSES:
            raise AppointmentError(
                _("Only a visit still to happen can be assigned."), code="invalid", field="status"
            )
        technician = None
        if technician_id is not None:
            technician = Technician.objects.filter(
                pk=technician_id, is_active=True, areas=appointment.window.area_id
            ).first()
            if technician is None:
                raise AppointmentError(
                    _("Choose an active technician who works in the visit's area."),
                    code="invalid",
                    field="technician_id",
                )
        appointment.technician = technician
        appointment.updated_at = now
        appointment.save(update_fields=["technician", "updated_at"])
        _record(
            appointment,
            kind=AppointmentEventKind.ASSIGNED,
            by=by,
            now=now,
            detail={"technician": technician.name if technician else ""},
        )
    return appointment


def mark_on_the_way(*, appointment_id: int, eta: dt.datetime, by: User) -> Appointment:
    """The technician is on the way, expected at ``eta``; the household is told."""
    now = clock.now()
    with transaction.atomic():
        appointment = _locked(appointment_id)
        _move(appointment, S.ON_THE_WAY)
        if appointment.technician is None:
            raise AppointmentError(
                _("Assign a technician before marking the visit on the way."),
                code="invalid",
                field="technician_id",
            )
        if eta.tzinfo is None or eta < now - ETA_SLACK:
            raise AppointmentError(
                _("Give an expected arrival time that is still ahead."),
                code="invalid",
                field="eta",
            )
        appointment.status = S.ON_THE_WAY
        appointment.eta = eta
        appointment.updated_at = now
        appointment.save(update_fields=["status", "eta", "updated_at"])
        _record(
            appointment,
            kind=AppointmentEventKind.ON_THE_WAY,
            by=by,
            now=now,
            detail={"eta": eta.isoformat()},
        )
        notices.tell(appointment, event=notices.ON_THE_WAY, extra_key=f"{eta:%Y%m%dT%H%M}")
    return appointment


def _set_status(appointment_id: int, status: str, by: User) -> Appointment:
    now = clock.now()
    with transaction.atomic():
        appointment = _locked(appointment_id)
        _move(appointment, status)
        if status == S.MISSED and now < appointment.window.starts_at:
            raise AppointmentError(
                _("A visit can be marked missed only once its window has started."),
                code="invalid",
                field="status",
            )
        appointment.status = status
        appointment.updated_at = now
        fields = ["status", "updated_at"]
        if status == S.COMPLETED:
            appointment.completed_at = now
            fields.append("completed_at")
        appointment.save(update_fields=fields)
        _record(appointment, kind=status, by=by, now=now)
    return appointment


def mark_arrived(*, appointment_id: int, by: User) -> Appointment:
    return _set_status(appointment_id, S.ARRIVED, by)


def mark_completed(*, appointment_id: int, by: User) -> Appointment:
    return _set_status(appointment_id, S.COMPLETED, by)


def mark_missed(*, appointment_id: int, by: User) -> Appointment:
    return _set_status(appointment_id, S.MISSED, by)
