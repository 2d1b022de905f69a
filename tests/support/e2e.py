"""Reading what a browser test sees."""

from __future__ import annotations

import re
from decimal import Decimal

_MONEY = re.compile(r"([+-]?)\$([\d,]+\.\d\d)(?!.*\$)")


def money_in(text: str) -> Decimal:
    """The last amount in ``text`` ("...: +$25.00" -> 25.00, "-$2.32" -> -2.32)."""
    found = _MONEY.search(text)
    if found is None:
        raise AssertionError(f"no amount in {text!r}")
    sign, digits = found.groups()
    value = Decimal(digits.replace(",", ""))
    return -value if sign == "-" else value
