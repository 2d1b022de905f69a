"""The household's speed tests over the last four weeks, as they ran them in the portal:
evenings mostly, some from the living-room laptop on Wi-Fi (slower, often well below the
plan), some from the office desktop on a cable (close to the plan's 500/50 Mbps).

Each is recorded on its day by the real ``record_speed_test`` under ``clock.frozen``, so
the plan's speeds are snapshotted as the portal does. Idempotent: an account that has
speed tests already gets none more.
"""

from __future__ import annotations

import datetime as dt

from dropline.core import clock
from dropline.network.models import ConnectionKind, SpeedTest
from dropline.network.speed_tests import record_speed_test
from dropline.seeding.demo import household, year

# (days ago, local hour, connection, latency ms, jitter ms, download Mbps, upload Mbps)
TESTS = [
    (27, 20, ConnectionKind.WIFI, 24, 6, 212.4, 31.8),
    (24, 9, ConnectionKind.WIRED, 11, 1, 489.0, 49.1),
    (20, 21, ConnectionKind.WIFI, 31, 9, 164.9, 22.5),
    (17, 19, ConnectionKind.WIRED, 12, 2, 471.3, 48.7),
    (13, 22, ConnectionKind.UNKNOWN, 19, 4, 338.2, 44.0),
    (9, 20, ConnectionKind.WIFI, 27, 7, 241.7, 36.2),
    (5, 8, ConnectionKind.WIRED, 10, 1, 494.6, 49.5),
    (2, 21, ConnectionKind.WIFI, 29, 8, 187.3, 28.9),
]


def load() -> int:
    account = household.loaded_account()
    if account is None or SpeedTest.objects.filter(account=account).exists():
        return 0
    holder = account.members.get(role="holder").user
    today = clock.today()
    for days_ago, hour, connection, latency, jitter, down, up in TESTS:
        day = today - dt.timedelta(days=days_ago)
        at = year.moment(day, hour, 12)
        with clock.frozen(at):
            record_speed_test(
                account=account,
                user=holder,
                latency_ms=latency,
                jitter_ms=jitter,
                download_kbps=round(down * 1000),
                upload_kbps=round(up * 1000),
                streams=4,
                connection=connection,
            )
    return len(TESTS)
