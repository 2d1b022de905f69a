"""Links into the booking page that other portal pages share: a repair visit with its
details filled in (and the troubleshooting run it ends, if any)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from dropline.field.models import VisitReason

# The booking page (the appointments feature's, by path).
BOOKING_PATH = "/appointments/book/"
REPAIR = VisitReason.REPAIR.value


def booking_url(*, details: str, run_id: int | None = None) -> str:
    """The booking page with a repair visit's reason and ``details`` filled in."""
    query: dict[str, Any] = {"reason": REPAIR, "details": details}
    if run_id is not None:
        query["run"] = run_id
    return f"{BOOKING_PATH}?{urlencode(query)}"
