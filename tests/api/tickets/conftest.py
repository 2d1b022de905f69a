from pathlib import Path

import pytest

from tests.support.disputes import use_upload_root


@pytest.fixture(autouse=True)
def uploads(settings, tmp_path) -> Path:
    return use_upload_root(settings, tmp_path)
