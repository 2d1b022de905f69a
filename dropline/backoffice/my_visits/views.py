"""A technician's own visits on their phone: the day's visits assigned to them (today, or
a day within a week either side), each with the steps they may mark (on my way with the
minutes to arrival, arrived, completed, missed).

Thin: parse, call ``field.own_visits``, render. A visit that is not theirs is a 404, as
one that does not exist; a refused step comes back as the domain's words.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages as flash
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dropline.accounts.requests import signed_in_user
from dropline.backoffice.access import staff_permission_required
from dropline.backoffice.my_visits.forms import DAYS_EITHER_SIDE, DayForm, StepForm
from dropline.core import clock
from dropline.field import own_visits
from dropline.field.errors import AppointmentError

PERMISSION = "field.work_own_visits"
ONE_DAY = dt.timedelta(days=1)


def _day_url(day: dt.date) -> str:
    return f"{reverse('backoffice:my_visits')}?day={day.isoformat()}"


@staff_permission_required(PERMISSION)
def my_visits_view(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    form = DayForm(request.GET or None, today=today)
    day = form.cleaned_data["day"] if form.is_valid() else today
    technician = own_visits.technician_for(signed_in_user(request))
    visits = own_visits.visits_on(technician=technician, day=day) if technician else []
    nearest, furthest = today - DAYS_EITHER_SIDE * ONE_DAY, today + DAYS_EITHER_SIDE * ONE_DAY
    return render(
        request,
        "backoffice/my_visits/list.html",
        {
            "form": form,
            "technician": technician,
            "visits": visits,
            "day": day,
            "today": today,
            "previous_day": day - ONE_DAY if day > nearest else None,
            "next_day": day + ONE_DAY if day < furthest else None,
            "step_form": StepForm(initial={"day": day}),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@staff_permission_required(PERMISSION)
@require_POST
def step_view(request: HttpRequest, appointment_id: int) -> HttpResponse:
    form = StepForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    step = data.get("step") or ""
    day = data.get("day") or clock.today()
    try:
        done = own_visits.step(
            appointment_id=appointment_id,
            step=step,
            by=signed_in_user(request),
            eta_minutes=data.get("eta_minutes"),
        )
    except AppointmentError as error:
        if error.code == "not_found":
            raise Http404 from error
        flash.error(request, error.message)
        return redirect(_day_url(day))
    words: dict[str, str] = {
        own_visits.ON_THE_WAY: _("You are on your way; the customer is told when to expect you."),
        own_visits.ARRIVED: _("Marked arrived."),
        own_visits.COMPLETED: _("Marked completed."),
        own_visits.MISSED: _("Marked missed."),
    }
    flash.success(request, words[step])
    return redirect(_day_url(done.window.date))
