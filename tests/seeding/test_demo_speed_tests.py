"""The demo household's speed tests: a few weeks of them, over Wi-Fi and wired, made by
the real recording with the plan's speeds, and loading again adds none."""

from __future__ import annotations

import pytest

from dropline.network.models import SpeedTest
from dropline.network.speed_tests import advice, latest_for
from dropline.seeding.demo import load_demo
from dropline.seeding.demo.household import loaded_account

pytestmark = pytest.mark.django_db


def test_a_few_weeks_of_tests_wired_and_over_wifi(demo):
    account = loaded_account()
    assert account is not None
    tests = list(SpeedTest.objects.filter(account=account).order_by("ran_at"))
    assert len(tests) == 8
    assert {t.connection for t in tests} == {"wifi", "wired", "unknown"}
    assert (tests[-1].ran_at - tests[0].ran_at).days >= 21
    assert {(t.plan_download_mbps, t.plan_upload_mbps) for t in tests} == {(500, 50)}
    assert all(t.user is not None and t.user.username == "demo" for t in tests)
    wired = [t.download_kbps for t in tests if t.connection == "wired"]
    wifi = [t.download_kbps for t in tests if t.connection == "wifi"]
    assert min(wired) > max(wifi)
    latest = latest_for(account=account)
    assert latest is not None
    assert latest.connection == "wifi"
    assert any("Wi-Fi" in line for line in advice(latest))
    assert load_demo() == 0
    assert SpeedTest.objects.filter(account=account).count() == 8
