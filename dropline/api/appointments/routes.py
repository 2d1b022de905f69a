"""Technician visits for the mobile app: the open arrival windows for a reason, booking
one, the visits with their live status ("track your technician"), rescheduling,
canceling and the calendar invitation. The same reads and writes as the web pages
(``dropline.field``).

The account is the first of the caller's unless ``account`` names another of theirs; a
visit that is not on that account answers 404. A refused booking or change answers 409
with the reason (``code``) and, when the window is full, closed or too soon, the nearest
open windows to choose instead.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import get_language
from ninja import Query, Router, Status

from dropline.accounts.requests import signed_in_user
from dropline.api.appointments.schemas import (
    AppointmentOut,
    AppointmentsOut,
    AppointmentsQuery,
    BookIn,
    RescheduleIn,
    StepOut,
    TrackingOut,
    VisitRefusedOut,
    WindowOut,
    WindowsOut,
    WindowsQuery,
)
from dropline.api.errors import FieldError
from dropline.api.membership import membership_asked
from dropline.api.schemas import AccountRefOut, ErrorOut, InvalidInputOut
from dropline.customers.models import AccountMember
from dropline.field import booking, queries
from dropline.field.calendar import ics_for
from dropline.field.describe import window_label
from dropline.field.errors import AppointmentError
from dropline.field.models import Appointment, VisitWindow
from dropline.field.queries import WindowOffer
from dropline.field.tracking import tracking
from dropline.helpdesk.troubleshooting.running import record_visit

router = Router(tags=["appointments"])

BAD_INPUT: dict[int, Any] = {400: InvalidInputOut, 422: InvalidInputOut}
REFUSED: dict[int, Any] = {409: VisitRefusedOut}
NOT_FOUND: dict[int, Any] = {404: ErrorOut}
# Refusals that are bad input (400 naming the field) rather than a conflict (409).
INPUT_CODES = {"invalid", "not_found"}


def _language() -> str:
    return (get_language() or "en").split("-")[0]


def _account_ref(membership: AccountMember) -> AccountRefOut:
    account = membership.account
    return AccountRefOut(number=account.number, name=account.name, role=membership.role)


def _window_out(window: WindowOffer | VisitWindow) -> WindowOut:
    return WindowOut(
        id=window.id if isinstance(window, WindowOffer) else window.pk,
        starts_at=window.starts_at,
        ends_at=window.ends_at,
        open_places=window.open_places,
        label=window_label(window),
    )


def _appointment_out(appointment: Appointment) -> AppointmentOut:
    track = tracking(appointment, language=_language())
    return AppointmentOut(
        id=appointment.pk,
        number=appointment.number,
        reason=appointment.reason,
        reason_label=str(appointment.get_reason_display()),
        details=appointment.details,
        status=appointment.status,
        window=_window_out(appointment.window),
        address=str(appointment.address),
        can_change=queries.can_change(appointment),
        ics_sequence=appointment.ics_sequence,
        created_at=appointment.created_at,
        canceled_at=appointment.canceled_at,
        completed_at=appointment.completed_at,
        tracking=TrackingOut(**{**track, "steps": [StepOut(**s) for s in track["steps"]]}),
    )


def _refusal(error: AppointmentError) -> Status[VisitRefusedOut]:
    if error.code in INPUT_CODES and error.field:
        raise FieldError(error.field, error.message)
    return Status(
        409,
        VisitRefusedOut(
            detail=error.message,
            code=error.code,
            field=error.field,
            alternatives=[_window_out(offer) for offer in error.alternatives],
        ),
    )


def _appointment(membership: AccountMember, appointment_id: int) -> Appointment:
    found = queries.appointment_for(account=membership.account, appointment_id=appointment_id)
    if found is None:
        raise Http404
    return found


@router.get(
    "/appointments/windows",
    response={200: WindowsOut, **BAD_INPUT, **NOT_FOUND},
    summary="Open arrival windows for a visit",
)
def windows(request: HttpRequest, query: Query[WindowsQuery]) -> WindowsOut:
    """The arrival windows a technician can come to the account's service address for
    `reason`, the soonest first, from after the change cut-off up to the booking horizon,
    each with its `id` and the places left."""
    membership = membership_asked(request, query.account)
    try:
        offers = queries.bookable_windows(account=membership.account, reason=query.reason)
    except AppointmentError as error:
        raise FieldError(error.field or "reason", error.message) from None
    return WindowsOut(
        account=_account_ref(membership),
        reason=query.reason,
        windows=[_window_out(offer) for offer in offers],
    )


@router.get(
    "/appointments",
    response={200: AppointmentsOut, **NOT_FOUND},
    summary="The account's technician visits",
)
def appointments(request: HttpRequest, query: Query[AppointmentsQuery]) -> AppointmentsOut:
    """Every visit of the account, the latest window first, with its live status."""
    membership = membership_asked(request, query.account)
    return AppointmentsOut(
        account=_account_ref(membership),
        appointments=[
            _appointment_out(a) for a in queries.appointments_for(account=membership.account)
        ],
    )


@router.post(
    "/appointments",
    response={201: AppointmentOut, **BAD_INPUT, **NOT_FOUND, **REFUSED},
    summary="Book a technician visit",
)
def book(request: HttpRequest, body: BookIn, query: Query[AppointmentsQuery]) -> Any:
    """Book the window `window_id` for `reason`. The household gets the confirmation (the
    email with the calendar invitation). 409 when the window is full, closed or starts too
    soon (with `alternatives`), or a visit is already booked (`already_booked`: reschedule
    it instead); 400 naming `reason`, `details` or `window_id` for bad input. Booked from a
    troubleshooting run's end, `run_id` ends that run with this visit."""
    membership = membership_asked(request, query.account)
    try:
        appointment = booking.book(
            account=membership.account,
            person=signed_in_user(request),
            window_id=body.window_id,
            reason=body.reason,
            details=body.details,
        )
    except AppointmentError as error:
        return _refusal(error)
    if body.run_id is not None:
        # Booked from the guided troubleshooter's last step, as the web's booking page.
        record_visit(account=membership.account, run_id=body.run_id, appointment=appointment)
    return Status(201, _appointment_out(appointment))


