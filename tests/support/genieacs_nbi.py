"""A GenieACS NBI on 127.0.0.1 for tests: the REST API the GenieACS client talks to,
answering as GenieACS does (status codes, reasons, JSON shapes, ``query`` and
``projection``), with the devices behind it played by the simulator's ``SimulatedDevice``
rows. A device that is unplugged gets its task queued (202), one made faulty leaves a
fault in ``/faults/``, a restart takes a minute of ``clock`` time.

The server answers from its own threads, each with its own database connection: tests
that use it need ``transactional_db``.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import json
import time
import urllib.parse
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from django.db import connections

from dropline.core import clock
from dropline.network.devices import simulator, tr069
from dropline.network.devices.base import TaskOutcome
from dropline.network.models import SimulatedDevice
from tests.support.http_stub import serving

TASKS = ("reboot", "factoryReset", "setParameterValues", "getParameterValues", "refreshObject")


@dataclass(frozen=True)
class Seen:
    method: str
    path: str  # as sent, still percent-encoded
    params: dict[str, list[str]]
    headers: dict[str, str]
    body: Any


@dataclass
class Nbi:
    url: str = ""
    username: str = ""
    password: str = ""
    seen: list[Seen] = field(default_factory=list)
    # Answer every request with this status (e.g. 500), or hang this many seconds.
    fail_with: int = 0
    delay_seconds: float = 0


def when(value: dt.datetime | None) -> str | None:
    """A date as GenieACS writes it: "2026-12-04T12:00:00.000Z"."""
    if value is None:
        return None
    return value.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _projected(path: str, projection: list[str]) -> bool:
    return not projection or any(path == p or path.startswith(p + ".") for p in projection)


def device_document(row: SimulatedDevice, projection: list[str]) -> dict[str, Any]:
    """The device as ``GET /devices/`` shows it."""
    now = clock.now()
    stamp = when(row.last_inform_at or row.booted_at)
    document: dict[str, Any] = {"_id": row.device_id}
    attributes: dict[str, Any] = {
        "_deviceId": {
            "_OUI": row.oui,
            "_ProductClass": row.product_class,
            "_SerialNumber": row.serial_number,
        },
        "_registered": when(row.booted_at),
        "_lastInform": when(row.last_inform_at),
        "_lastBoot": when(row.booted_at),
    }
    for name, attribute in attributes.items():
        if attribute is not None and _projected(name, projection):
            document[name] = attribute
    for path, value in simulator.parameters_now(row, now).items():
        if not _projected(path, projection):
            continue
        *parents, leaf = path.split(".")
        node = document
        for part in parents:
            node = node.setdefault(part, {"_object": True, "_writable": False, "_timestamp": stamp})
        node[leaf] = {
            "_value": value,
            "_type": tr069.xsd_type(value),
            "_timestamp": stamp,
            "_writable": True,
        }
    return document


def fault_document(device_id: str, fault: Mapping[str, Any]) -> dict[str, Any]:
    channel = f"task_{fault['task']}"
    return {
        "_id": f"{device_id}:{channel}",
        "device": device_id,
        "channel": channel,
        "code": f"cwmp.{fault['code']}",
        "message": fault["message"],
        "detail": {"faultCode": fault["code"], "faultString": fault["message"]},
        "timestamp": fault["timestamp"],
        "retries": fault["retries"],
    }


class QueryError(ValueError):
    pass


def matches(document: Mapping[str, Any], query: Mapping[str, Any]) -> bool:
    """MongoDB's equality and ``$in``, the operators the client uses."""
    for key, condition in query.items():
        value = document.get(key)
        if isinstance(condition, dict):
            if set(condition) != {"$in"} or not isinstance(condition["$in"], list):
                raise QueryError(f"operator not supported here: {sorted(condition)}")
            if value not in condition["$in"]:
                return False
        elif value != condition:
            return False
    return True


def _ids_in(query: Mapping[str, Any]) -> list[str] | None:
    wanted = query.get("_id")
    if isinstance(wanted, str):
        return [wanted]
    if isinstance(wanted, dict) and isinstance(wanted.get("$in"), list):
        return [str(i) for i in wanted["$in"]]
    return None


def _all_rows() -> list[SimulatedDevice]:
    return simulator.look_up(list(SimulatedDevice.objects.values_list("device_id", flat=True)))


