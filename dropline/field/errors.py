"""The field domain's errors: each says what was wrong in words a person can act on."""

from __future__ import annotations

from typing import Any


class AppointmentError(Exception):
    """A booking, reschedule, cancellation or dispatch step refused. ``code`` says why for
    programs (``full``, ``closed``, ``past_cutoff``, ``not_found``, ``invalid``,
    ``no_address``, ``already_booked``, ``not_allowed``, ``not_linked``: a staff sign-in
    with no technician); ``field`` names the input at fault (``window_id``, ``reason``,
    ``status``...), when there is one; ``alternatives`` holds the nearest open windows a
    refused booking may offer instead."""

    def __init__(
        self,
        message: str,
        *,
        code: str,
        field: str = "",
        alternatives: list[Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field
        self.alternatives = list(alternatives or [])
