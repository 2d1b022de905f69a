"""Why a change cannot be made."""

from __future__ import annotations


class ChangeRefused(Exception):  # noqa: N818 - the name the edges know
    """The change cannot be made as asked: ``field`` names the input, ``reason`` says why
    in the customer's language, ``code`` is stable for programs (``pending_change``,
    ``not_available``, ``preview_stale``...). Nothing was written."""

    def __init__(self, field: str, reason: str, code: str) -> None:
        super().__init__(f"{field}: {reason} ({code})")
        self.field = field
        self.reason = reason
        self.code = code
