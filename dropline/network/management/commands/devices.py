"""``dropline devices list | show DEVICE_ID | unplug DEVICE_ID | plug DEVICE_ID |
fault DEVICE_ID "9002 Internal error" | clear DEVICE_ID``: look at a device through the
configured device management (``show``), and play the simulator's devices for a demo
or a test: unplug one, plug it back, make its tasks fault, clear the fault."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dropline.core import clock
from dropline.network.devices import get_device_manager, simulator
from dropline.network.devices.base import (
    DeviceManagerUnavailableError,
    DeviceNotFoundError,
    DeviceState,
)
from dropline.network.models import SimulatedDevice

FAULT = re.compile(r"^\d{4} \S.*$")
SIMULATOR_ACTIONS = ("list", "unplug", "plug", "fault", "clear")


def _when(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S UTC") if value is not None else "-"


def _duration(seconds: int | None) -> str:
    if seconds is None:
        return "-"
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    return f"{days}d {hours}h {rest // 60}m" if days else f"{hours}h {rest // 60}m {rest % 60}s"


class Command(BaseCommand):
    help = "Show a managed device; unplug, plug, fault or clear a simulated one."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="every simulated device and whether it is online")
        show = sub.add_parser("show", help="a device as device management reports it")
        show.add_argument("device_id")
        for name, text in (
            ("unplug", "a simulated device stops contacting the server"),
            ("plug", "a simulated device is back on power: it boots and checks in"),
            ("clear", "a simulated device's tasks stop faulting"),
        ):
            sub.add_parser(name, help=text).add_argument("device_id")
        fault = sub.add_parser("fault", help="every task of a simulated device faults")
        fault.add_argument("device_id")
        fault.add_argument("fault", help='a CWMP fault code and its message: "9002 Internal error"')

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action in SIMULATOR_ACTIONS and settings.DROPLINE_DEVICE_MANAGER != "simulator":
            raise CommandError(
                f"'{action}' plays the simulator's devices, but device management here is "
                f"{settings.DROPLINE_DEVICE_MANAGER} (DROPLINE_DEVICE_MANAGER)."
            )
        if action == "list":
            self._list()
            return
        device_id = options["device_id"]
        try:
            if action == "show":
                self._show(get_device_manager().device(device_id))
            elif action in ("unplug", "plug"):
                simulator.set_connected(device_id=device_id, connected=action == "plug")
                done = "unplugged" if action == "unplug" else "plugged back in: it boots now"
                self.stdout.write(f"{device_id} {done}.")
            elif action == "fault":
                fault = " ".join(options["fault"].split())
                if not FAULT.match(fault):
                    raise CommandError(
                        f"The fault must be a four-digit CWMP code and a message, "
                        f'like "9002 Internal error", not "{options["fault"]}".'
                    )
                simulator.set_fault(device_id=device_id, fault=fault)
                self.stdout.write(f"Every task for {device_id} now faults with {fault}.")
            else:
                simulator.set_fault(device_id=device_id, fault="")
                self.stdout.write(
                    f"{device_id} no longer faults; tasks that faulted run at its next contact."
                )
        except DeviceNotFoundError:
            hint = " (dropline devices list shows them)" if action != "show" else ""
            raise CommandError(f"There is no device {device_id}{hint}.") from None
        except DeviceManagerUnavailableError as exc:
            raise CommandError(str(exc)) from None

    def _list(self) -> None:
        rows = simulator.look_up(list(SimulatedDevice.objects.values_list("device_id", flat=True)))
        if not rows:
            self.stdout.write("No simulated devices yet (dropline seed demo adds some).")
            return
        now = clock.now()
        self.stdout.write(f"{'device':<40} {'status':<10} {'last contact':<24} fault")
        for row in sorted(rows, key=lambda r: r.device_id):
            if not row.connected:
                status = "unplugged"
            elif not simulator.reachable(row, now):
                status = "restarting"
            else:
                status = "online"
            seen = _when(row.last_inform_at)
            self.stdout.write(f"{row.device_id:<40} {status:<10} {seen:<24} {row.fault or '-'}")

    def _show(self, state: DeviceState) -> None:
        write = self.stdout.write
        write(f"Device:        {state.device_id}")
        write(f"Status:        {'online' if state.online else 'offline'}")
        write(f"Last contact:  {_when(state.last_contact)}")
        write(f"Up for:        {_duration(state.uptime_seconds)}")
        write(f"Firmware:      {state.firmware or '-'}")
        if state.signal is not None:
            s = state.signal
            write(
                f"Signal:        downstream {s.downstream_power_dbmv} dBmV, "
                f"SNR {s.downstream_snr_db} dB, upstream {s.upstream_power_dbmv} dBmV"
            )
        for network in state.wifi:
            enabled = "" if network.enabled else ", off"
            write(
                f"Wi-Fi {network.key}:       {network.ssid} ({network.band}, "
                f"{network.security}{enabled})"
            )
        for host in state.hosts:
            active = "" if host.active else " (inactive)"
            write(
                f"Connected:     {host.name or '-'} {host.mac_address} {host.ip_address} "
                f"{host.interface}{active}"
            )
