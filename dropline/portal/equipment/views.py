"""The customer's equipment: each device with its live status; a device's details,
Wi-Fi networks and connected devices; restarting it (what will happen, then its progress
until it is back, then the result); seeing and changing its Wi-Fi name and password.

Thin: ``network.equipment_status`` reads (one device-management call a page),
``network.restarting`` and ``network.wifi`` write. Every device is looked up within the
account the person is looking at, so another account's device answers 404.

Seeing a Wi-Fi password and changing it need a sign-in confirmed in the last few
minutes (allauth's ``reauthentication_required``), as payment methods do.
"""

from __future__ import annotations

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from dropline.accounts.requests import signed_in_user
from dropline.core import clock
from dropline.customers.models import AccountMember
from dropline.network import equipment_status, restarting, wifi
from dropline.network.devices.base import WifiNetwork
from dropline.network.equipment_status import EquipmentView
from dropline.network.errors import DeviceActionError, RestartLimitError
from dropline.network.models import DeviceAction, DeviceActionKind, DeviceActionStatus, Equipment
from dropline.portal.common import current_membership
from dropline.portal.equipment.forms import NETWORK_FIELD, WifiForm

NO_ACCOUNT = "portal/no_account.html"
# How often the progress page asks how a restart is going.
POLL_SECONDS = 5
HISTORY = 5


def _device(request: HttpRequest, equipment_id: int) -> tuple[AccountMember, EquipmentView]:
    membership = current_membership(request)
    if membership is None:
        raise Http404
    try:
        view = equipment_status.equipment_view(
            account=membership.account, equipment_id=equipment_id
        )
    except Equipment.DoesNotExist:
        raise Http404 from None
    return membership, view


def _restart_action(view: EquipmentView, action_id: int) -> DeviceAction:
    action = DeviceAction.objects.filter(
        pk=action_id, equipment=view.equipment, kind=DeviceActionKind.RESTART
    ).first()
    if action is None:
        raise Http404
    action.equipment = view.equipment
    return action


@never_cache
@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    membership = current_membership(request)
    if membership is None:
        return render(request, NO_ACCOUNT)
    views = equipment_status.equipment_states(account=membership.account)
    return render(
        request,
        "portal/equipment/index.html",
        {"membership": membership, "devices": views, "now": clock.now()},
    )


@never_cache
@login_required
@require_GET
def device(request: HttpRequest, equipment_id: int) -> HttpResponse:
    membership, view = _device(request, equipment_id)
    pending = wifi.pending_changes(equipment=view.equipment, state=view.state)
    history = list(
        DeviceAction.objects.filter(equipment=view.equipment).order_by("-requested_at", "-id")[
            :HISTORY
        ]
    )
    return render(
        request,
        "portal/equipment/device.html",
        {
            "membership": membership,
            "view": view,
            "effect": restarting.restart_effect(view.kind),
            "pending_wifi": pending,
            "history": history,
            "now": clock.now(),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def restart(request: HttpRequest, equipment_id: int) -> HttpResponse:
    """GET: what a restart will do, and the button. POST: restart, then its progress."""
    membership, view = _device(request, equipment_id)
    if not view.restartable:
        raise Http404
    if view.restart is not None:
        return redirect("equipment:restart_progress", view.equipment.pk, view.restart.pk)
    error, status = "", 200
    if request.method == "POST":
        try:
            action = restarting.restart(equipment=view.equipment, user=signed_in_user(request))
        except RestartLimitError as exc:
            error, status = exc.message, 429
        except DeviceActionError as exc:
            error, status = exc.message, 503 if exc.code == "unavailable" else 409
        else:
            return redirect("equipment:restart_progress", view.equipment.pk, action.pk)
    return render(
        request,
        "portal/equipment/restart.html",
        {
            "membership": membership,
            "view": view,
            "effect": restarting.restart_effect(view.kind),
            "error": error,
        },
        status=status,
    )


@never_cache
@login_required
@require_GET
def restart_progress(request: HttpRequest, equipment_id: int, action_id: int) -> HttpResponse:
    """Where the restart stands; while it runs, the page asks again every few seconds
    (with ``restart_status``) and a "check again" link does the same without scripts."""
    membership, view = _device(request, equipment_id)
    action = restarting.restart_progress(action=_restart_action(view, action_id))
    return render(
        request,
        "portal/equipment/restart_progress.html",
        {
            "membership": membership,
            "view": view,
            "action": action,
            "running": action.status in restarting.OPEN,
            "succeeded": action.status == DeviceActionStatus.DONE,
            "message": restarting.describe(action),
            "poll_seconds": POLL_SECONDS,
        },
    )


@never_cache
@login_required
@require_GET
def restart_status(request: HttpRequest, equipment_id: int, action_id: int) -> JsonResponse:
    _membership, view = _device(request, equipment_id)
    action = restarting.restart_progress(action=_restart_action(view, action_id))
    return JsonResponse(
        {
            "status": action.status,
            "finished": action.status not in restarting.OPEN,
            "message": restarting.describe(action),
        }
    )


def _forms(
    view: EquipmentView, posted: tuple[str, WifiForm] | None
) -> list[tuple[WifiNetwork, WifiForm]]:
    networks = view.state.wifi if view.state is not None else ()
    forms = []
    for network in networks:
        if posted is not None and posted[0] == network.key:
            forms.append((network, posted[1]))
            continue
        forms.append(
            (
                network,
                WifiForm(
                    prefix=f"wifi-{network.key}",
                    initial={"ssid": network.ssid, "passphrase": network.passphrase},
                ),
            )
        )
    return forms


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@reauthentication_required
def wifi_settings(request: HttpRequest, equipment_id: int) -> HttpResponse:
    """The device's Wi-Fi networks with their passwords, and a form for each."""
    membership, view = _device(request, equipment_id)
    if not view.has_wifi:
        raise Http404
    posted: tuple[str, WifiForm] | None = None
    status = 200
    if request.method == "POST":
        key = request.POST.get(NETWORK_FIELD, "")
        form = WifiForm(request.POST, prefix=f"wifi-{key}")
        posted = (key, form)
        if form.is_valid():
            try:
                action = wifi.change_wifi(
                    equipment=view.equipment,
                    user=signed_in_user(request),
                    key=key,
                    ssid=form.cleaned_data["ssid"],
                    passphrase=form.new_passphrase(),
                )
            except DeviceActionError as exc:
                field = exc.field if exc.field in ("ssid", "passphrase") else None
                form.add_error(field, exc.message)
            else:
                messages.success(request, wifi.describe(action))
                return redirect("equipment:wifi", view.equipment.pk)
        status = 400
    return render(
        request,
        "portal/equipment/wifi.html",
        {
            "membership": membership,
            "view": view,
            "forms": _forms(view, posted),
            "pending_wifi": wifi.pending_changes(equipment=view.equipment, state=view.state),
        },
        status=status,
    )
