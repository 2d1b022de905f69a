"""What the connection check knows about an account, as plain frozen values.

``gather.gather`` reads them from the account, the equipment's live status, the outages
in its area and its latest speed test; ``diagnose.diagnose`` decides from them alone, so
every combination can be tested without a database, a device or a clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

# Equipment kinds (catalog's ``EquipmentKind`` values) that bring the internet in.
INTERNET_KINDS = frozenset({"gateway", "modem"})
# Equipment kinds behind them that carry it through the home.
HOME_NETWORK_KINDS = frozenset({"router"})

# A restart counts as recent for this long: two in that time that did not help mean
# the trouble is not one a restart fixes.
RECENT_RESTARTS_WINDOW = dt.timedelta(hours=24)
RESTARTS_BEFORE_VISIT = 2
# A speed test this old or newer says something about the connection now.
SPEED_TEST_RECENT = dt.timedelta(days=2)
# Below this share of the plan's download speed, a test was slow.
SLOW_SHARE = 0.5


class DeviceStatus(StrEnum):
    ONLINE = "online"
    OFFLINE = "offline"
    RESTARTING = "restarting"
    UNKNOWN = "unknown"  # not managed, or device management could not be asked


@dataclass(frozen=True, slots=True)
class DeviceFacts:
    equipment_id: int
    kind: str  # catalog EquipmentKind value
    name: str  # the model's name, as the customer's equipment page shows it
    status: DeviceStatus
    signal_problems: tuple[str, ...] = ()  # equipment_status.signal_problems codes
    restart_expected_at: dt.datetime | None = None  # a restart still running: when back
    restarts_recently: int = 0  # restarts asked in RECENT_RESTARTS_WINDOW
    last_restart_at: dt.datetime | None = None

    @property
    def brings_internet(self) -> bool:
        return self.kind in INTERNET_KINDS


@dataclass(frozen=True, slots=True)
class OutageFacts:
    outage_id: int
    maintenance: bool  # planned maintenance rather than an outage
    title: str  # in the language asked for
    starts_at: dt.datetime
    eta: dt.datetime | None  # expected end (maintenance: end of its window)
    affects_internet: bool  # False when it touches only other services (TV, phone)


@dataclass(frozen=True, slots=True)
class SpeedTestFacts:
    ran_at: dt.datetime
    download_kbps: int
    upload_kbps: int
    plan_download_mbps: int | None
    on_wifi: bool

    @property
    def slow(self) -> bool:
        if not self.plan_download_mbps:
            return False
        return self.download_kbps < self.plan_download_mbps * 1000 * SLOW_SHARE


@dataclass(frozen=True, slots=True)
class Facts:
    now: dt.datetime
    account_status: str  # customers' AccountStatus value
    # Internet (or any) services suspended for an unpaid balance while the account
    # itself is flagged otherwise: either way the service is off until paid.
    services_suspended: bool = False
    outages: tuple[OutageFacts, ...] = ()  # going on now in the account's area
    devices: tuple[DeviceFacts, ...] = ()
    device_management_available: bool = True
    speed_test: SpeedTestFacts | None = None
    upcoming_maintenance: tuple[OutageFacts, ...] = field(default=())
