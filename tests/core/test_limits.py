"""The shared input limits sit above the policy they protect."""

from __future__ import annotations

from dropline.accounts import passwords
from dropline.core.limits import MAX_PASSWORD_LENGTH


def test_the_password_field_limit_is_far_above_the_policy():
    """Whoever types a 129-character password is told the policy, not "too long"."""
    assert MAX_PASSWORD_LENGTH == 1024
    assert passwords.MAX_LENGTH * 4 < MAX_PASSWORD_LENGTH
