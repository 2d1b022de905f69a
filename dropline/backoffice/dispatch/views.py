"""Staff pages for technician visits: the day's board (arrival windows as rows, with
capacity and booked, each visit with its account, address, reason, technician and status),
a visit's page (assign a technician, mark it on the way, arrived, completed or missed; its
events), technicians, each area's weekly capacity and the exceptions to it.

Thin: parse, call ``field.dispatch`` or ``field.capacity``, render ``field.board`` reads.
A staff action says what is now true; a refused one shows the reason on its form.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages as flash
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dropline.accounts.requests import signed_in_user
from dropline.backoffice.access import staff_permission_required
from dropline.backoffice.dispatch.forms import (
    STATUS_ACTIONS,
    AssignForm,
    BoardForm,
    ExceptionForm,
    OnTheWayForm,
    TechnicianForm,
    TemplateChangeForm,
    TemplateForm,
)
from dropline.core import clock
from dropline.field import board, capacity, dispatch
from dropline.field.errors import AppointmentError
from dropline.field.models import OPEN_APPOINTMENT_STATUSES, Appointment, Weekday


def _refused(form: forms.Form, error: AppointmentError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


# --- the board and a visit ----------------------------------------------------------------


@staff_permission_required("field.view_appointment")
def board_view(request: HttpRequest) -> HttpResponse:
    form = BoardForm(request.GET or None, initial={"day": clock.today()})
    day, area = clock.today(), None
    if form.is_bound and form.is_valid():
        day, area = form.cleaned_data["day"], form.cleaned_data["area"]
    elif not form.is_bound:
        form = BoardForm(initial={"day": day})
    return render(
        request,
        "backoffice/dispatch/board.html",
        {
            "form": form,
            "board": board.day_board(day=day, area_id=area.pk if area else None),
            "previous_day": day - dt.timedelta(days=1),
            "next_day": day + dt.timedelta(days=1),
            "area_id": area.pk if area else "",
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _appointment_or_404(appointment_id: int) -> Appointment:
    appointment = board.staff_appointment(appointment_id=appointment_id)
    if appointment is None:
        raise Http404
    return appointment


def _appointment_page(
    request: HttpRequest,
    appointment: Appointment,
    *,
    assign_form: AssignForm | None = None,
    eta_form: OnTheWayForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    technicians = board.technicians_for(appointment)
    is_open = appointment.status in OPEN_APPOINTMENT_STATUSES
    may_dispatch = signed_in_user(request).has_perm("field.dispatch_appointment")
    return render(
        request,
        "backoffice/dispatch/appointment.html",
        {
            "appointment": appointment,
            "events": list(appointment.events.all()),
            "assign_form": assign_form
            or AssignForm(
                technicians=technicians, initial={"technician": appointment.technician_id}
            ),
            "eta_form": eta_form or OnTheWayForm(),
            "may_dispatch": may_dispatch and is_open,
            "error": error,
        },
        status=status,
    )


@staff_permission_required("field.view_appointment")
def appointment_view(request: HttpRequest, appointment_id: int) -> HttpResponse:
    return _appointment_page(request, _appointment_or_404(appointment_id))


@staff_permission_required("field.dispatch_appointment")
@require_POST
def assign_view(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = _appointment_or_404(appointment_id)
    form = AssignForm(request.POST, technicians=board.technicians_for(appointment))
    if form.is_valid():
        try:
            done = dispatch.assign(
                appointment_id=appointment.pk,
                technician_id=form.cleaned_data["technician"],
                by=signed_in_user(request),
            )
        except AppointmentError as error:
            field = "technician" if error.field == "technician_id" else None
            form.add_error(field, error.message)
        else:
            flash.success(
                request,
                _("%(name)s now has this visit.") % {"name": done.technician.name}
                if done.technician is not None
                else _("Nobody has this visit now."),
            )
            return redirect("backoffice:dispatch_appointment", appointment_id=appointment.pk)
    return _appointment_page(request, appointment, assign_form=form, status=400)


@staff_permission_required("field.dispatch_appointment")
@require_POST
def status_view(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = _appointment_or_404(appointment_id)
    action = request.POST.get("status", "")
    user = signed_in_user(request)
    eta_form = OnTheWayForm(request.POST) if action == "on_the_way" else None
    try:
        if action not in STATUS_ACTIONS:
            raise AppointmentError(_("Choose what happened."), code="invalid", field="status")
        if eta_form is not None:
            if not eta_form.is_valid():
                return _appointment_page(request, appointment, eta_form=eta_form, status=400)
            dispatch.mark_on_the_way(
                appointment_id=appointment.pk, eta=eta_form.cleaned_data["eta"], by=user
            )
        elif action == "arrived":
            dispatch.mark_arrived(appointment_id=appointment.pk, by=user)
        elif action == "completed":
            dispatch.mark_completed(appointment_id=appointment.pk, by=user)
        else:
            dispatch.mark_missed(appointment_id=appointment.pk, by=user)
    except AppointmentError as error:
        if eta_form is not None and error.field == "eta":
            eta_form.add_error("eta", error.message)
            return _appointment_page(request, appointment, eta_form=eta_form, status=400)
        return _appointment_page(request, appointment, error=error.message, status=400)
    words = {
        "on_the_way": _("Marked on the way; the customer is told."),
        "arrived": _("Marked arrived."),
        "completed": _("Marked completed."),
        "missed": _("Marked missed."),
    }
    flash.success(request, words[action])
    return redirect("backoffice:dispatch_appointment", appointment_id=appointment.pk)


# --- technicians ---------------------------------------------------------------------------


@staff_permission_required("field.view_technician")
def technicians_view(request: HttpRequest) -> HttpResponse:
    people = board.technicians()
    return render(
        request,
        "backoffice/dispatch/technicians.html",
        {"rows": [(person, board.working_days(person)) for person in people]},
    )


def _save_technician(request: HttpRequest, technician_id: int | None) -> HttpResponse:
    found = board.technician(technician_id=technician_id) if technician_id is not None else None
    if technician_id is not None and found is None:
        raise Http404
    initial = (
        TechnicianForm.initial_for(found) if found is not None else {"workdays": [0, 1, 2, 3, 4]}
    )
    form = TechnicianForm(request.POST or None, initial=initial, technician_id=technician_id)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                capacity.save_technician(
                    technician_id=technician_id,
                    name=data["name"],
                    phone=data["phone"],
                    area_ids=[area.pk for area in data["areas"]],
                    workdays=data["workdays"],
                    is_active=data["is_active"],
                    by=signed_in_user(request),
                    user_id=data["user"],
                )
            except AppointmentError as error:
                _refused(form, error)
            else:
                flash.success(
                    request,
                    _("Technician added.") if found is None else _("Technician changed."),
                )
                return redirect("backoffice:dispatch_technicians")
    return render(
        request,
        "backoffice/dispatch/technician_form.html",
        {"form": form, "technician": found},
        status=status,
    )


@staff_permission_required("field.add_technician")
def technician_new_view(request: HttpRequest) -> HttpResponse:
    return _save_technician(request, None)


@staff_permission_required("field.change_technician")
def technician_view(request: HttpRequest, technician_id: int) -> HttpResponse:
    return _save_technician(request, technician_id)


# --- capacity templates ---------------------------------------------------------------------


def _templates_page(
    request: HttpRequest,
    *,
    area_id: int | None,
    form: TemplateForm | None = None,
    status: int = 200,
) -> HttpResponse:
    areas = board.service_areas()
    if area_id is None and areas:
        area_id = areas[0].pk
    area = next((a for a in areas if a.pk == area_id), None)
    return render(
        request,
        "backoffice/dispatch/templates.html",
        {
            "areas": areas,
            "area": area,
            "weekdays": [str(day.label) for day in Weekday],
            "grid": board.template_grid(area_id=area.pk) if area else [],
            "form": form or TemplateForm(initial={"area": area}),
        },
        status=status,
    )


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@staff_permission_required("field.view_capacitytemplate")
def templates_view(request: HttpRequest) -> HttpResponse:
    return _templates_page(request, area_id=_int(request.GET.get("area")))


@staff_permission_required("field.add_capacitytemplate")
@require_POST
def template_add_view(request: HttpRequest) -> HttpResponse:
    form = TemplateForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            template = capacity.add_template(
                area_id=data["area"].pk,
                weekday=data["weekday"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                capacity=data["capacity"],
                by=signed_in_user(request),
            )
        except AppointmentError as error:
            _refused(form, error)
        else:
            flash.success(request, _("Window added; the bookable windows show it now."))
            return redirect(_templates_url(template.area_id))
    return _templates_page(request, area_id=_int(request.POST.get("area")), form=form, status=400)


def _templates_url(area_id: int) -> str:
    return f"{reverse('backoffice:dispatch_templates')}?area={area_id}"


@staff_permission_required("field.change_capacitytemplate")
def template_view(request: HttpRequest, template_id: int) -> HttpResponse:
    template = board.template(template_id=template_id)
    if template is None:
        raise Http404
    form = TemplateChangeForm(
        request.POST or None,
        initial={"ends_at": template.ends_at, "capacity": template.capacity},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                capacity.change_template(
                    template_id=template.pk,
                    ends_at=form.cleaned_data["ends_at"],
                    capacity=form.cleaned_data["capacity"],
                    by=signed_in_user(request),
                )
            except AppointmentError as error:
                _refused(form, error)
            else:
                flash.success(request, _("Window changed; the bookable windows show it now."))
                return redirect(_templates_url(template.area_id))
    return render(
        request,
        "backoffice/dispatch/template_form.html",
        {"form": form, "template": template},
        status=status,
    )


@staff_permission_required("field.delete_capacitytemplate")
@require_POST
def template_remove_view(request: HttpRequest, template_id: int) -> HttpResponse:
    template = board.template(template_id=template_id)
    if template is None:
        raise Http404
    try:
        capacity.remove_template(template_id=template.pk, by=signed_in_user(request))
    except AppointmentError as error:
        flash.error(request, error.message)
    else:
        flash.success(request, _("Window removed; visits already booked in it stay booked."))
    return redirect(_templates_url(template.area_id))


# --- exceptions ---------------------------------------------------------------------------------


def _exceptions_page(
    request: HttpRequest, *, form: ExceptionForm | None = None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "backoffice/dispatch/exceptions.html",
        {"exceptions": list(board.exceptions()), "form": form or ExceptionForm()},
        status=status,
    )


@staff_permission_required("field.view_capacityexception")
def exceptions_view(request: HttpRequest) -> HttpResponse:
    return _exceptions_page(request)


@staff_permission_required("field.add_capacityexception")
@require_POST
def exception_add_view(request: HttpRequest) -> HttpResponse:
    form = ExceptionForm(request.POST)
    if form.is_valid():
        data: dict[str, Any] = form.cleaned_data
        try:
            capacity.add_exception(
                area_id=data["area"].pk,
                date=data["date"],
                starts_at=data["starts_at"],
                capacity=data["capacity"],
                reason=data["reason"],
                by=signed_in_user(request),
            )
        except AppointmentError as error:
            _refused(form, error)
        else:
            flash.success(
                request,
                _("Exception added; visits already booked that day stay booked."),
            )
            return redirect("backoffice:dispatch_exceptions")
    return _exceptions_page(request, form=form, status=400)


@staff_permission_required("field.delete_capacityexception")
@require_POST
def exception_remove_view(request: HttpRequest, exception_id: int) -> HttpResponse:
    try:
        capacity.remove_exception(exception_id=exception_id, by=signed_in_user(request))
    except AppointmentError as error:
        if error.code == "not_found":
            raise Http404 from error
        flash.error(request, error.message)
    else:
        flash.success(request, _("Exception removed; the day follows the weekly windows again."))
    return redirect("backoffice:dispatch_exceptions")
