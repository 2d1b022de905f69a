"""Device management through a GenieACS server's NBI (its REST API, port 7557).

Reads: ``GET /devices/?query=<json>&projection=<paths>``, many devices in one request
(``{"_id": {"$in": [...]}}``); the device's parameters come back as nested objects whose
leaves carry ``_value``, ``_type`` and ``_timestamp``, with ``_lastInform`` and
``_lastBoot`` beside them. GenieACS knows of a device only what the device last told
it, so a device is online when it contacted the server within its periodic inform
interval and a minute more; one that was just restarted still looks online until that
has passed (``restarting.py`` follows a restart by its boot time, not by this).

Tasks: ``POST /devices/<id>/tasks?timeout=<ms>&connection_request`` with the task as
JSON. 200: the device ran it in the session the connection request opened; 202: it is
queued (the device is offline or busy, the connection request failed, or the task
faulted); 404: no such device. A task leaves ``/tasks/`` once done; a fault stays in
``/faults/`` as ``<device id>:task_<task id>`` with its code and message.

Errors: anything that is not an answer (refused connection, timeout, 5xx, a body that
is not JSON, refused credentials) raises ``DeviceManagerUnavailableError``, naming the
server without its credentials.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from django.conf import settings

from dropline.core import clock
from dropline.network.devices import tr069
from dropline.network.devices.base import (
    DeviceManagerUnavailableError,
    DeviceNotFoundError,
    DeviceState,
    ParameterValue,
    TaskOutcome,
    TaskResult,
    TaskState,
    TaskStatus,
)
from dropline.network.devices.tasks import NamedTasks

logger = logging.getLogger(__name__)

# How long GenieACS waits for the device's session before answering 202 (ms); it stays
# under the client's own timeout so the answer arrives.
TASK_TIMEOUT_MS = 3000
DEFAULT_INFORM_INTERVAL_SECONDS = 300
ONLINE_GRACE_SECONDS = 60
IDS_PER_REQUEST = 50

PROJECTION = (
    "_lastInform",
    "_lastBoot",
    *(
        path.format(root=root)
        for root in tr069.DATA_MODELS
        for path in (
            tr069.SOFTWARE_VERSION,
            tr069.UP_TIME,
            tr069.PERIODIC_INFORM_INTERVAL,
            tr069.CABLE_MODEM.rstrip("."),
        )
    ),
    "InternetGatewayDevice.LANDevice.1.WLANConfiguration",
    tr069.LAN_HOSTS.rstrip("."),
    "Device.WiFi",
    tr069.HOSTS.rstrip("."),
)


def flatten(node: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, ParameterValue]]:
    """The leaves of a device document as (path, value), skipping GenieACS's own
    ``_attributes``."""
    for name, child in node.items():
        if name.startswith("_") or not isinstance(child, Mapping):
            continue
        path = f"{prefix}{name}"
        if "_value" in child:
            value = child["_value"]
            if isinstance(value, str | int | bool):
                yield path, value
            elif isinstance(value, float):
                yield path, str(value)
            continue
        yield from flatten(child, path + ".")


def parse_time(value: Any) -> dt.datetime | None:
    """A GenieACS date ("2026-12-04T12:00:00.000Z")."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def state_from_document(document: Mapping[str, Any], now: dt.datetime) -> DeviceState:
    parameters = dict(flatten(document))
    root = tr069.data_model(parameters)
    interval = parameters.get(tr069.PERIODIC_INFORM_INTERVAL.format(root=root))
    seconds = interval if isinstance(interval, int) and interval > 0 else None
    window = dt.timedelta(
        seconds=(seconds or DEFAULT_INFORM_INTERVAL_SECONDS) + ONLINE_GRACE_SECONDS
    )
    last_inform = parse_time(document.get("_lastInform"))
    online = last_inform is not None and now - last_inform <= window
    return tr069.state_from_parameters(
        device_id=str(document["_id"]),
        parameters=parameters,
        online=online,
        last_contact=last_inform,
        booted_at=parse_time(document.get("_lastBoot")),
        at=now,
    )


def fault_text(fault: Mapping[str, Any]) -> str:
    """ "<code> <message>", the CWMP code without GenieACS's "cwmp." before it."""
    code = str(fault.get("code", "")).removeprefix("cwmp.")
    return f"{code} {fault.get('message', '')}".strip()


