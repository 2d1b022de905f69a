"""A local push service and the settings that let subscriptions point at it; the
helpers are in ``tests/support/push.py`` and ``tests/support/push_service.py``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.push import use_local_push
from tests.support.push_service import PushServiceStub, running_push_service


@pytest.fixture
def push_service(settings: Any) -> Iterator[PushServiceStub]:
    use_local_push(settings)
    with running_push_service() as stub:
        yield stub