@router.get(
    "/appointments/{appointment_id}",
    response={200: AppointmentOut, **NOT_FOUND},
    summary="One visit with its live status",
)
def appointment(
    request: HttpRequest, appointment_id: int, query: Query[AppointmentsQuery]
) -> AppointmentOut:
    """The visit and `tracking`: its status (scheduled, on the way with the expected
    arrival, arrived, completed, missed), poll it while the technician is on the way."""
    return _appointment_out(_appointment(membership_asked(request, query.account), appointment_id))


@router.patch(
    "/appointments/{appointment_id}",
    response={200: AppointmentOut, **BAD_INPUT, **NOT_FOUND, **REFUSED},
    summary="Reschedule a visit",
)
def reschedule(
    request: HttpRequest, appointment_id: int, body: RescheduleIn, query: Query[AppointmentsQuery]
) -> Any:
    """Move the visit to `window_id`, up to the cut-off before its window. The calendar
    invitation keeps its UID with a higher SEQUENCE; the household is told."""
    membership = membership_asked(request, query.account)
    found = _appointment(membership, appointment_id)
    try:
        moved = booking.reschedule(
            account=membership.account,
            person=signed_in_user(request),
            appointment_id=found.pk,
            window_id=body.window_id,
        )
    except AppointmentError as error:
        return _refusal(error)
    return _appointment_out(moved)


@router.delete(
    "/appointments/{appointment_id}",
    response={200: AppointmentOut, 400: InvalidInputOut, **NOT_FOUND, **REFUSED},
    summary="Cancel a visit",
)
def cancel(request: HttpRequest, appointment_id: int, query: Query[AppointmentsQuery]) -> Any:
    """Cancel the visit, up to the cut-off before its window; answers it canceled. The
    household gets the calendar's cancellation. A visit that can no longer change (done,
    canceled) answers 400 naming `status`; past the cut-off, 409."""
    membership = membership_asked(request, query.account)
    found = _appointment(membership, appointment_id)
    try:
        canceled = booking.cancel(
            account=membership.account, person=signed_in_user(request), appointment_id=found.pk
        )
    except AppointmentError as error:
        return _refusal(error)
    return _appointment_out(canceled)


@router.get(
    "/appointments/{appointment_id}/ics",
    response={200: None, **NOT_FOUND},
    summary="The visit's calendar invitation",
    openapi_extra={
        "responses": {
            200: {
                "description": "iCalendar (RFC 5545): METHOD REQUEST, or CANCEL once canceled.",
                "content": {"text/calendar": {"schema": {"type": "string"}}},
            }
        }
    },
)
def ics(request: HttpRequest, appointment_id: int, query: Query[AppointmentsQuery]) -> HttpResponse:
    """The same UID for the visit's whole life; SEQUENCE grows with every change."""
    found = _appointment(membership_asked(request, query.account), appointment_id)
    response = HttpResponse(
        ics_for(found, language=_language()), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="visit-{found.number}.ics"'
    return response
