"""What the outage writes refuse, in words staff and customers can act on."""

from __future__ import annotations


class OutageError(ValueError):
    """A declaration, update, resolution or watch that cannot be done as asked.

    ``field`` names the input at fault when there is one, for a form or an API answer."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field
