"""Outside parts a test needs (PostgreSQL, Redis, Chromium): skip locally, fail in CI."""

from __future__ import annotations

import os

import pytest

REQUIRE_SERVICES = os.environ.get("DROPLINE_REQUIRE_SERVICES") == "1"


def need(available: bool, reason: str) -> None:
    """Skip (locally) or fail (in CI) when an outside part is missing."""
    if available:
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"required in CI but missing: {reason}")
    pytest.skip(reason)
