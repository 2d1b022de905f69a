"""Why recovery did not go ahead; ``str()`` of each is the message for the person."""

from __future__ import annotations

import datetime as dt
import math

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class RecoveryError(Exception):
    """Recovery did not go ahead; ``str()`` is the message for the person."""


class ThrottledError(RecoveryError):
    """Too many requests from this IP address or for what was typed."""

    def __init__(self, retry_after: dt.timedelta) -> None:
        self.retry_after = retry_after
        super().__init__(
            ngettext(
                "Too many attempts. Try again in %(minutes)d minute.",
                "Too many attempts. Try again in %(minutes)d minutes.",
                self.minutes,
            )
            % {"minutes": self.minutes}
        )

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.retry_after.total_seconds() / 60))


class CodeRejectedError(RecoveryError):
    """Wrong, expired, used up or never sent: deliberately the same for each."""

    def __init__(self) -> None:
        super().__init__(_("That code did not work. Check it, or ask for a new code."))


class PasswordRejectedError(RecoveryError):
    """The code was right but the new password breaks the policy; the code still works."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        super().__init__(" ".join(messages))


class InvalidAddressError(RecoveryError):
    """What was typed is neither an email address nor a mobile number."""
