from collections.abc import Iterator
from pathlib import Path

import pytest

from dropline.core import clock
from tests.support.billing import at
from tests.support.disputes import TODAY, use_upload_root


@pytest.fixture(autouse=True)
def uploads(settings, tmp_path) -> Path:
    return use_upload_root(settings, tmp_path)


@pytest.fixture
def today(db) -> Iterator[None]:
    with clock.frozen(at(TODAY)):
        yield
