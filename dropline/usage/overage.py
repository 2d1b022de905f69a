"""What data past the allowance costs: the one arithmetic the bill's rating, the meter,
the alerts and the forecast share, so the page, the alert and the bill never disagree.

Internet: blocks of ``block_bytes`` at ``block_cents`` each, a started block in full,
at most ``cap_cents`` a cycle; none at the allowance exactly, one for a byte over.
By the gig: each started GB past the allowance (every byte when there is none) at
``price_per_gb``, rounded half-up once to cents. Integers throughout; the price per GB
is a ``Decimal``.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from dropline.usage.models import GB


def _started(amount: int, size: int) -> int:
    return -(-amount // size) if amount > 0 else 0


def blocks_over(billable_bytes: int, allowance_bytes: int, block_bytes: int) -> int:
    """The blocks started past the allowance."""
    return _started(billable_bytes - allowance_bytes, block_bytes)


def blocks_cents(blocks: int, block_cents: int, cap_cents: int | None) -> tuple[int, bool]:
    """``(cents, capped)`` for ``blocks`` blocks, held to the cap."""
    cents = blocks * block_cents
    if cap_cents is not None and cents > cap_cents:
        return cap_cents, True
    return cents, False


def blocks_charged(blocks: int, block_cents: int, cap_cents: int | None) -> int:
    """Of ``blocks`` started, how many are charged: the block that reaches the cap is
    the last one."""
    if cap_cents is None or block_cents <= 0:
        return blocks
    return min(blocks, _started(cap_cents, block_cents))


def gigabytes_over(billable_bytes: int, allowance_bytes: int | None) -> int:
    """The GB a by-the-gig line bills: each started GB past the allowance in full."""
    return _started(billable_bytes - (allowance_bytes or 0), GB)


def by_the_gig_cents(gigabytes: int, price_per_gb: Decimal) -> int:
    """``gigabytes`` at ``price_per_gb`` (in currency units), rounded half-up once."""
    return int((price_per_gb * gigabytes * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
