"""Staff pages for the channel guide, the add-ons (with the channels of TV add-ons)
and the equipment models: lists, new ones and changes.

Thin: parse input, call ``dropline.catalog.editing``, render.
"""

from __future__ import annotations

from django.contrib import messages as flash
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dropline.accounts.requests import signed_in_user
from dropline.backoffice.access import staff_permission_required
from dropline.backoffice.catalog.common import FormPage, form_page
from dropline.backoffice.catalog.forms import AddOnForm, ChannelForm, EquipmentForm, LineUpForm
from dropline.catalog.editing.extras import (
    change_add_on,
    change_equipment_model,
    create_add_on,
    create_equipment_model,
)
from dropline.catalog.editing.guide import change_channel, create_channel, set_line_up
from dropline.catalog.errors import CatalogError
from dropline.catalog.models import AddOn, Channel, EquipmentModel, ServiceKind
from dropline.core.money import Money


@staff_permission_required("catalog.change_channel")
def channels(request: HttpRequest) -> HttpResponse:
    rows = Channel.objects.annotate(
        plan_count=Count("plans", distinct=True), add_on_count=Count("add_ons", distinct=True)
    ).order_by("number")
    return render(request, "backoffice/catalog/channels.html", {"channels": rows})


@staff_permission_required("catalog.add_channel")
@require_http_methods(["GET", "POST"])
def channel_new(request: HttpRequest) -> HttpResponse:
    form = ChannelForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                channel = create_channel(
                    **form.cleaned_data, actor=signed_in_user(request), request=request
                )
            except CatalogError as exc:
                form.show_error(exc.field, exc.reason)
            else:
                flash.success(
                    request, _("Channel %(channel)s has been added.") % {"channel": channel}
                )
                return redirect("backoffice:catalog_channels")
    page = FormPage(
        title=_("New channel"),
        back_url=reverse("backoffice:catalog_channels"),
        back_label=_("Back to the channels"),
        submit=_("Add the channel"),
        note=_("Then add it to the line-ups of the TV plans and add-ons that carry it."),
    )
    return form_page(request, page, form, status=status)


@staff_permission_required("catalog.change_channel")
@require_http_methods(["GET", "POST"])
def channel_edit(request: HttpRequest, pk: int) -> HttpResponse:
    channel = get_object_or_404(Channel, pk=pk)
    initial = {name: getattr(channel, name) for name in ChannelForm.MODEL_FIELDS}
    form = ChannelForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                changes = change_channel(
                    channel=channel,
                    **form.cleaned_data,
                    actor=signed_in_user(request),
                    request=request,
                )
            except CatalogError as exc:
                form.show_error(exc.field, exc.reason)
            else:
                if changes:
                    flash.success(request, _("The channel has been saved."))
                else:
                    flash.info(request, _("Nothing was changed."))
                return redirect("backoffice:catalog_channels")
    page = FormPage(
        title=_("Change channel %(channel)s") % {"channel": channel},
        back_url=reverse("backoffice:catalog_channels"),
        back_label=_("Back to the channels"),
        submit=_("Save the channel"),
    )
    return form_page(request, page, form, status=status)


@staff_permission_required("catalog.change_addon")
def add_ons(request: HttpRequest) -> HttpResponse:
    rows = AddOn.objects.annotate(channel_count=Count("channels")).order_by("kind", "name")
    return render(request, "backoffice/catalog/add_ons.html", {"add_ons": rows})


@staff_permission_required("catalog.add_addon")
@require_http_methods(["GET", "POST"])
def add_on_new(request: HttpRequest) -> HttpResponse:
    form = AddOnForm(
        request.POST if request.method == "POST" else None,
        creating=True,
        initial={"is_active": True},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                create_add_on(
                    code=data["code"],
                    kind=data["kind"],
                    name=data["name"],
                    name_es=data.get("name_es") or "",
                    monthly_price_cents=data["monthly_price"],
                    is_active=bool(data.get("is_active")),
                    actor=signed_in_user(request),
                    request=request,
                )
            except CatalogError as exc:
                form.show_error(exc.field, exc.reason)
            else:
                flash.success(request, _("The add-on has been added."))
                return redirect("backoffice:catalog_add_ons")
    page = FormPage(
        title=_("New add-on"),
        back_url=reverse("backoffice:catalog_add_ons"),
        back_label=_("Back to the add-ons"),
        submit=_("Add the add-on"),
        note=_('The monthly price is its first price; later prices change under "Prices".'),
    )
    return form_page(request, page, form, status=status)


@staff_permission_required("catalog.change_addon")
@require_http_methods(["GET", "POST"])
def add_on_edit(request: HttpRequest, code: str) -> HttpResponse:
    add_on = get_object_or_404(AddOn, code=code)
    initial = {"name": add_on.name, "name_es": add_on.name_es, "is_active": add_on.is_active}
    form = AddOnForm(
        request.POST if request.method == "POST" else None, creating=False, initial=initial
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                changes = change_add_on(
                    add_on=add_on,
                    name=data["name"],
                    name_es=data.get("name_es") or "",
                    is_active=bool(data.get("is_active")),
                    actor=signed_in_user(request),
                    request=request,
                )
            except CatalogError as exc:
                form.show_error(exc.field, exc.reason)
            else:
                if changes:
                    flash.success(request, _("The add-on has been saved."))
                else:
                    flash.info(request, _("Nothing was changed."))
                return redirect("backoffice:catalog_add_ons")
    page = FormPage(
        title=_("Change %(name)s") % {"name": add_on.name},
        back_url=reverse("backoffice:catalog_add_ons"),
        back_label=_("Back to the add-ons"),
        submit=_("Save the add-on"),
        note=_(
            'The monthly price of %(price)s is not changed here: prices change under "Prices". '
            "Taking an add-on off sale keeps it for the customers who have it."
        )
        % {"price": Money(add_on.monthly_price_cents, add_on.currency)},
    )
    return form_page(request, page, form, status=status)


@staff_permission_required("catalog.change_addon")
@require_http_methods(["GET", "POST"])
def add_on_line_up(request: HttpRequest, code: str) -> HttpResponse:
    add_on = get_object_or_404(AddOn, code=code)
    if add_on.kind != ServiceKind.TV:
        raise Http404
    form = LineUpForm(
        request.POST if request.method == "POST" else None,
        initial={"channels": list(add_on.channels.all())},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            changes = set_line_up(
                carrier=add_on,
                channels=form.cleaned_data["channels"],
                actor=signed_in_user(request),
                request=request,
            )
            if changes["added"] or changes["removed"]:
                flash.success(
                    request,
                    _("The channels of %(name)s have been saved.") % {"name": add_on.name},
                )
            else:
                flash.info(request, _("Nothing was changed."))
            return redirect("backoffice:catalog_add_ons")
    page = FormPage(
        title=_("Channels of %(name)s") % {"name": add_on.name},
        back_url=reverse("backoffice:catalog_add_ons"),
        back_label=_("Back to the add-ons"),
        submit=_("Save the channels"),
        note=_("The channel finder shows the new line-up at once."),
    )
    return form_page(request, page, form, status=status, extra={"columns": True})


@staff_permission_required("catalog.change_equipmentmodel")
def equipment(request: HttpRequest) -> HttpResponse:
    rows = EquipmentModel.objects.order_by("kind", "manufacturer", "model_name")
    return render(request, "backoffice/catalog/equipment.html", {"models": rows})


@staff_permission_required("catalog.add_equipmentmodel")
@require_http_methods(["GET", "POST"])
def equipment_new(request: HttpRequest) -> HttpResponse:
    form = EquipmentForm(request.POST if request.method == "POST" else None, creating=True)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                create_equipment_model(
                    code=data["code"],
                    kind=data["kind"],
                    manufacturer=data["manufacturer"],
                    model_name=data["model_name"],
                    monthly_rental_cents=data["monthly_rental"],
                    actor=signed_in_user(request),
                    request=request,
                )
            except CatalogError as exc:
                form.show_error(exc.field, exc.reason)
            else:
                flash.success(request, _("The equipment model has been added."))
                return redirect("backoffice:catalog_equipment")
    page = FormPage(
        title=_("New equipment model"),
        back_url=reverse("backoffice:catalog_equipment"),
        back_label=_("Back to the equipment models"),
        submit=_("Add the equipment model"),
        note=_('The monthly rental is its first price; later prices change under "Prices".'),
    )
    return form_page(request, page, form, status=status)


@staff_permission_required("catalog.change_equipmentmodel")
@require_http_methods(["GET", "POST"])
def equipment_edit(request: HttpRequest, code: str) -> HttpResponse:
    model = get_object_or_404(EquipmentModel, code=code)
    initial = {
        "kind": model.kind,
        "manufacturer": model.manufacturer,
        "model_name": model.model_name,
    }
    form = EquipmentForm(
        request.POST if request.method == "POST" else None, creating=False, initial=initial
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                changes = change_equipment_model(
                    equipment=model,
                    kind=data["kind"],
                    manufacturer=data["manufacturer"],
                    model_name=data["model_name"],
                    actor=signed_in_user(request),
                    request=request,
                )
            except CatalogError as exc:
                form.show_error(exc.field, exc.reason)
            else:
                if changes:
                    flash.success(request, _("The equipment model has been saved."))
                else:
                    flash.info(request, _("Nothing was changed."))
                return redirect("backoffice:catalog_equipment")
    page = FormPage(
        title=_("Change %(name)s") % {"name": model},
        back_url=reverse("backoffice:catalog_equipment"),
        back_label=_("Back to the equipment models"),
        submit=_("Save the equipment model"),
        note=_('The monthly rental is not changed here: prices change under "Prices".'),
    )
    return form_page(request, page, form, status=status)
