"""What Dropline asks of a payment gateway, whichever it is.

Card and bank details never reach Dropline: the browser hands them to the gateway (its
own element, or the simulator's page) and Dropline receives a token, which it attaches
to the account's customer at the gateway and stores with the brand, last four digits,
expiry and holder's name. Every charge and refund carries an idempotency key, so asking
again after a timeout gives the first answer rather than a second charge. Late outcomes
(a bank debit that clears or returns days later, a settlement, a chargeback) arrive as
signed webhook events that ``verify_webhook`` checks and turns into ``WebhookEvent``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol


class MethodKind(StrEnum):
    CARD = "card"
    BANK_ACCOUNT = "bank_account"


@dataclass(frozen=True, slots=True)
class MethodDetails:
    """A saved method as the gateway describes it: never a full number."""

    token: str  # the gateway's id for the saved method (pm_..., simpm_...)
    kind: MethodKind
    brand: str  # visa, mastercard, amex, discover; a bank account's bank name
    last4: str
    holder_name: str
    exp_month: int | None = None  # cards only
    exp_year: int | None = None


@dataclass(frozen=True, slots=True)
class SetupStart:
    """What the browser needs to collect a method at the gateway: Stripe's SetupIntent
    client secret and publishable key, or the simulator's one-time form key."""

    client_secret: str
    publishable_key: str = ""


class ChargeStatus(StrEnum):
    SUCCEEDED = "succeeded"  # the money is taken (cards)
    PROCESSING = "processing"  # accepted; the outcome comes later by webhook (bank accounts)
    FAILED = "failed"  # declined, expired, insufficient funds...


@dataclass(frozen=True, slots=True)
class ChargeResult:
    reference: str  # the gateway's id for the charge (pi_..., simch_...)
    status: ChargeStatus
    failure_code: str = ""  # card_declined, expired_card, insufficient_funds, processing_error
    failure_message: str = ""  # the gateway's words, for staff; customers get Dropline's
    retryable: bool = False  # a later attempt may succeed (a processing error)


class RefundStatus(StrEnum):
    SUCCEEDED = "succeeded"
    PENDING = "pending"  # the outcome comes later by webhook
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class RefundResult:
    reference: str
    status: RefundStatus
    failure_code: str = ""


class EventKind(StrEnum):
    PAYMENT_SUCCEEDED = "payment.succeeded"  # a processing charge succeeded
    PAYMENT_FAILED = "payment.failed"  # a processing charge failed
    PAYMENT_SETTLED = "payment.settled"  # the money reached the provider's bank
    PAYMENT_RETURNED = "payment.returned"  # a bank debit returned after it succeeded
    CHARGEBACK = "payment.chargeback"  # the card holder's bank took the money back
    REFUND_SUCCEEDED = "refund.succeeded"
    REFUND_FAILED = "refund.failed"
    OTHER = "other"  # recorded in the event log, acted on by nothing


@dataclass(frozen=True, slots=True)
class WebhookEvent:
    """A verified webhook. Processing the same ``id`` twice changes nothing, and an event
    older (by ``occurred_at``) than the state a payment is in never moves it back."""

    id: str
    kind: EventKind
    occurred_at: dt.datetime
    payment_reference: str = ""
    refund_reference: str = ""
    amount_cents: int | None = None
    failure_code: str = ""
    failure_message: str = ""
    payload: Mapping[str, Any] = field(default_factory=dict)


class Gateway(Protocol):
    name: str  # "simulator" or "stripe": stored on every method and payment

    def ensure_customer(self, *, account_number: str, name: str, email: str) -> str:
        """The gateway's customer for the account, created on first use (its reference)."""
        ...

    def start_setup(self, *, customer: str) -> SetupStart:
        """Begin collecting a new method in the browser."""
        ...

    def attach_method(self, *, customer: str, token: str) -> MethodDetails:
        """Attach the method the browser collected (its token) to the customer."""
        ...

    def detach_method(self, *, token: str) -> None: ...

    def charge(
        self,
        *,
        customer: str,
        method_token: str,
        amount_cents: int,
        currency: str,
        idempotency_key: str,
        description: str,
        metadata: Mapping[str, str],
    ) -> ChargeResult:
        """Charge a saved method. Raises ``GatewayUnavailableError`` when the answer is
        unknown; the same call with the same key later gives the first outcome."""
        ...

    def refund(
        self, *, reference: str, amount_cents: int, idempotency_key: str, reason: str
    ) -> RefundResult: ...

    def verify_webhook(self, *, body: bytes, headers: Mapping[str, str]) -> WebhookEvent:
        """The event in ``body`` if its signature verifies; ``InvalidWebhookError`` if not."""
        ...
