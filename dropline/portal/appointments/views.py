"""Technician visits in the portal: the account's visits (the next one first, with its
status), booking one (what it is for, an open arrival window in the next days, anything
the technician should know), a visit's page with its live status ("track your
technician"), its calendar file, rescheduling and canceling before the cut-off.

Thin: ``field.queries`` reads, ``field.booking`` writes, ``field.tracking`` says where a
visit stands (the page's script polls ``tracking`` for the same words). Every visit is
looked up within the account the person is looking at, so another account's visit
answers 404.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from dropline.accounts.requests import signed_in_user
from dropline.customers.models import AccountMember
from dropline.field import booking, queries
from dropline.field.calendar import ics_for
from dropline.field.errors import AppointmentError
from dropline.field.models import Appointment, AppointmentStatus, VisitReason
from dropline.field.queries import WindowOffer
from dropline.field.tracking import tracking as tracking_of
from dropline.helpdesk.troubleshooting.running import record_visit
from dropline.portal.appointments.forms import BookForm, RescheduleForm
from dropline.portal.common import current_membership

NO_ACCOUNT = "portal/no_account.html"
# How often a visit's page asks where the technician is.
POLL_SECONDS = 10
# While the visit is one of these, the page keeps asking.
LIVE = (AppointmentStatus.SCHEDULED, AppointmentStatus.ON_THE_WAY, AppointmentStatus.ARRIVED)


@dataclass(frozen=True)
class OfferDay:
    """The open arrival windows of one day, for a group of radio buttons."""

    day: dt.date
    offers: list[WindowOffer]


def _by_day(offers: Sequence[WindowOffer]) -> list[OfferDay]:
    days: dict[dt.date, list[WindowOffer]] = {}
    for offer in offers:
        days.setdefault(timezone.localtime(offer.starts_at).date(), []).append(offer)
    return [OfferDay(day=day, offers=found) for day, found in days.items()]


def _membership(request: HttpRequest) -> AccountMember:
    membership = current_membership(request)
    if membership is None:
        raise Http404
    return membership


def _appointment(request: HttpRequest, pk: int) -> tuple[AccountMember, Appointment]:
    membership = _membership(request)
    appointment = queries.appointment_for(account=membership.account, appointment_id=pk)
    if appointment is None:
        raise Http404
    return membership, appointment


@never_cache
@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    membership = current_membership(request)
    if membership is None:
        return render(request, NO_ACCOUNT)
    account = membership.account
    upcoming = queries.upcoming_appointment(account=account)
    visits = [
        visit
        for visit in queries.appointments_for(account=account)
        if upcoming is None or visit.pk != upcoming.pk
    ]
    return render(
        request,
        "portal/appointments/index.html",
        {
            "membership": membership,
            "upcoming": upcoming,
            "upcoming_tracking": tracking_of(upcoming, language=get_language())
            if upcoming is not None
            else None,
            "visits": visits,
        },
    )


def _prefill(request: HttpRequest) -> dict[str, Any]:
    initial: dict[str, Any] = {"reason": VisitReason.REPAIR}
    if request.GET.get("reason") in VisitReason.values:
        initial["reason"] = request.GET["reason"]
    initial["details"] = request.GET.get("details", "")[:2000]
    run = request.GET.get("run", "")
    if run.isdigit():
        initial["run"] = int(run)
    return initial


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def book(request: HttpRequest) -> HttpResponse:
    """GET: the reasons and the open windows, pre-filled from ``?reason=&details=&run=``.
    POST: book; a refusal says why and offers the nearest open windows."""
    membership = current_membership(request)
    if membership is None:
        return render(request, NO_ACCOUNT)
    account = membership.account
    form = BookForm(request.POST if request.method == "POST" else None, initial=_prefill(request))
    reason = request.POST.get("reason") or form.initial["reason"]
    if reason not in VisitReason.values:
        reason = VisitReason.REPAIR
    error: AppointmentError | None = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                visit = booking.book(
                    account=account,
                    person=signed_in_user(request),
                    window_id=data["window_id"],
                    reason=data["reason"],
                    details=data["details"],
                )
            except AppointmentError as exc:
                error, status = exc, 409
                if exc.field in form.fields:
                    form.add_error(exc.field, exc.message)
            else:
                if data["run"]:
                    # Booked from the guided troubleshooter's last step: its run notes it.
                    record_visit(account=account, run_id=data["run"], appointment=visit)
                messages.success(request, _("We booked your visit and sent you the details."))
                return redirect("appointments:detail", pk=visit.pk)
    alternatives = list(error.alternatives) if error is not None else []
    offers = alternatives or queries.bookable_windows(account=account, reason=reason)
    return render(
        request,
        "portal/appointments/book.html",
        {
            "membership": membership,
            "form": form,
            "error": error,
            "alternatives": bool(alternatives),
            "days": _by_day(offers),
            "chosen": str(form["window_id"].value() or ""),
            "open_visit": queries.upcoming_appointment(account=account),
        },
        status=status,
    )


@never_cache
@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    membership, appointment = _appointment(request, pk)
    state = tracking_of(appointment, language=get_language())
    return render(
        request,
        "portal/appointments/detail.html",
        {
            "membership": membership,
            "appointment": appointment,
            "tracking": state,
            "live": appointment.status in LIVE,
            "can_change": queries.can_change(appointment),
            "poll_seconds": POLL_SECONDS,
        },
    )


@never_cache
@login_required
@require_GET
def tracking(request: HttpRequest, pk: int) -> JsonResponse:
    """Where the visit stands, for the page's script (the API gives the same)."""
    _membership, appointment = _appointment(request, pk)
    return JsonResponse(tracking_of(appointment, language=get_language()))


