"""The network domain's errors: each says what was wrong in words a person can act on."""

from __future__ import annotations


class DeviceActionError(Exception):
    """A restart or a Wi-Fi change refused. ``code`` says why for programs (``limit``,
    ``not_managed``, ``not_restartable``, ``unavailable``, ``invalid``); ``field`` names
    the input at fault, when there is one."""

    def __init__(self, message: str, *, code: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field


class RestartLimitError(DeviceActionError):
    """Too many restarts of one device in the last hour; ``retry_after`` is in seconds."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message, code="limit")
        self.retry_after = retry_after
