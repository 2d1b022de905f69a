"""Service levels: each ticket category with the hours the provider gives itself to
answer, and changing them. Reading needs ``helpdesk.view_servicelevel``, changing
``helpdesk.change_servicelevel``. Thin: ``helpdesk.tickets.service_levels`` decides."""

from __future__ import annotations

from django.contrib import messages as flash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from dropline.accounts.requests import signed_in_user
from dropline.backoffice.access import staff_permission_required
from dropline.backoffice.tickets.forms import ServiceLevelForm
from dropline.helpdesk.errors import SupportError
from dropline.helpdesk.models import TicketCategory
from dropline.helpdesk.tickets import service_levels as domain

VIEW = "helpdesk.view_servicelevel"
CHANGE = "helpdesk.change_servicelevel"


def _page(
    request: HttpRequest, *, refused: ServiceLevelForm | None = None, status: int = 200
) -> HttpResponse:
    rows = []
    for level in domain.service_levels():
        if refused is not None and refused.prefix == level.category:
            form = refused
        else:
            form = ServiceLevelForm(
                initial={"category": level.category, "hours": level.hours},
                prefix=level.category,
            )
        rows.append((level, form))
    return render(
        request,
        "backoffice/tickets/service_levels.html",
        {"rows": rows, "may_change": signed_in_user(request).has_perm(CHANGE)},
        status=status,
    )


@staff_permission_required(VIEW)
def service_levels(request: HttpRequest) -> HttpResponse:
    return _page(request)


@staff_permission_required(CHANGE)
@require_POST
def service_level_save(request: HttpRequest) -> HttpResponse:
    category = request.POST.get("category", "")
    form = ServiceLevelForm(request.POST, prefix=category)
    if form.is_valid():
        hours = form.cleaned_data["hours"]
        try:
            domain.set_response_hours(
                category=category, hours=hours, by=signed_in_user(request), request=request
            )
        except SupportError as exc:
            if exc.field == "category":  # no row to show the error on
                flash.error(request, exc.message)
            form.add_error("hours", exc.message)
        else:
            flash.success(
                request,
                ngettext(
                    "%(category)s tickets are now due %(hours)d hour after they come in.",
                    "%(category)s tickets are now due %(hours)d hours after they come in.",
                    hours,
                )
                % {"category": TicketCategory(category).label, "hours": hours},
            )
            return redirect("backoffice:service_levels")
    return _page(request, refused=form, status=400)
