"""Speed tests: recording a result with the plan's speeds, reading the history, the
advice in plain words, and the budgets that bound what a test in the browser takes.

``recording`` writes, ``queries`` reads within an account, ``advice`` compares with the
plan, ``budget`` grants and spends a test's allowance, ``charts`` draws the history.
"""

from __future__ import annotations

from dropline.network.speed_tests.advice import Assessment, advice, assess
from dropline.network.speed_tests.errors import SpeedTestError
from dropline.network.speed_tests.queries import history, latest_for, page_after
from dropline.network.speed_tests.recording import plan_speeds, record_speed_test

__all__ = [
    "Assessment",
    "SpeedTestError",
    "advice",
    "assess",
    "history",
    "latest_for",
    "page_after",
    "plan_speeds",
    "record_speed_test",
]
