"""Booking, rescheduling and canceling a technician visit.

Each is one transaction that locks the account's row (one open visit per account, even
against a second tab) and then the windows' rows it counts places in, in id order, so
the last place in a window goes to exactly one of many simultaneous bookings. ``booked``
only moves with ``F()`` under that lock. A customer may change a visit up to the cut-off
(``DROPLINE_VISIT_CHANGE_CUTOFF_HOURS``) before its window starts; staff may change it
until the window starts.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from dropline.accounts.models import User
from dropline.core import audit, clock
from dropline.core.sequences import reserve
from dropline.customers.models import CustomerAccount
from dropline.field import notices
from dropline.field.errors import AppointmentError
from dropline.field.models import (
    OPEN_APPOINTMENT_STATUSES,
    Appointment,
    AppointmentEvent,
    AppointmentEventKind,
    AppointmentStatus,
    VisitWindow,
)
from dropline.field.queries import area_id_of, before_cutoff, check_reason, nearest_windows

SEQUENCE = "appointment"
MAX_DETAILS = 2000


def _uid() -> str:
    host = urlsplit(settings.DROPLINE_PUBLIC_URL).hostname or "dropline"
    return f"{uuid.uuid4()}@{host}"


def _lock_account(account: CustomerAccount) -> None:
    """Hold the account's row: one booking, reschedule or cancellation of its visits at a
    time, so two tabs cannot both book."""
    list(CustomerAccount.objects.select_for_update().filter(pk=account.pk).values_list("pk"))


def _locked_windows(ids: list[int]) -> dict[int, VisitWindow]:
    rows = VisitWindow.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    return {w.pk: w for w in rows}


def _locked_appointment(account: CustomerAccount, appointment_id: int) -> Appointment:
    found = (
        Appointment.objects.select_for_update(of=("self",))
        .filter(pk=appointment_id, account=account)
        .select_related("address", "account")
        .first()
    )
    if found is None:
        raise AppointmentError(_("That visit was not found."), code="not_found")
    return found


def _may_still_change(starts_at: dt.datetime, now: dt.datetime, by_staff: User | None) -> bool:
    return now < starts_at if by_staff is not None else before_cutoff(starts_at, now=now)


class _WindowRefusedError(AppointmentError):
    """A window refused (past the cut-off, closed, full): its ``alternatives`` are read
    once the transaction is over (``_offering_alternatives``), so the refused booking
    holds no row lock while it looks for them."""

    def __init__(self, message: str, *, code: str, window: VisitWindow) -> None:
        super().__init__(message, code=code, field="window_id")
        self.window = window


@contextmanager
def _offering_alternatives(now: dt.datetime) -> Iterator[None]:
    """Around a transaction: a refused window gets the nearest open windows after its
    rollback."""
    try:
        yield
    except _WindowRefusedError as refused:
        refused.alternatives = nearest_windows(window=refused.window, now=now)
        raise


def _check_window(
    window: VisitWindow | None,
    *,
    account: CustomerAccount,
    now: dt.datetime,
    by_staff: User | None,
) -> VisitWindow:
    """The window a visit may take now, or the reason it may not (with other windows to
    choose when it is full or closed, added by ``_offering_alternatives``)."""
    if window is None or window.area_id != area_id_of(account):
        raise AppointmentError(
            _("That arrival window is not offered at your address. Choose another one."),
            code="not_found",
            field="window_id",
        )
    if not _may_still_change(window.starts_at, now, by_staff):
        hours = settings.DROPLINE_VISIT_CHANGE_CUTOFF_HOURS
        raise _WindowRefusedError(
            _(
                "That arrival window starts too soon: visits are booked at least "
                "%(hours)s hours ahead. Choose a later one."
            )
            % {"hours": hours},
            code="past_cutoff",
            window=window,
        )
    if window.capacity == 0:
        raise _WindowRefusedError(
            _("No visits are taken in that arrival window. Choose one of the others."),
            code="closed",
            window=window,
        )
    if window.booked >= window.capacity:
        raise _WindowRefusedError(
            _("That arrival window was just taken. Choose one of the nearest open ones."),
            code="full",
            window=window,
        )
    return window


def _event(
    appointment: Appointment,
    kind: str,
    *,
    at: dt.datetime,
    actor: User | None,
    detail: dict[str, object] | None = None,
) -> None:
    AppointmentEvent.objects.create(
        appointment=appointment, kind=kind, at=at, actor=actor, detail=detail or {}
    )


def _audit(action: str, appointment: Appointment, by_staff: User | None, **data: object) -> None:
    if by_staff is not None:
        audit.record(
            action=action,
            actor=by_staff,
            target=appointment,
            account_number=appointment.account.number,
            data={"window": appointment.window.starts_at.isoformat(), **data},
        )


def book(
    *,
    account: CustomerAccount,
    person: User,
    window_id: int,
    reason: str,
    details: str = "",
    by_staff: User | None = None,
) -> Appointment:
    """Book a visit for ``reason`` in the window; the household gets the confirmation
    with the calendar invitation."""
    check_reason(reason)
    details = details.strip()
    if len(details) > MAX_DETAILS:
        raise AppointmentError(
            _("Say what the visit is for in at most %(count)s characters.")
            % {"count": MAX_DETAILS},
            code="invalid",
            field="details",
        )
    now = clock.now()
    with _offering_alternatives(now), transaction.atomic():
        _lock_account(account)
        address = account.service_address
        if address is None:  # pragma: no cover - the column is required
            raise AppointmentError(
                _("The account has no service address to visit."), code="no_address"
            )
        if Appointment.objects.filter(
            account=account, status__in=OPEN_APPOINTMENT_STATUSES
        ).exists():
            raise AppointmentError(
                _(
                    "You already have a visit booked. Reschedule it instead, or cancel it "
                    "before booking another."
                ),
                code="already_booked",
            )
        window = _check_window(
            _locked_windows([window_id]).get(window_id),
            account=account,
            now=now,
            by_staff=by_staff,
        )
        VisitWindow.objects.filter(pk=window.pk).update(booked=F("booked") + 1)
        number = reserve(name=SEQUENCE)[0]
        appointment = Appointment.objects.create(
            number=f"V-{number:06d}",
            account=account,
            address=address,
            window=window,
            reason=reason,
            details=details,
            ics_uid=_uid(),
            ics_sequence=0,
            booked_by=by_staff or person,
            created_at=now,
            updated_at=now,
        )
        _event(
            appointment,
            AppointmentEventKind.BOOKED,
            at=now,
            actor=by_staff or person,
            detail={"window": window.pk, "by_staff": by_staff is not None},
        )
        _audit("appointment.booked", appointment, by_staff, reason=reason)
        notices.tell(appointment, event=notices.BOOKED)
    return appointment


def _check_changeable(appointment: Appointment, now: dt.datetime, by_staff: User | None) -> None:
    if appointment.status != AppointmentStatus.SCHEDULED:
        raise AppointmentError(
            _("This visit can no longer be changed: it is %(status)s.")
            % {"status": appointment.get_status_display().lower()},
            code="invalid",
            field="status",
        )
    if not _may_still_change(appointment.window.starts_at, now, by_staff):
        raise AppointmentError(
            _(
                "This visit starts in less than %(hours)s hours and can no longer be "
                "changed here. Call us if you cannot be home."
            )
            % {"hours": settings.DROPLINE_VISIT_CHANGE_CUTOFF_HOURS},
            code="past_cutoff",
        )


def reschedule(
    *,
    account: CustomerAccount,
    person: User,
    appointment_id: int,
    window_id: int,
    by_staff: User | None = None,
) -> Appointment:
    """Move the visit to another window: the old place is freed, the invitation keeps
    its UID with a higher SEQUENCE."""
    now = clock.now()
    with _offering_alternatives(now), transaction.atomic():
        _lock_account(account)
        appointment = _locked_appointment(account, appointment_id)
        if appointment.window_id == window_id:
            raise AppointmentError(
                _("The visit is already in that arrival window. Choose another one."),
                code="invalid",
                field="window_id",
            )
        windows = _locked_windows([appointment.window_id, window_id])
        appointment.window = windows[appointment.window_id]
        _check_changeable(appointment, now, by_staff)
        new = _check_window(windows.get(window_id), account=account, now=now, by_staff=by_staff)
        old = appointment.window
        VisitWindow.objects.filter(pk=old.pk).update(booked=F("booked") - 1)
        VisitWindow.objects.filter(pk=new.pk).update(booked=F("booked") + 1)
        appointment.window = new
        appointment.ics_sequence += 1
        appointment.updated_at = now
        appointment.save(update_fields=["window", "ics_sequence", "updated_at"])
        _event(
            appointment,
            AppointmentEventKind.RESCHEDULED,
            at=now,
            actor=by_staff or person,
            detail={"from": old.starts_at.isoformat(), "to": new.starts_at.isoformat()},
        )
        _audit("appointment.rescheduled", appointment, by_staff, previous=old.starts_at.isoformat())
        notices.tell(
            appointment, event=notices.RESCHEDULED, extra_key=str(appointment.ics_sequence)
        )
    return appointment


def cancel(
    *,
    account: CustomerAccount,
    person: User,
    appointment_id: int,
    by_staff: User | None = None,
) -> Appointment:
    """Cancel the visit: its place is freed, the calendars get the cancellation."""
    now = clock.now()
    with transaction.atomic():
        _lock_account(account)
        appointment = _locked_appointment(account, appointment_id)
        windows = _locked_windows([appointment.window_id])
        appointment.window = windows[appointment.window_id]
        _check_changeable(appointment, now, by_staff)
        VisitWindow.objects.filter(pk=appointment.window_id).update(booked=F("booked") - 1)
        appointment.status = AppointmentStatus.CANCELED
        appointment.canceled_at = now
        appointment.updated_at = now
        appointment.ics_sequence += 1
        appointment.save(update_fields=["status", "canceled_at", "updated_at", "ics_sequence"])
        _event(appointment, AppointmentEventKind.CANCELED, at=now, actor=by_staff or person)
        _audit("appointment.canceled", appointment, by_staff)
        notices.tell(appointment, event=notices.CANCELED)
    return appointment