@never_cache
@login_required
@require_GET
def ics(request: HttpRequest, pk: int) -> HttpResponse:
    _membership, appointment = _appointment(request, pk)
    response = HttpResponse(ics_for(appointment), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="visit-{appointment.number}.ics"'
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    membership, appointment = _appointment(request, pk)
    if not queries.can_change(appointment) and request.method == "GET":
        return redirect("appointments:detail", pk=appointment.pk)
    form = RescheduleForm(request.POST if request.method == "POST" else None)
    error: AppointmentError | None = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                booking.reschedule(
                    account=membership.account,
                    person=signed_in_user(request),
                    appointment_id=appointment.pk,
                    window_id=form.cleaned_data["window_id"],
                )
            except AppointmentError as exc:
                error, status = exc, 409
            else:
                messages.success(request, _("We moved your visit and sent you the details."))
                return redirect("appointments:detail", pk=appointment.pk)
    alternatives = list(error.alternatives) if error is not None else []
    offers = alternatives or [
        offer
        for offer in queries.bookable_windows(account=membership.account, reason=appointment.reason)
        if offer.id != appointment.window_id
    ]
    return render(
        request,
        "portal/appointments/reschedule.html",
        {
            "membership": membership,
            "appointment": appointment,
            "form": form,
            "error": error,
            "alternatives": bool(alternatives),
            "days": _by_day(offers),
            "chosen": str(form["window_id"].value() or ""),
            "window_label": tracking_of(appointment, language=get_language())["window_label"],
        },
        status=status,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: are you sure? POST: cancel the visit."""
    membership, appointment = _appointment(request, pk)
    if not queries.can_change(appointment) and request.method == "GET":
        return redirect("appointments:detail", pk=appointment.pk)
    error = ""
    status = 200
    if request.method == "POST":
        try:
            booking.cancel(
                account=membership.account,
                person=signed_in_user(request),
                appointment_id=appointment.pk,
            )
        except AppointmentError as exc:
            error, status = exc.message, 409
        else:
            messages.success(request, _("We canceled your visit."))
            return redirect("appointments:detail", pk=appointment.pk)
    return render(
        request,
        "portal/appointments/cancel.html",
        {
            "membership": membership,
            "appointment": appointment,
            "error": error,
            "window_label": tracking_of(appointment, language=get_language())["window_label"],
        },
        status=status,
    )
