"""Why a payment, a saved method or an enrolment was refused."""

from __future__ import annotations


class PaymentError(Exception):
    """Refused as asked: ``field`` names the input, ``reason`` says why in the customer's
    language, ``code`` is stable for programs (``over_balance``, ``key_reused``,
    ``in_progress``, ``declined``...). Nothing was written."""

    def __init__(self, field: str, reason: str, code: str) -> None:
        super().__init__(f"{field}: {reason} ({code})")
        self.field = field
        self.reason = reason
        self.code = code


class PaymentInProgressError(PaymentError):
    """A request under the same idempotency key is still running (the API answers 409)."""


class GatewayUnavailableError(Exception):
    """The gateway could not be reached or did not answer in time: the outcome is unknown
    and is found out later with the same idempotency key."""


class InvalidWebhookError(Exception):
    """A webhook whose signature, timestamp or body does not verify; nothing is recorded."""