class GenieAcsDeviceManager(NamedTasks):
    """The ``DeviceManager`` over a GenieACS NBI (settings ``GENIEACS_*`` by default)."""

    def __init__(
        self,
        *,
        base_url: str | None = None,
        username: str | None = None,
        password: str | None = None,
        timeout_seconds: float | None = None,
    ) -> None:
        self.base_url = (base_url or settings.GENIEACS_NBI_URL).rstrip("/")
        self._username = settings.GENIEACS_USERNAME if username is None else username
        self._password = settings.GENIEACS_PASSWORD if password is None else password
        self.timeout_seconds = timeout_seconds or settings.GENIEACS_TIMEOUT_SECONDS

    def __repr__(self) -> str:
        return f"GenieAcsDeviceManager({self._server})"

    @property
    def _server(self) -> str:
        """The server as it may be shown: no credentials, even in the URL."""
        parts = urllib.parse.urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.hostname}{f':{parts.port}' if parts.port else ''}"

    def _request(
        self, method: str, path: str, query: str = "", body: Any = None
    ) -> tuple[int, Any]:
        """(status, JSON body) for 2xx and 404; DeviceManagerUnavailableError otherwise."""
        url = f"{self.base_url}{path}{'?' + query if query else ''}"
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if self._username:
            pair = f"{self._username}:{self._password}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
        request = urllib.request.Request(url, data=data, method=method, headers=headers)  # noqa: S310 - the operator's setting
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_seconds) as response:  # noqa: S310
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return 404, None
            logger.warning(
                "GenieACS at %s answered %s to %s %s", self._server, exc.code, method, path
            )
            if exc.code in (401, 403):
                raise DeviceManagerUnavailableError(
                    f"GenieACS at {self._server} refused Dropline's credentials ({exc.code})"
                ) from None
            raise DeviceManagerUnavailableError(
                f"GenieACS at {self._server} answered {exc.code}"
            ) from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            logger.warning("GenieACS at %s did not answer: %s", self._server, type(reason).__name__)
            raise DeviceManagerUnavailableError(
                f"GenieACS at {self._server} did not answer ({type(reason).__name__})"
            ) from None
        try:
            return status, json.loads(raw) if raw else None
        except ValueError:
            raise DeviceManagerUnavailableError(
                f"GenieACS at {self._server} answered with something that is not JSON"
            ) from None

    def _find(self, collection: str, query: Mapping[str, Any], projection: str = "") -> list[Any]:
        params = {"query": json.dumps(query, separators=(",", ":"))}
        if projection:
            params["projection"] = projection
        status, found = self._request("GET", f"/{collection}/", urllib.parse.urlencode(params))
        if status == 404 or not isinstance(found, list):
            raise DeviceManagerUnavailableError(
                f"GenieACS at {self._server} has no {collection} collection"
            )
        return found

    def devices(self, device_ids: Sequence[str]) -> dict[str, DeviceState]:
        wanted = list(dict.fromkeys(device_ids))
        found: dict[str, DeviceState] = {}
        now = clock.now()
        for start in range(0, len(wanted), IDS_PER_REQUEST):
            chunk = wanted[start : start + IDS_PER_REQUEST]
            query: dict[str, Any] = {"_id": {"$in": chunk}} if len(chunk) > 1 else {"_id": chunk[0]}
            for document in self._find("devices", query, ",".join(PROJECTION)):
                if isinstance(document, Mapping) and document.get("_id") in chunk:
                    state = state_from_document(document, now)
                    found[state.device_id] = state
        return found

    def device(self, device_id: str) -> DeviceState:
        found = self.devices([device_id])
        if device_id not in found:
            raise DeviceNotFoundError(device_id)
        return found[device_id]

    def _task(self, device_id: str, task: dict[str, Any]) -> TaskResult:
        path = f"/devices/{urllib.parse.quote(device_id, safe='')}/tasks"
        status, body = self._request(
            "POST", path, f"timeout={TASK_TIMEOUT_MS}&connection_request", task
        )
        if status == 404:
            raise DeviceNotFoundError(device_id)
        if not isinstance(body, Mapping) or not body.get("_id"):
            raise DeviceManagerUnavailableError(
                f"GenieACS at {self._server} answered a task without its id"
            )
        outcome = TaskOutcome.DONE if status == 200 else TaskOutcome.QUEUED
        return TaskResult(task_id=str(body["_id"]), outcome=outcome)

    def task_status(self, device_id: str, task_id: str) -> TaskStatus:
        faults = self._find("faults", {"_id": f"{device_id}:task_{task_id}"})
        if faults and isinstance(faults[0], Mapping):
            return TaskStatus(state=TaskState.FAULT, fault=fault_text(faults[0]))
        if self._find("tasks", {"_id": task_id, "device": device_id}, "_id"):
            return TaskStatus(state=TaskState.PENDING)
        if not self._find("devices", {"_id": device_id}, "_id"):
            raise DeviceNotFoundError(device_id)
        return TaskStatus(state=TaskState.DONE)
