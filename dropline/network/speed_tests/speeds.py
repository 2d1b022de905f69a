"""A speed in words: ``94.3 Mbps`` (``94,3 Mbps`` in Spanish); whole megabits from 100."""

from __future__ import annotations

from django.utils import formats


def mbps(kbps: int) -> str:
    """A measured speed, stored in kbps, in Mbps in the active language."""
    value = kbps / 1000
    places = 0 if value >= 100 else 1
    return f"{formats.number_format(round(value, places), decimal_pos=places, use_l10n=True)} Mbps"


def plan_mbps(value: int | None) -> str:
    """A plan's speed (whole Mbps); empty when the plan states none."""
    if not value:
        return ""
    return f"{formats.number_format(value, use_l10n=True, force_grouping=True)} Mbps"
