"""The allauth settings every second-factor page test runs with."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from tests.support.factors import apply_settings


@pytest.fixture
def configured(settings: Any) -> Iterator[None]:
    apply_settings(settings)
    yield
    cache.clear()
