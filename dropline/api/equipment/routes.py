"""The customer's equipment, for the mobile app: each device with its live status and
details, restarting one (202 while it restarts; 429 past the hourly limit), and its
Wi-Fi networks (seeing the passwords and changing them need a sign-in confirmed in the
last few minutes: allauth's 401 with the ``reauthenticate`` flows otherwise). The same
reads and writes as the web pages (``dropline.network``).

The account is the first of the caller's (as `/me` lists them) unless ``account``
names another of theirs; a device that is not on that account answers 404.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Query, Router, Status

from dropline.accounts.requests import signed_in_user
from dropline.api.equipment.schemas import (
    ConnectedDeviceOut,
    DeviceOut,
    EquipmentListOut,
    EquipmentQuery,
    RestartOut,
    SignalLevelOut,
    WifiChangeOut,
    WifiIn,
    WifiNetworkOut,
    WifiOut,
    WifiQuery,
)
from dropline.api.errors import FieldError
from dropline.api.headless import require_recent_authentication
from dropline.api.membership import membership_asked
from dropline.api.schemas import AccountRefOut, AllauthAuthenticationOut, ErrorOut, InvalidInputOut
from dropline.customers.models import AccountMember
from dropline.network import equipment_status, restarting, wifi
from dropline.network.devices.base import WifiNetwork
from dropline.network.equipment_status import EquipmentView
from dropline.network.errors import DeviceActionError, RestartLimitError
from dropline.network.models import DeviceAction, DeviceActionKind, DeviceActionStatus, Equipment

router = Router(tags=["equipment"])

REAUTHENTICATE: dict[int, Any] = {401: AllauthAuthenticationOut}
BAD_INPUT: dict[int, Any] = {400: InvalidInputOut, 422: InvalidInputOut}
# The domain's field names as the API's.
FIELDS = {"key": "network", "ssid": "ssid", "passphrase": "passphrase"}


def _network_out(network: WifiNetwork, *, with_passphrase: bool = False) -> WifiNetworkOut:
    return WifiNetworkOut(
        network=network.key,
        ssid=network.ssid,
        band=network.band,
        security=network.security,
        enabled=network.enabled,
        passphrase=network.passphrase if with_passphrase else None,
    )


def _restart_out(action: DeviceAction) -> RestartOut:
    return RestartOut(
        id=action.pk,
        status=action.status,
        requested_at=action.requested_at,
        expected_at=action.expected_at,
        finished_at=action.finished_at,
        message=restarting.describe(action),
    )


def _equipment_out(view: EquipmentView) -> DeviceOut:
    device, state = view.equipment, view.state
    return DeviceOut(
        id=device.pk,
        kind=view.kind,
        kind_label=device.model.get_kind_display(),
        name=str(device.model),
        serial_number=device.serial_number,
        mac_address=device.mac_address,
        status=view.status,
        status_label=view.status_label,
        last_contact=state.last_contact if state else None,
        uptime_seconds=state.uptime_seconds if state and state.online else None,
        firmware=state.firmware if state else "",
        signal=[
            SignalLevelOut(
                name=level.name,
                value=level.value,
                unit=level.range.unit,
                typical_low=level.range.low,
                typical_high=level.range.high,
                in_range=level.in_range,
                problem=level.problem,
            )
            for level in view.signal
        ],
        connected_devices=[
            ConnectedDeviceOut(
                name=host.name,
                mac_address=host.mac_address,
                ip_address=host.ip_address,
                connection=host.interface,
                active=host.active,
            )
            for host in (state.hosts if state else ())
        ],
        wifi=[_network_out(network) for network in (state.wifi if state else ())],
        restartable=view.restartable,
        restart_effect=restarting.restart_effect(view.kind) if view.restartable else "",
        restart=_restart_out(view.restart) if view.restart else None,
        last_restart_at=view.last_restart_at,
    )


def _view(membership: AccountMember, equipment_id: int) -> EquipmentView:
    try:
        return equipment_status.equipment_view(
            account=membership.account, equipment_id=equipment_id
        )
    except Equipment.DoesNotExist:
        raise Http404 from None


@router.get(
    "/equipment",
    response={200: EquipmentListOut, 404: ErrorOut},
    summary="Equipment with its live status",
)
def equipment(request: HttpRequest, query: Query[EquipmentQuery]) -> EquipmentListOut:
    """Every device at (or on its way to) the account's home with its status now:
    `online`, `offline`, `restarting` or `unknown`, and what device management reports
    (last contact, uptime, software version, signal levels, connected devices, Wi-Fi
    networks without their passwords)."""
    membership = membership_asked(request, query.account)
    account = membership.account
    return EquipmentListOut(
        account=AccountRefOut(number=account.number, name=account.name, role=membership.role),
        equipment=[
            _equipment_out(view) for view in equipment_status.equipment_states(account=account)
        ],
    )


@router.get(
    "/equipment/{equipment_id}",
    response={200: DeviceOut, 404: ErrorOut},
    summary="One device with its live status",
)
def device(request: HttpRequest, equipment_id: int, query: Query[EquipmentQuery]) -> DeviceOut:
    """The device with its live status from device management, as the equipment page shows it."""
    return _equipment_out(_view(membership_asked(request, query.account), equipment_id))


@router.post(
    "/equipment/{equipment_id}/restart",
    response={202: RestartOut, 404: ErrorOut, 409: ErrorOut, 429: ErrorOut, 503: ErrorOut},
    summary="Restart a device",
)
def restart(
    request: HttpRequest, response: HttpResponse, equipment_id: int, query: Query[EquipmentQuery]
) -> Any:
    """Restart the device: 202 with the restart while it runs (`running`; `queued` when
    the device is offline and restarts as soon as it connects again). A restart already
    running is answered as it is. Follow it with `GET .../restarts/{id}`. 429 (with
    `Retry-After`) past the restarts allowed in an hour; 409 for a device that cannot be
    restarted from here or refused the restart; 503 when it cannot be reached now."""
    view = _view(membership_asked(request, query.account), equipment_id)
    try:
        action = restarting.restart(equipment=view.equipment, user=signed_in_user(request))
    except RestartLimitError as exc:
        response["Retry-After"] = str(exc.retry_after)
        return Status(429, ErrorOut(detail=exc.message))
    except DeviceActionError as exc:
        return Status(503 if exc.code == "unavailable" else 409, ErrorOut(detail=exc.message))
    if action.status == DeviceActionStatus.FAILED:
        return Status(409, ErrorOut(detail=restarting.describe(action)))
    return Status(202, _restart_out(action))


@router.get(
    "/equipment/{equipment_id}/restarts/{restart_id}",
    response={200: RestartOut, 404: ErrorOut},
    summary="How a restart is going",
)
def restart_progress(
    request: HttpRequest, equipment_id: int, restart_id: int, query: Query[EquipmentQuery]
) -> RestartOut:
    """`done` once the device is back online after the restart."""
    view = _view(membership_asked(request, query.account), equipment_id)
    action = DeviceAction.objects.filter(
        pk=restart_id, equipment=view.equipment, kind=DeviceActionKind.RESTART
    ).first()
    if action is None:
        raise Http404
    action.equipment = view.equipment
    return _restart_out(restarting.restart_progress(action=action))


def _wifi_view(request: HttpRequest, account: str | None, equipment_id: int) -> EquipmentView:
    view = _view(membership_asked(request, account), equipment_id)
    if not view.has_wifi:
        raise Http404
    return view


@router.get(
    "/equipment/{equipment_id}/wifi",
    response={200: WifiOut, 404: ErrorOut, **REAUTHENTICATE},
    summary="A device's Wi-Fi networks",
)
def wifi_networks(request: HttpRequest, equipment_id: int, query: Query[WifiQuery]) -> WifiOut:
    """The device's Wi-Fi networks; with `include_passphrase=true` their passwords too.
    404 for a device without Wi-Fi (or whose Wi-Fi cannot be read now)."""
    if query.include_passphrase:
        require_recent_authentication(request)
    view = _wifi_view(request, query.account, equipment_id)
    assert view.state is not None
    return WifiOut(
        equipment_id=view.equipment.pk,
        networks=[
            _network_out(network, with_passphrase=query.include_passphrase)
            for network in view.state.wifi
        ],
        pending=bool(wifi.pending_changes(equipment=view.equipment, state=view.state)),
    )


@router.put(
    "/equipment/{equipment_id}/wifi",
    response={
        200: WifiChangeOut,
        202: WifiChangeOut,
        404: ErrorOut,
        409: ErrorOut,
        503: ErrorOut,
        **BAD_INPUT,
        **REAUTHENTICATE,
    },
    summary="Change a Wi-Fi network's name or password",
)
def change_wifi(request: HttpRequest, equipment_id: int, payload: WifiIn) -> Any:
    """Give one network a new name and, unless `passphrase` is null, a new password.
    200 when the device applied it; 202 when it waits for the device's next contact.
    400 names the field (`network`, `ssid`, `passphrase`) and the reason."""
    require_recent_authentication(request)
    view = _wifi_view(request, payload.account, equipment_id)
    try:
        action = wifi.change_wifi(
            equipment=view.equipment,
            user=signed_in_user(request),
            key=payload.network,
            ssid=payload.ssid,
            passphrase=payload.passphrase,
        )
    except DeviceActionError as exc:
        if exc.field:
            raise FieldError(FIELDS.get(exc.field, exc.field), exc.message) from None
        return Status(503 if exc.code == "unavailable" else 409, ErrorOut(detail=exc.message))
    out = WifiChangeOut(id=action.pk, status=action.status, message=wifi.describe(action))
    if action.status == DeviceActionStatus.FAILED:
        return Status(409, ErrorOut(detail=out.message))
    return Status(200 if action.status == DeviceActionStatus.DONE else 202, out)
