"""A failing scale-out test reports the logs of the cluster's processes with it."""

from __future__ import annotations

from collections.abc import Generator

import pytest

from tests.support.scale_out import CURRENT_LOGS


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.failed and CURRENT_LOGS:
        for log in CURRENT_LOGS:
            text = log.read_text(errors="replace") if log.exists() else "(no log)"
            report.sections.append((f"log of {log.stem}", text[-6000:]))
    return report
