"""Billing's errors: what staff or a bill run are told when billing refuses."""

from __future__ import annotations


class BillingError(Exception):
    """Something billing refuses, said in words fit to show staff."""


class InvoiceError(BillingError):
    """An invoice cannot be changed that way (already void, not the latest)."""


class AdjustmentError(BillingError):
    """A charge or credit that cannot be entered; ``field`` names the input at fault."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class TaxRateError(BillingError):
    """A tax or fee rate that cannot be added; ``field`` names the input at fault."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class StatementPeriodError(BillingError):
    """A statement period that cannot be shown; ``field`` (``start`` or ``end``) names
    the date at fault, ``reason`` says why in the customer's language."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason
