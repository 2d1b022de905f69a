"""What goes wrong with a second factor, shown to the person as it is."""

from __future__ import annotations


class SecondFactorError(ValueError):
    """Shown to the person as it is: what is wrong and what to do."""
