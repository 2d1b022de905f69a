"""Service levels: how many hours the provider gives itself to answer a ticket of each
category, which sets a ticket's due time. A category without a row of its own uses the
default table (``sla.DEFAULT_RESPONSE_HOURS``, where the hours become due times); staff set
a category's hours (1 to 720, up to 30 days) here, in one transaction with its audit event
(``service_level.changed``). A new level applies to tickets from then on: a ticket already
waiting keeps the due time it was given."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from dropline.accounts.models import User
from dropline.core import audit
from dropline.helpdesk.errors import SupportError
from dropline.helpdesk.models import ServiceLevel, TicketCategory
from dropline.helpdesk.tickets import sla

MIN_HOURS = 1
MAX_HOURS = 720


def _default_hours(category: str) -> int:
    """The hours ``sla`` gives a category without a row of its own."""
    return sla.DEFAULT_RESPONSE_HOURS.get(category, sla.FALLBACK_RESPONSE_HOURS)


@dataclass(frozen=True)
class Level:
    """One category's service level as staff read it."""

    category: str
    label: str
    hours: int
    is_default: bool


def service_levels() -> list[Level]:
    """Every category with its hours, in the categories' order."""
    stored = dict(ServiceLevel.objects.values_list("category", "response_hours"))
    return [
        Level(
            category=str(category),
            label=str(label),
            hours=stored.get(category, _default_hours(category)),
            is_default=category not in stored,
        )
        for category, label in TicketCategory.choices
    ]


def set_response_hours(
    *, category: str, hours: int, by: User, request: HttpRequest | None = None
) -> ServiceLevel:
    """Answer tickets of ``category`` within ``hours`` from now on."""
    if category not in TicketCategory.values:
        raise SupportError(_("Choose a category."), code="invalid", field="category")
    if isinstance(hours, bool) or not isinstance(hours, int) or not MIN_HOURS <= hours <= MAX_HOURS:
        raise SupportError(
            _("Give a number of hours from %(low)d to %(high)d.")
            % {"low": MIN_HOURS, "high": MAX_HOURS},
            code="invalid",
            field="hours",
        )
    with transaction.atomic():
        # get_or_create: two people setting a new category at once make one row.
        level, created = ServiceLevel.objects.get_or_create(
            category=category, defaults={"response_hours": hours}
        )
        before = _default_hours(category)
        if not created:
            level = ServiceLevel.objects.select_for_update().get(pk=level.pk)
            before = level.response_hours
            level.response_hours = hours
            level.save(update_fields=["response_hours"])
        audit.record(
            action="service_level.changed",
            request=request,
            actor=by,
            target=level,
            data={"category": category, "before": before, "after": hours},
        )
    return level
