"""Staff pages for outages and planned maintenance: the lists (current, scheduled,
resolved), declaring, an outage's page with its updates and the area's notice going
out, posting an update, resolving, cancelling a maintenance.

Thin: parse input, call ``dropline.network.outages.declaring``, render.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages as flash
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dropline.accounts.requests import signed_in_user
from dropline.backoffice.access import staff_permission_required
from dropline.backoffice.common import MAX_PAGES, PAGE_SIZE
from dropline.backoffice.outages.forms import DeclareForm, EndForm, UpdateForm
from dropline.core.pagination import numbered_page
from dropline.network.models import Outage, OutageKind, OutageStatus
from dropline.network.outages import declaring, queries
from dropline.network.outages.errors import OutageError
from dropline.network.outages.queries import OPEN
from dropline.notifications.models import AnnouncementStatus

STATES = ("current", "scheduled", "resolved")
REFRESH_SECONDS = 3


def _refused(form: forms.Form, error: OutageError) -> None:
    form.add_error(error.field if error.field in form.fields else None, str(error))


@staff_permission_required("network.view_outage")
def outage_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "current")
    state = state if state in STATES else "current"
    page = numbered_page(
        queries.staff_list(state=state),
        number=request.GET.get("page"),
        size=PAGE_SIZE,
        max_pages=MAX_PAGES,
    )
    return render(
        request,
        "backoffice/outages/outages.html",
        {"page": page, "state": state, "states": STATES},
    )


@staff_permission_required("network.add_outage")
def outage_new(request: HttpRequest) -> HttpResponse:
    form = DeclareForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                outage = declaring.declare(
                    kind=data["kind"],
                    areas=data["areas"],
                    service_kinds=data["service_kinds"],
                    title_en=data["title_en"],
                    title_es=data["title_es"],
                    cause_en=data["cause_en"],
                    cause_es=data["cause_es"],
                    starts_at=data["starts_at"],
                    eta=data["eta"],
                    message_en=data["message_en"],
                    message_es=data["message_es"],
                    notify=data["notify"],
                    created_by=signed_in_user(request),
                    request=request,
                )
            except OutageError as error:
                _refused(form, error)
            else:
                flash.success(
                    request,
                    _("Declared; the areas are being told.")
                    if data["notify"]
                    else _("Declared, without telling anyone."),
                )
                return redirect("backoffice:outage", outage_id=outage.pk)
    return render(
        request,
        "backoffice/outages/outage_form.html",
        {"form": form, "time_zone": settings.TIME_ZONE},
        status=status,
    )


def _outage_or_404(outage_id: int) -> Outage:
    try:
        return queries.outage_with_story(outage_id=outage_id)
    except Outage.DoesNotExist as missing:
        raise Http404 from missing


def _outage_page(
    request: HttpRequest,
    outage: Outage,
    *,
    update_form: UpdateForm | None = None,
    end_form: EndForm | None = None,
    status: int = 200,
) -> HttpResponse:
    is_open = outage.status in OPEN
    can_change = signed_in_user(request).has_perm("network.change_outage")
    announcement = outage.announcement
    sending = announcement is not None and announcement.status == AnnouncementStatus.SENDING
    ending = announcement is not None and (
        announcement.status == AnnouncementStatus.RESOLVED
        and announcement.resolution_done < announcement.resolution_total
    )
    if is_open and can_change:
        update_form = update_form or UpdateForm(initial={"status": outage.status})
        end_form = end_form or EndForm()
    return render(
        request,
        "backoffice/outages/outage.html",
        {
            "outage": outage,
            "updates": list(outage.updates.all()),
            "areas": list(outage.areas.all()),
            "announcement": announcement,
            "sending": sending or ending,
            "refresh": REFRESH_SECONDS
            if (sending or ending) and request.GET.get("auto") == "on"
            else None,
            "update_form": update_form if is_open and can_change else None,
            "end_form": end_form if is_open and can_change else None,
            "can_cancel": outage.kind == OutageKind.MAINTENANCE
            and outage.status == OutageStatus.SCHEDULED,
            "watchers": outage.watches.count(),
            "time_zone": settings.TIME_ZONE,
        },
        status=status,
    )


@staff_permission_required("network.view_outage")
def outage_detail(request: HttpRequest, outage_id: int) -> HttpResponse:
    return _outage_page(request, _outage_or_404(outage_id))


@staff_permission_required("network.change_outage")
@require_POST
def outage_update(request: HttpRequest, outage_id: int) -> HttpResponse:
    outage = _outage_or_404(outage_id)
    form = UpdateForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            declaring.post_update(
                outage=outage,
                status=data["status"],
                eta=data["eta"],
                message_en=data["message_en"],
                message_es=data["message_es"],
                cause_en=data["cause_en"],
                cause_es=data["cause_es"],
                notify=data["notify"],
                posted_by=signed_in_user(request),
                request=request,
            )
        except OutageError as error:
            _refused(form, error)
        else:
            flash.success(request, _("Update posted."))
            return redirect("backoffice:outage", outage_id=outage.pk)
    return _outage_page(request, outage, update_form=form, status=400)


def _end(request: HttpRequest, outage_id: int, *, cancel: bool) -> HttpResponse:
    outage = _outage_or_404(outage_id)
    form = EndForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        user = signed_in_user(request)
        texts = {"message_en": data["message_en"], "message_es": data["message_es"]}
        try:
            if cancel:
                declaring.cancel(outage=outage, cancelled_by=user, request=request, **texts)
            else:
                declaring.resolve(outage=outage, resolved_by=user, request=request, **texts)
        except OutageError as error:
            _refused(form, error)
        else:
            flash.success(
                request,
                _("Canceled; everyone told before is told it is off.")
                if cancel
                else _("Resolved; everyone told before is told it is fixed."),
            )
            return redirect("backoffice:outage", outage_id=outage.pk)
    return _outage_page(request, outage, end_form=form, status=400)


@staff_permission_required("network.change_outage")
@require_POST
def outage_resolve(request: HttpRequest, outage_id: int) -> HttpResponse:
    return _end(request, outage_id, cancel=False)


@staff_permission_required("network.change_outage")
@require_POST
def outage_cancel(request: HttpRequest, outage_id: int) -> HttpResponse:
    return _end(request, outage_id, cancel=True)
