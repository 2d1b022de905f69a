"""What FreeRADIUS 3's ``rest`` module posts for accounting, read into a ``Reading``.

Two bodies, as ``rlm_rest`` writes them (``src/modules/rlm_rest/rest.c``):

- ``body = 'json'``: one object, each attribute ``{"type": ..., "value": [...]}`` (with
  ``"attr_num"`` too when ``attr_num = yes``). Integers are JSON numbers, except
  enumerated ones (``Acct-Status-Type``), which come by name (``"Interim-Update"``)
  unless ``raw_value = yes``; everything else, dates included, is a string.
- ``body = 'post'``: ``Attr=value&Attr=value``, URL-encoded, every value as FreeRADIUS
  prints it (enumerations by name).

``Event-Timestamp`` is printed with ``strftime("%b %e %Y %H:%M:%S %Z")`` in the server's
local time ("Dec  4 2026 14:00:00 UTC"); an integer (seconds since 1970) is accepted
too. A zone name other than UTC/GMT is understood when it is the provider's own zone's
(``TIME_ZONE``) name at that moment; otherwise, and when a NAS clock was never set
(before 2000), the packet's arrival time stands in: the rest module posts as the packet
arrives, so that is seconds away from the event.

Start, Interim-Update and Stop become readings; Accounting-On/Off and the other types
are accepted and count nothing (``None``). Anything malformed raises ``ReadingError``
naming the attribute and the reason.
"""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from collections.abc import Mapping
from functools import cache
from typing import Any
from urllib.parse import parse_qs

from django.conf import settings

from dropline.usage.errors import ReadingError
from dropline.usage.models import SessionStatus
from dropline.usage.readings import Reading, fold

STATUS_TYPE = "Acct-Status-Type"
UNIQUE_ID = "Acct-Unique-Session-Id"
SESSION_ID = "Acct-Session-Id"
USER_NAME = "User-Name"
EVENT_TIMESTAMP = "Event-Timestamp"
SESSION_TIME = "Acct-Session-Time"
NAS_ATTRIBUTES = ("NAS-IP-Address", "NAS-IPv6-Address", "NAS-Identifier")

# RFC 2866's values of Acct-Status-Type, by name and by number (``raw_value = yes``).
COUNTED: dict[str, SessionStatus] = {
    "start": SessionStatus.START,
    "1": SessionStatus.START,
    "stop": SessionStatus.STOP,
    "2": SessionStatus.STOP,
    "interim-update": SessionStatus.INTERIM,
    "alive": SessionStatus.INTERIM,
    "3": SessionStatus.INTERIM,
}
NOT_COUNTED = frozenset(
    {"accounting-on", "7", "accounting-off", "8", "failed", "15"}
    | {"tunnel-start", "9", "tunnel-stop", "10", "tunnel-reject", "11"}
    | {"tunnel-link-start", "12", "tunnel-link-stop", "13", "tunnel-link-reject", "14"}
)

MAX_KEY = 255
MAX_USERNAME = 253
MAX_NAS = 64
UINT32 = 2**32
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # before: a NAS clock never set
MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}
UTC_NAMES = frozenset({"UTC", "GMT", "UT", "Z"})

Attributes = Mapping[str, list[Any]]


# --- the two bodies ---------------------------------------------------------------------


