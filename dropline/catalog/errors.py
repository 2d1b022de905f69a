"""The catalogue's exceptions."""

from __future__ import annotations


class PriceScheduleError(ValueError):
    """A price cannot be scheduled or canceled as asked; ``field`` names the input that is
    wrong (``effective_on``, ``monthly_price_cents``, ``reason``, ``item``,
    ``applies_to_subscribers``, ``schedule``) and ``reason`` says why, in words."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason
