"""Staff pages for equipment: finding a device (serial number, MAC address, device id,
account number), a device with its live status and action history, and the customer's
own actions on it (restart, Wi-Fi change), and linking it to device management, each
audited with the staff request.

Thin: ``network.lookup`` finds, ``network.equipment_status`` reads the live status,
``network.restarting`` and ``network.wifi`` act (and audit). Opening a device's page is
audited as opening its account. Staff restarts are not held to the customer's hourly
limit.
"""

from __future__ import annotations

from django.contrib import messages as flash
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dropline.accounts.requests import signed_in_user
from dropline.backoffice.access import staff_permission_required
from dropline.backoffice.equipment.forms import LinkForm, LookupForm, StaffWifiForm
from dropline.core import audit
from dropline.network import equipment_status, linking, restarting, wifi
from dropline.network import lookup as device_lookup
from dropline.network.devices.base import WifiNetwork
from dropline.network.errors import DeviceActionError
from dropline.network.models import DeviceActionStatus, Equipment

VIEW = "network.view_equipment"
MANAGE = "network.manage_devices"
LINK = "network.change_equipment"


def _device(request: HttpRequest, equipment_id: int) -> Equipment:
    found = device_lookup.device(equipment_id=equipment_id)
    if found is None:
        raise Http404
    if not signed_in_user(request).has_perm(VIEW):
        raise Http404
    return found


@staff_permission_required(VIEW)
def lookup(request: HttpRequest) -> HttpResponse:
    form = LookupForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    found = device_lookup.find_devices(query=query) if query else []
    if len(found) == 1:
        return redirect("backoffice:equipment_device", found[0].pk)
    return render(
        request,
        "backoffice/equipment/lookup.html",
        {"form": form, "query": query, "found": found},
    )


def _wifi_forms(
    networks: tuple[WifiNetwork, ...], posted: StaffWifiForm | None
) -> list[tuple[WifiNetwork, StaffWifiForm]]:
    forms = []
    for network in networks:
        if posted is not None and posted.data.get("network") == network.key:
            forms.append((network, posted))
        else:
            forms.append(
                (
                    network,
                    StaffWifiForm(
                        auto_id=f"id_wifi_{network.key}_%s",
                        initial={"network": network.key, "ssid": network.ssid},
                    ),
                )
            )
    return forms


def _page(
    request: HttpRequest,
    equipment: Equipment,
    *,
    posted: StaffWifiForm | None = None,
    link_form: LinkForm | None = None,
    status: int = 200,
) -> HttpResponse:
    view = equipment_status.views_of([equipment])[0]
    audit.record(
        action="customer.viewed",
        request=request,
        target=equipment.account,
        account_number=equipment.account.number,
    )
    networks = view.state.wifi if view.state is not None else ()
    return render(
        request,
        "backoffice/equipment/device.html",
        {
            "view": view,
            "account": equipment.account,
            "effect": restarting.restart_effect(view.kind),
            "history": device_lookup.action_history(equipment=equipment),
            "pending_wifi": wifi.pending_changes(equipment=equipment, state=view.state),
            "wifi_forms": _wifi_forms(networks, posted),
            "can_manage": signed_in_user(request).has_perm(MANAGE),
            "can_link": signed_in_user(request).has_perm(LINK),
            "link_form": link_form or LinkForm(initial={"device_id": equipment.device_id}),
        },
        status=status,
    )


@staff_permission_required(VIEW)
def device(request: HttpRequest, equipment_id: int) -> HttpResponse:
    return _page(request, _device(request, equipment_id))


@staff_permission_required(MANAGE)
@require_POST
def restart(request: HttpRequest, equipment_id: int) -> HttpResponse:
    equipment = _device(request, equipment_id)
    try:
        action = restarting.restart(
            equipment=equipment, user=signed_in_user(request), by_staff=True, request=request
        )
    except DeviceActionError as exc:
        flash.error(request, exc.message)
    else:
        if action.status == DeviceActionStatus.FAILED:
            flash.error(request, restarting.describe(action))
        else:
            flash.success(request, restarting.describe(action))
    return redirect("backoffice:equipment_device", equipment.pk)


@staff_permission_required(MANAGE)
@require_POST
def change_wifi(request: HttpRequest, equipment_id: int) -> HttpResponse:
    equipment = _device(request, equipment_id)
    form = StaffWifiForm(request.POST, auto_id=f"id_wifi_{request.POST.get('network', '')}_%s")
    if form.is_valid():
        try:
            action = wifi.change_wifi(
                equipment=equipment,
                user=signed_in_user(request),
                key=form.cleaned_data["network"],
                ssid=form.cleaned_data["ssid"],
                passphrase=form.cleaned_data["passphrase"] or None,
                by_staff=True,
                request=request,
            )
        except DeviceActionError as exc:
            if exc.field in ("ssid", "passphrase"):
                form.add_error(exc.field, exc.message)
            else:
                flash.error(request, exc.message)
                return redirect("backoffice:equipment_device", equipment.pk)
        else:
            if action.status == DeviceActionStatus.DONE:
                flash.success(request, _("The device applied the Wi-Fi change."))
            elif action.status == DeviceActionStatus.FAILED:
                flash.error(
                    request,
                    _("The device refused the Wi-Fi change: %(fault)s") % {"fault": action.fault},
                )
            else:
                flash.success(request, _("The Wi-Fi change waits for the device's next contact."))
            return redirect("backoffice:equipment_device", equipment.pk)
    return _page(request, equipment, posted=form, status=400)


@staff_permission_required(LINK)
@require_POST
def link(request: HttpRequest, equipment_id: int) -> HttpResponse:
    equipment = _device(request, equipment_id)
    form = LinkForm(request.POST)
    if form.is_valid():
        try:
            linking.link(
                equipment=equipment,
                device_id=form.cleaned_data["device_id"],
                user=signed_in_user(request),
                request=request,
            )
        except DeviceActionError as exc:
            form.add_error("device_id", exc.message)
        else:
            if equipment.device_id:
                flash.success(request, _("The device is linked to device management."))
            else:
                flash.success(request, _("The device is no longer linked to device management."))
            return redirect("backoffice:equipment_device", equipment.pk)
    return _page(request, equipment, link_form=form, status=400)
