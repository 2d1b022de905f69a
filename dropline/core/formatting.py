"""Dates, days of the month and time zones shown the way people read them, one way per
language. Every page formats through these (in templates: ``{% load dropline_format %}``)."""

from __future__ import annotations

import datetime as dt

from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# US time zones by the name people use; anything else is shown by its IANA name.
US_TIME_ZONES: list[tuple[str, Promise]] = [
    ("America/New_York", _("Eastern time")),
    ("America/Chicago", _("Central time")),
    ("America/Denver", _("Mountain time")),
    ("America/Phoenix", _("Arizona")),
    ("America/Los_Angeles", _("Pacific time")),
    ("America/Anchorage", _("Alaska")),
    ("Pacific/Honolulu", _("Hawaii")),
    ("America/Puerto_Rico", _("Puerto Rico")),
]
_ZONE_NAMES = dict(US_TIME_ZONES)


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def display_date(value: dt.date | dt.datetime | None) -> str:
    """``Dec 3, 2026`` in English, ``3 de diciembre de 2026`` in Spanish; a date-time is
    taken in the current time zone first."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = _local(value)
    return formats.date_format(value, "DATE_FORMAT")


def display_datetime(value: dt.datetime | None) -> str:
    """``Dec 3, 2026, 4:15 p.m.`` in English, ``3 de diciembre de 2026 a las 16:15`` in
    Spanish, in the current time zone."""
    if value is None:
        return ""
    return formats.date_format(_local(value), "DATETIME_FORMAT")


def days_between(end: dt.datetime, start: dt.datetime) -> int:
    """Whole days from ``start`` to ``end``, rounded: a period people say as "30 days"."""
    return round((end - start).total_seconds() / 86400)


def day_of_month(day: int) -> str:
    """``12th`` in English; the bare number in languages that say "el día 12"."""
    if not (get_language() or "en").startswith("en"):
        return str(day)
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def time_zone_name(zone: str) -> str:
    """``Central time`` for America/Chicago; the IANA name for zones without a plain one."""
    name = _ZONE_NAMES.get(zone)
    return str(name) if name is not None else zone
