"""Sizes every edge caps its input at, so a form and an API schema never disagree.

These are transport limits, not policy: they stop a megabyte from reaching a hasher
or a validator, and sit far above what the policy allows, so a person who types too
much gets the policy's own message (``accounts.passwords.MAX_LENGTH``, 128
characters) rather than a bare "too long". The policy stays in ``accounts.passwords``;
these live in ``core`` because every layer (portal forms, API schemas, back-office
forms, ``accounts`` itself) may import ``core``, and nothing here depends on anyone.
"""

from __future__ import annotations

from typing import Final

# A password field (new, current or confirmation): far above the 64 a password manager
# may use and the policy's 128, far below what would cost the hasher anything.
MAX_PASSWORD_LENGTH: Final = 1024