def parse_json(body: bytes, *, received_at: dt.datetime) -> Reading | None:
    """A ``body = 'json'`` post as a reading (None: a type that counts nothing)."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise ReadingError("The body is not JSON.", field="body") from None
    if not isinstance(data, dict):
        raise ReadingError("The body is not a JSON object of attributes.", field="body")
    attributes: dict[str, list[Any]] = {}
    for name, item in data.items():
        value = item.get("value") if isinstance(item, dict) else item
        attributes[name] = value if isinstance(value, list) else [value]
    return reading_from(attributes, received_at=received_at)


def parse_form(body: bytes, *, received_at: dt.datetime) -> Reading | None:
    """A ``body = 'post'`` post (``Attr=value&...``) as a reading."""
    try:
        text = body.decode()
    except UnicodeDecodeError:
        raise ReadingError("The body is not UTF-8 text.", field="body") from None
    try:
        attributes = parse_qs(text, keep_blank_values=True, max_num_fields=500)
    except ValueError:
        raise ReadingError("The body has too many attributes.", field="body") from None
    if not attributes:
        raise ReadingError("The body has no attributes.", field="body")
    return reading_from(attributes, received_at=received_at)


def parse(body: bytes, *, content_type: str, received_at: dt.datetime) -> Reading | None:
    """Either body, by its ``Content-Type`` (or, without one, by its first character)."""
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind == "application/json" or (not kind and body.lstrip()[:1] == b"{"):
        return parse_json(body, received_at=received_at)
    return parse_form(body, received_at=received_at)


# --- attributes to a reading ------------------------------------------------------------


def reading_from(attributes: Attributes, *, received_at: dt.datetime) -> Reading | None:
    status_name = _text(attributes, STATUS_TYPE)
    if not status_name:
        raise ReadingError(f"{STATUS_TYPE} is missing.", field=STATUS_TYPE)
    status = COUNTED.get(status_name.lower())
    if status is None:
        if status_name.lower() in NOT_COUNTED:
            return None
        raise ReadingError(
            f"{STATUS_TYPE} {status_name[:40]!r} is not a known status type.", field=STATUS_TYPE
        )
    username = _text(attributes, USER_NAME)
    if not username:
        raise ReadingError(f"{USER_NAME} is missing.", field=USER_NAME)
    if len(username) > MAX_USERNAME:
        raise ReadingError(
            f"{USER_NAME} is longer than {MAX_USERNAME} characters.", field=USER_NAME
        )
    nas = next((v for a in NAS_ATTRIBUTES if (v := _text(attributes, a))), "")
    return Reading(
        session_key=_session_key(attributes, nas),
        username=username,
        status=status,
        input_octets=fold(
            _counter(attributes, "Acct-Input-Octets"), _counter(attributes, "Acct-Input-Gigawords")
        ),
        output_octets=fold(
            _counter(attributes, "Acct-Output-Octets"),
            _counter(attributes, "Acct-Output-Gigawords"),
        ),
        session_time=_counter(attributes, SESSION_TIME),
        occurred_at=_occurred_at(attributes, received_at),
        nas=nas[:MAX_NAS],
    )


def _first(attributes: Attributes, name: str) -> Any:
    values = attributes.get(name)
    return values[0] if values else None


def _text(attributes: Attributes, name: str) -> str:
    value = _first(attributes, name)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ReadingError(f"{name} is not text.", field=name)
    return str(value).strip()


def _session_key(attributes: Attributes, nas: str) -> str:
    key = _text(attributes, UNIQUE_ID)
    if not key:
        session_id = _text(attributes, SESSION_ID)
        if not session_id:
            raise ReadingError(f"{UNIQUE_ID} and {SESSION_ID} are both missing.", field=SESSION_ID)
        if not nas:
            raise ReadingError(
                f"Without {UNIQUE_ID}, NAS-IP-Address or NAS-Identifier is needed.",
                field="NAS-IP-Address",
            )
        key = f"{nas}/{session_id}"
    if len(key) > MAX_KEY:
        field = UNIQUE_ID if _text(attributes, UNIQUE_ID) else SESSION_ID
        raise ReadingError(f"{field} is longer than {MAX_KEY} characters.", field=field)
    return key


def _counter(attributes: Attributes, name: str) -> int:
    """A RADIUS integer (32 bits, unsigned); 0 when absent."""
    value = _first(attributes, name)
    if value is None or value == "":
        return 0
    if isinstance(value, bool):
        raise ReadingError(f"{name} is not a whole number.", field=name)
    if isinstance(value, str):
        text = value.strip()
        if not text.isascii() or not text.lstrip("-").isdigit():
            raise ReadingError(f"{name} is not a whole number.", field=name)
        value = int(text)
    if not isinstance(value, int):
        raise ReadingError(f"{name} is not a whole number.", field=name)
    if value < 0:
        raise ReadingError(f"{name} is negative.", field=name)
    if value >= UINT32:
        raise ReadingError(f"{name} is larger than a 32-bit counter.", field=name)
    return value


# --- Event-Timestamp --------------------------------------------------------------------


def _occurred_at(attributes: Attributes, received_at: dt.datetime) -> dt.datetime:
    value = _first(attributes, EVENT_TIMESTAMP)
    if value is None or value == "":
        return received_at
    moment = parse_event_timestamp(value)
    if moment is None or moment < EARLIEST:
        return received_at
    if moment > received_at + dt.timedelta(days=1):
        raise ReadingError(f"{EVENT_TIMESTAMP} is more than a day ahead.", field=EVENT_TIMESTAMP)
    return moment


def parse_event_timestamp(value: Any) -> dt.datetime | None:
    """An Event-Timestamp as FreeRADIUS prints it, or seconds since 1970; None when its
    zone cannot be known. Raises ``ReadingError`` for something that is not a date."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ReadingError(f"{EVENT_TIMESTAMP} is not a date.", field=EVENT_TIMESTAMP)
    if isinstance(value, str) and value.strip().isdigit() and value.isascii():
        value = int(value)
    if isinstance(value, int):
        if not 0 <= value < UINT32:
            raise ReadingError(f"{EVENT_TIMESTAMP} is out of range.", field=EVENT_TIMESTAMP)
        return dt.datetime.fromtimestamp(value, tz=dt.UTC)
    parts = value.split()
    try:
        month = MONTHS[parts[0][:3].lower()]
        day, year = int(parts[1]), int(parts[2])
        hour, minute, second = (int(p) for p in parts[3].split(":"))
        local = dt.datetime(year, month, day, hour, minute, second)  # noqa: DTZ001
    except (IndexError, KeyError, ValueError):
        raise ReadingError(
            f"{EVENT_TIMESTAMP} {value[:40]!r} is not a date.", field=EVENT_TIMESTAMP
        ) from None
    zone = parts[4] if len(parts) > 4 else "UTC"
    return _in_zone(local, zone)


def _in_zone(local: dt.datetime, zone: str) -> dt.datetime | None:
    if zone.upper() in UTC_NAMES:
        return local.replace(tzinfo=dt.UTC)
    if zone[:1] in "+-" and zone[1:].isdigit() and len(zone) == 5:
        sign = 1 if zone[0] == "+" else -1
        offset = dt.timedelta(hours=int(zone[1:3]), minutes=int(zone[3:5])) * sign
        return local.replace(tzinfo=dt.timezone(offset))
    provider = _provider_zone()
    for fold_ in (0, 1):
        candidate = local.replace(tzinfo=provider, fold=fold_)
        if candidate.tzname() == zone:
            return candidate.astimezone(dt.UTC)
    return None


@cache
def _provider_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)
