"""The usage domain's errors: each says what was wrong in words a person can act on."""

from __future__ import annotations


class UsageError(Exception):
    """A usage write refused; ``field`` names the input at fault, when there is one."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class ReadingError(UsageError):
    """An accounting packet or a record that cannot be counted (malformed, a negative
    counter, a missing key)."""


class ImportRefusedError(UsageError):
    """A usage file refused as a whole: ``errors`` lists (line number, reason) for every
    line at fault, and nothing of the file was counted."""

    def __init__(self, errors: list[tuple[int, str]]) -> None:
        super().__init__(f"{len(errors)} line(s) cannot be imported; nothing was imported.")
        self.errors = errors
