"""Gateways' webhooks: ``POST /webhooks/{gateway}`` with the raw body and the gateway's
signature header. No sign-in: the signature is the authentication. A body that does not
verify answers 400 and nothing is recorded; an event received before (a replay)
answers 200 and changes nothing."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from dropline.api.schemas import ErrorOut
from dropline.payments.errors import InvalidWebhookError
from dropline.payments.events import receive_webhook

router = Router(tags=["webhooks"])


class WebhookReceivedOut(Schema):
    id: str
    outcome: str


@router.post(
    "/webhooks/{gateway}",
    auth=None,
    response={200: WebhookReceivedOut, 400: ErrorOut},
    summary="A gateway's signed event",
)
def webhook(request: HttpRequest, gateway: str) -> WebhookReceivedOut:
    """Verify, record once and apply the event (a payment's late outcome, its
    settlement, a refund's outcome)."""
    try:
        event = receive_webhook(
            gateway=gateway, body=request.body, headers=dict(request.headers.items())
        )
    except InvalidWebhookError:
        raise HttpError(400, "The webhook's signature does not verify.") from None
    return WebhookReceivedOut(id=event.event_id, outcome=event.outcome)
