"""Authenticator-app codes for tests that sign in through the real second step.

A code is good for its 30-second window only (Dropline accepts no neighbouring
window). A code made in the window's last moments can reach the server in the next
one on a busy machine, and be refused; these helpers wait that out first.
"""

from __future__ import annotations

import time

from dropline.accounts.second_factor import TOTP_PERIOD, current_code


def code_with_time_to_spare(secret: str, *, spare: float = 3.0) -> str:
    """The current code for ``secret``, with at least ``spare`` seconds of its window left."""
    left = TOTP_PERIOD - time.time() % TOTP_PERIOD
    if left < spare:
        time.sleep(left + 0.05)
    return current_code(secret)
