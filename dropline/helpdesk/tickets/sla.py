"""When the provider owes an answer: the category's service level (``ServiceLevel``), or a
default in code for a category without one."""

from __future__ import annotations

import datetime as dt

from dropline.helpdesk.models import ServiceLevel, TicketCategory

# Hours to answer when staff have not set a service level for the category.
DEFAULT_RESPONSE_HOURS: dict[str, int] = {
    TicketCategory.INTERNET: 8,
    TicketCategory.TV: 12,
    TicketCategory.MOBILE: 12,
    TicketCategory.BILLING: 24,
    TicketCategory.EQUIPMENT: 24,
    TicketCategory.OTHER: 48,
}
FALLBACK_RESPONSE_HOURS = 48


def response_hours(category: str) -> int:
    """How many hours the provider has to answer a ticket of ``category``."""
    hours = (
        ServiceLevel.objects.filter(category=category)
        .values_list("response_hours", flat=True)
        .first()
    )
    if hours:
        return int(hours)
    return DEFAULT_RESPONSE_HOURS.get(category, FALLBACK_RESPONSE_HOURS)


def due_after(moment: dt.datetime, *, category: str) -> dt.datetime:
    """The answer's due time for a customer message written at ``moment``."""
    return moment + dt.timedelta(hours=response_hours(category))


def next_due(
    *, waiting_since_due: dt.datetime | None, moment: dt.datetime, hours: int
) -> dt.datetime:
    """The due time after a customer message at ``moment``: ``hours`` later, unless the
    ticket already waited for the provider with an earlier due time
    (``waiting_since_due``), which stands."""
    due = moment + dt.timedelta(hours=hours)
    if waiting_since_due is not None and waiting_since_due < due:
        return waiting_since_due
    return due