def search(collection: str, query: Mapping[str, Any], projection: list[str]) -> list[Any]:
    if collection == "devices":
        ids = _ids_in(query)
        rows = simulator.look_up(ids) if ids is not None else _all_rows()
        documents = [device_document(row, projection) for row in rows]
    elif collection == "tasks":
        documents = [task for row in _all_rows() for task in row.pending_tasks]
    else:
        documents = [fault_document(row.device_id, f) for row in _all_rows() for f in row.faults]
    return [d for d in documents if matches(d, query)]


def _handler(nbi: Nbi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _answer(self, status: int, body: Any, reason: str | None = None) -> None:
            data = json.dumps(body).encode() if not isinstance(body, str) else body.encode()
            # A client that gave up (its timeout) is not there to read the answer.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self._send(status, body, data, reason)

        def _send(self, status: int, body: Any, data: bytes, reason: str | None) -> None:
            self.send_response(status, reason)
            self.send_header(
                "Content-Type", "application/json" if not isinstance(body, str) else "text/plain"
            )
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _handle(self, method: str) -> None:
            raw_path, _, raw_query = self.path.partition("?")
            params = urllib.parse.parse_qs(raw_query, keep_blank_values=True)
            length = int(self.headers.get("Content-Length") or 0)
            text = self.rfile.read(length).decode() if length else ""
            try:
                body = json.loads(text) if text else None
            except ValueError:
                body = text
            nbi.seen.append(Seen(method, raw_path, params, dict(self.headers.items()), body))
            if nbi.delay_seconds:
                # A server that hangs: the client's timeout ends the wait, not the answer.
                time.sleep(nbi.delay_seconds)
                self._answer(504, "Gateway Timeout")
                return
            if nbi.fail_with:
                self._answer(nbi.fail_with, "Internal Server Error")
                return
            if nbi.username:
                pair = f"{nbi.username}:{nbi.password}".encode()
                if self.headers.get("Authorization") != "Basic " + base64.b64encode(pair).decode():
                    self._answer(401, "Unauthorized")
                    return
            try:
                self._route(method, raw_path, params, body)
            finally:
                connections.close_all()

        def _route(self, method: str, path: str, params: dict[str, list[str]], body: Any) -> None:
            parts = [p for p in path.split("/") if p]
            if method == "GET" and len(parts) == 1 and parts[0] in ("devices", "tasks", "faults"):
                try:
                    query = json.loads(params.get("query", ["{}"])[0])
                    projection = [p for p in params.get("projection", [""])[0].split(",") if p]
                    if not isinstance(query, dict):
                        raise QueryError("the query is not an object")
                    self._answer(200, search(parts[0], query, projection))
                except (ValueError, QueryError) as exc:
                    self._answer(400, str(exc))
                return
            if (
                method == "POST"
                and len(parts) == 3
                and parts[0] == "devices"
                and parts[2] == "tasks"
            ):
                self._post_task(urllib.parse.unquote(parts[1]), params, body)
                return
            self._answer(404, "Not found")

        def _post_task(self, device_id: str, params: dict[str, list[str]], body: Any) -> None:
            if not isinstance(body, dict) or body.get("name") not in TASKS:
                self._answer(400, "Invalid task")
                return
            if not SimulatedDevice.objects.filter(device_id=device_id).exists():
                self._answer(404, "No such device")
                return
            asked = "connection_request" in params
            task, outcome = simulator.post_task(
                device_id=device_id, task=body, connection_request=asked
            )
            if outcome == TaskOutcome.DONE:
                self._answer(200, task)
                return
            row = SimulatedDevice.objects.get(device_id=device_id)
            if any(f["task"] == task["_id"] for f in row.faults):
                reason = "Task faulted"
            elif asked and not simulator.reachable(row, clock.now()):
                reason = "Connection request error: device is offline"
            else:
                reason = "Task queued but not processed"
            self._answer(202, task, reason)

        def do_GET(self) -> None:
            self._handle("GET")

        def do_POST(self) -> None:
            self._handle("POST")

    return Handler


@contextmanager
def genieacs_nbi(*, username: str = "", password: str = "") -> Iterator[Nbi]:
    """Serve an NBI for the block; ``Nbi.url`` is its base URL, ``Nbi.seen`` every
    request it got."""
    nbi = Nbi(username=username, password=password)
    with serving(_handler(nbi)) as url:
        nbi.url = url
        yield nbi
