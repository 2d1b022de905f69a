"""A technician's own visits: the day's list on their phone, and the steps they mark on
them (on the way with minutes to arrival, arrived, completed, missed).

Every read and write is scoped to the visits assigned to the technician linked to the
signed-in staff member: another technician's visit is refused exactly as a visit that
does not exist (``not_found``). The steps themselves are ``field.dispatch``'s, so the
allowed transitions, the audit trail and the household's "on the way" notice stay in
one place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from dropline.accounts.models import User
from dropline.core import clock
from dropline.field import dispatch
from dropline.field.errors import AppointmentError
from dropline.field.models import Appointment, AppointmentStatus, Technician

S = AppointmentStatus
ON_THE_WAY, ARRIVED, COMPLETED, MISSED = S.ON_THE_WAY, S.ARRIVED, S.COMPLETED, S.MISSED
STEPS: tuple[str, ...] = (ON_THE_WAY, ARRIVED, COMPLETED, MISSED)
# Minutes to arrival a technician on the way may give.
ETA_MINUTES = (5, 240)


def technician_for(user: User | None) -> Technician | None:
    """The active technician linked to ``user``; None when there is none."""
    if user is None or user.pk is None:
        return None
    return Technician.objects.filter(user_id=user.pk, is_active=True).first()


@dataclass(frozen=True)
class OwnVisit:
    """One of a technician's visits as their list shows it, with the steps they may mark."""

    appointment: Appointment
    steps: tuple[str, ...]


def steps_for(appointment: Appointment, *, now: dt.datetime) -> tuple[str, ...]:
    """The steps ``appointment`` may take now, in ``dispatch.ALLOWED_FROM``'s terms; missed
    only once its window has started."""
    return tuple(
        step
        for step in STEPS
        if appointment.status in dispatch.ALLOWED_FROM[step]
        and (step != MISSED or now >= appointment.window.starts_at)
    )


def visits_on(*, technician: Technician, day: dt.date) -> list[OwnVisit]:
    """The visits assigned to ``technician`` in windows on ``day`` (canceled ones left
    out), by window start: the account, service address and window joined. One query."""
    now = clock.now()
    visits = (
        Appointment.objects.filter(technician=technician, window__date=day)
        .exclude(status=S.CANCELED)
        .select_related("account", "address", "window")
        .order_by("window__starts_at", "pk")
    )
    return [OwnVisit(appointment=visit, steps=steps_for(visit, now=now)) for visit in visits]


def _minutes(eta_minutes: int | None) -> int:
    low, high = ETA_MINUTES
    if eta_minutes is None or not low <= eta_minutes <= high:
        raise AppointmentError(
            _("Give the minutes to arrival, from %(low)d to %(high)d.")
            % {"low": low, "high": high},
            code="invalid",
            field="eta_minutes",
        )
    return eta_minutes


def step(
    *, appointment_id: int, step: str, by: User, eta_minutes: int | None = None
) -> Appointment:
    """Mark a step on one of ``by``'s own visits (``on_the_way`` needs the minutes to
    arrival, 5 to 240). The visit is locked first; one that is not assigned to ``by``'s
    technician is ``not_found``, whether or not it exists. Then ``field.dispatch`` moves it,
    audits it and, on the way, tells the household."""
    if step not in STEPS:
        raise AppointmentError(_("Choose what happened."), code="invalid", field="step")
    minutes = _minutes(eta_minutes) if step == ON_THE_WAY else None
    with transaction.atomic():
        technician = technician_for(by)
        if technician is None:
            raise AppointmentError(
                _("Your sign-in is not linked to a technician. Ask dispatch to link it."),
                code="not_linked",
            )
        mine = (
            Appointment.objects.select_for_update(of=("self",))
            .filter(pk=appointment_id, technician=technician)
            .values_list("pk", flat=True)
            .first()
        )
        if mine is None:
            raise AppointmentError(_("That visit was not found."), code="not_found")
        if minutes is not None:
            eta = clock.now() + dt.timedelta(minutes=minutes)
            return dispatch.mark_on_the_way(appointment_id=mine, eta=eta, by=by)
        if step == ARRIVED:
            return dispatch.mark_arrived(appointment_id=mine, by=by)
        if step == COMPLETED:
            return dispatch.mark_completed(appointment_id=mine, by=by)
        return dispatch.mark_missed(appointment_id=mine, by=by)
