"""The help desk domain's errors: each says what was wrong in words a person can act on."""

from __future__ import annotations


class SupportError(Exception):
    """A ticket, article or troubleshooting step refused. ``code`` says why for programs
    (``invalid``, ``closed``, ``not_found``, ``not_allowed``, ``limit``); ``field`` names
    the input at fault (``category``, ``subject``, ``description``, ``body``, ``files``,
    ``rating``...), when there is one."""

    def __init__(self, message: str, *, code: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field
