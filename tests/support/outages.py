"""Outages for tests: one declared through the real write, with sensible defaults."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dropline.customers.models import ServiceArea
from dropline.network.models import Outage, OutageKind
from dropline.network.outages import declaring


def declare_outage(*, areas: list[ServiceArea], notify: bool = False, **extra: Any) -> Outage:
    """An outage under way since ``starts_at`` (default: now) in ``areas``."""
    from dropline.core import clock

    fields: dict[str, Any] = {
        "kind": OutageKind.OUTAGE,
        "title_en": "Internet outage",
        "title_es": "Corte de internet",
        "cause_en": "",
        "cause_es": "",
        "starts_at": clock.now() - dt.timedelta(minutes=30),
        "eta": None,
        "created_by": None,
        **extra,
    }
    return declaring.declare(areas=areas, notify=notify, **fields)


def plan_maintenance(
    *, areas: list[ServiceArea], starts_at: dt.datetime, hours: int = 4, **extra: Any
) -> Outage:
    """A maintenance window of ``hours`` from ``starts_at`` in ``areas``."""
    fields: dict[str, Any] = {
        "kind": OutageKind.MAINTENANCE,
        "title_en": "Network upgrade",
        "title_es": "Mejora de la red",
        "cause_en": "Replacing equipment in the node.",
        "cause_es": "Cambio de equipos en el nodo.",
        "starts_at": starts_at,
        "eta": starts_at + dt.timedelta(hours=hours),
        "created_by": None,
        "notify": False,
        **extra,
    }
    return declaring.declare(areas=areas, **fields)
