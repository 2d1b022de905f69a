"""Amounts of data in words: "900 GB", "1.2 TB", "450 MB" (decimal units, as providers
count: a GB is 10**9 bytes), with the active language's decimal separator.

The unit is the smallest in which the amount is under 1,000 (TB at most); one decimal
below 100 when it says something, none from 100 up: 1,200 GB is "1.2 TB", 1,000 GB is
"1 TB", 12.46 GB is "12.5 GB", 450.4 GB is "450 GB", 999.96 GB is "1 TB". Rounded half
up on exact decimals, never through a float.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats, translation

_UNITS = ((10**6, "MB"), (10**9, "GB"), (10**12, "TB"))
_TENTH = Decimal("0.1")


def _rounded(value: Decimal) -> Decimal:
    tenths = value.quantize(_TENTH, rounding=ROUND_HALF_UP)
    if tenths >= 100 or tenths == tenths.to_integral_value():
        return value.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return tenths


def data_amount(n_bytes: int, *, language: str | None = None) -> str:
    """``n_bytes`` as a person reads it, in ``language`` (by default the active one)."""
    if language is not None:
        with translation.override(language):
            return data_amount(n_bytes)
    if n_bytes <= 0:
        return "0 GB"
    # Anything used shows: a few bytes read "1 MB", never "0 MB".
    total = Decimal(max(10**6, int(n_bytes)))
    for size, unit in _UNITS:
        value = _rounded(total / size)
        if value < 1000 or unit == "TB":
            places = 0 if value == value.to_integral_value() else 1
            shown = formats.number_format(
                value, decimal_pos=places, use_l10n=True, force_grouping=True
            )
            return f"{shown} {unit}"
    raise AssertionError("unreachable")  # pragma: no cover


def percent(used_bytes: int, allowance_bytes: int) -> int:
    """Whole percent of the allowance used, rounded down (99.9% is not yet 100%)."""
    if allowance_bytes <= 0:
        return 0
    return max(0, used_bytes) * 100 // allowance_bytes
