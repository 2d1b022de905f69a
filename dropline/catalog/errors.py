"""The catalogue's errors: what an administrator is told when a change is refused."""

from __future__ import annotations


class CatalogError(Exception):
    """A catalogue change that cannot be made; ``field`` names the input at fault."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = str(reason)


class PriceScheduleError(ValueError):
    """A price cannot be scheduled or canceled as asked; ``field`` names the input that is
    wrong (``effective_on``, ``monthly_price_cents``, ``reason``, ``item``,
    ``applies_to_subscribers``, ``schedule``) and ``reason`` says why, in words."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason
