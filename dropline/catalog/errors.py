"""The catalogue's errors: what an administrator is told when a change is refused."""

from __future__ import annotations


class CatalogError(Exception):
    """A catalogue change that cannot be made; ``field`` names the input at fault."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = str(reason)
