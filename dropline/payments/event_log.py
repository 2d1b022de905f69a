"""Reading the gateway event log for staff: every verified webhook as received, newest
first, with what Dropline did with it (``GatewayEvent.outcome``)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dropline.payments.gateways import GATEWAYS
from dropline.payments.gateways.base import EventKind
from dropline.payments.models import GatewayEvent

APPLIED = "applied"  # the outcome ``payments.events`` records for an event that changed state

KIND_LABELS: dict[str, Promise] = {
    EventKind.PAYMENT_SUCCEEDED: _("Payment succeeded"),
    EventKind.PAYMENT_FAILED: _("Payment failed"),
    EventKind.PAYMENT_SETTLED: _("Payment settled"),
    EventKind.PAYMENT_RETURNED: _("Payment returned"),
    EventKind.CHARGEBACK: _("Chargeback"),
    EventKind.REFUND_SUCCEEDED: _("Refund succeeded"),
    EventKind.REFUND_FAILED: _("Refund failed"),
    EventKind.OTHER: _("Other (not acted on)"),
}
GATEWAY_LABELS: dict[str, Promise] = {"simulator": _("Simulator"), "stripe": _("Stripe")}


class Outcome:
    APPLIED = "applied"
    NOT_APPLIED = "not_applied"


OUTCOME_CHOICES: list[tuple[str, Promise]] = [
    (Outcome.APPLIED, _("Applied")),
    (Outcome.NOT_APPLIED, _("Not applied")),
]


def gateway_choices() -> list[tuple[str, Promise | str]]:
    return [(name, GATEWAY_LABELS.get(name, name)) for name in GATEWAYS]


def kind_choices() -> list[tuple[str, Promise]]:
    return [(kind.value, KIND_LABELS[kind.value]) for kind in EventKind]


def kind_label(kind: str) -> Promise | str:
    return KIND_LABELS.get(kind, kind)


@dataclass(frozen=True)
class EventFilters:
    """Every filter optional, all combined."""

    gateway: str = ""
    kind: str = ""
    confirmation_number: str = ""
    outcome: str = ""
    event_id: str = ""

    def is_empty(self) -> bool:
        return not any(
            (self.gateway, self.kind, self.confirmation_number, self.outcome, self.event_id)
        )


def search(*, filters: EventFilters) -> QuerySet[GatewayEvent]:
    """The events matching ``filters``, newest first (as received)."""
    found = GatewayEvent.objects.select_related("payment__account", "refund").order_by(
        "-received_at", "-id"
    )
    if filters.gateway:
        found = found.filter(gateway=filters.gateway)
    if filters.kind:
        found = found.filter(kind=filters.kind)
    if filters.confirmation_number:
        found = found.filter(payment__confirmation_number=filters.confirmation_number)
    if filters.outcome == Outcome.APPLIED:
        found = found.filter(outcome=APPLIED)
    elif filters.outcome == Outcome.NOT_APPLIED:
        found = found.exclude(outcome=APPLIED)
    if filters.event_id:
        found = found.filter(event_id=filters.event_id)
    return found


def event(*, event_pk: int) -> GatewayEvent | None:
    return (
        GatewayEvent.objects.select_related("payment__account", "payment__method", "refund")
        .filter(pk=event_pk)
        .first()
    )


def pretty_payload(found: GatewayEvent) -> str:
    """The payload as received, indented, keys in order (never a secret: webhooks carry
    none, and card numbers never reach a gateway event)."""
    return json.dumps(found.payload, indent=2, sort_keys=True, ensure_ascii=False)
