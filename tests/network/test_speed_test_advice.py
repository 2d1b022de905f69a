"""The advice for each case, in plain words, in English and Spanish."""

from __future__ import annotations

import pytest
from django.utils import translation

from dropline.network.models import SpeedTest
from dropline.network.speed_tests import advice, assess
from dropline.network.speed_tests.advice import compare, percent_of_plan


def _test(
    down: int, up: int, connection: str = "unknown", latency: int = 15, **plan: int | None
) -> SpeedTest:
    return SpeedTest(
        latency_ms=latency,
        jitter_ms=2,
        download_kbps=down,
        upload_kbps=up,
        streams=4,
        connection=connection,
        plan_download_mbps=plan.get("plan_down", 500),
        plan_upload_mbps=plan.get("plan_up", 50),
    )


@pytest.mark.parametrize(
    ("kbps", "plan", "expected"),
    [
        (400_000, 500, "fine"),  # exactly 80%
        (399_999, 500, "below"),
        (250_000, 500, "below"),  # exactly half
        (249_999, 500, "well_below"),
        (900_000, 500, "fine"),  # faster than the plan
        (0, 500, "well_below"),
        (100_000, None, "unknown"),
        (100_000, 0, "unknown"),
    ],
)
def test_each_direction_is_compared_with_its_plan_speed(kbps, plan, expected):
    assert compare(kbps, plan) == expected


def test_percent_of_plan():
    assert percent_of_plan(412_300, 500) == 82
    assert percent_of_plan(412_300, None) is None


def test_as_fast_as_the_plan_says_there_is_nothing_to_do():
    found = assess(_test(470_000, 48_000, "wifi"))
    assert found.verdict == "fine"
    assert found.codes == ["as_fast_as_plan", "what_the_test_measures"]
    words = advice(_test(470_000, 48_000, "wifi"))
    assert words[0].startswith("Your connection is as fast as your plan")
    assert "portal's server" in words[-1]
    assert "browser" in words[-1]


def test_over_wifi_and_slow_wifi_is_named_as_the_likely_limit():
    found = assess(_test(180_000, 45_000, "wifi"))
    assert found.download == "well_below"
    assert found.upload == "fine"
    assert found.codes[:2] == ["slower_than_plan", "wifi_often_the_limit"]
    text = " ".join(advice(_test(180_000, 45_000, "wifi")))
    assert "Wi-Fi" in text
    assert "cable" in text
    assert "close to the router" in text
    assert "Restart your modem" not in text


def test_wired_and_well_below_restart_the_modem_or_run_the_connection_check():
    found = assess(_test(120_000, 40_000, "wired"))
    assert found.codes[:2] == ["slower_than_plan", "restart_or_check"]
    text = " ".join(advice(_test(120_000, 40_000, "wired")))
    assert "Restart your modem" in text
    assert "connection check" in text


def test_wired_and_a_little_below_is_common_at_busy_times():
    found = assess(_test(350_000, 45_000, "wired"))
    assert found.verdict == "below"
    assert found.codes[1] == "wired_somewhat_below"


def test_the_upload_is_compared_with_the_plans_upload():
    found = assess(_test(480_000, 10_000, "wired"))
    assert (found.download, found.upload, found.verdict) == ("fine", "well_below", "well_below")
    assert "restart_or_check" in found.codes


def test_not_sure_how_it_is_connected_suggests_a_wired_test_first():
    found = assess(_test(200_000, 45_000, "unknown"))
    assert found.codes[1] == "try_wired"


def test_without_plan_speeds_it_says_so_and_compares_nothing():
    found = assess(_test(200_000, 45_000, "wired", plan_down=None, plan_up=None))
    assert found.verdict == "unknown"
    assert found.codes == ["no_plan_speeds", "what_the_test_measures"]


def test_a_long_delay_is_said_with_its_figure():
    text = advice(_test(480_000, 48_000, "wired", latency=240))
    assert any("240 ms" in line for line in text)
    assert "high_latency" not in assess(_test(480_000, 48_000, latency=100)).codes


def test_the_advice_is_in_spanish_too():
    with translation.override("es"):
        text = " ".join(advice(_test(180_000, 45_000, "wifi")))
    assert "Wi-Fi" in text
    assert "Your connection" not in text
