"""Output of the customer's data usage (``dropline.api.usage.routes``). Bytes are integers
(a GB is 10**9 bytes, as providers count); amounts are integer cents in ``currency``."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from dropline.api.schemas import AccountQuery, AccountRefOut


class UsageQuery(AccountQuery):
    pass


class DayOut(Schema):
    day: dt.date
    bytes: int = Field(description="Downloaded and uploaded that day.")


class ServiceUsageOut(Schema):
    subscription_id: int
    kind: str = Field(description="`internet` or `mobile`.")
    label: str = Field(description="The service's label, a line's number, or the plan's name.")
    plan_name: str
    used_bytes: int = Field(
        description="Used this bill cycle, both directions, less any data credited."
    )
    allowance_bytes: int | None = Field(description="The plan's allowance; null: unlimited.")
    percent_used: int | None = Field(description="Whole percent of the allowance; null: unlimited.")
    cycle_start: dt.date
    cycle_end: dt.date = Field(description="The cycle's last day.")
    days_left: int = Field(description="Days of the cycle still to come, today included.")
    projected_bytes: int = Field(description="Where the cycle ends at the pace so far.")
    projected_over_bytes: int = Field(description="Past the allowance at that pace; 0 if not.")
    over_bytes: int = Field(description="Past the allowance already; 0 if not.")
    overage_cents: int = Field(description="What the data used so far past the allowance costs.")
    projected_overage_cents: int = Field(
        description="What extra data (or, by the GB, all data) would cost at the cycle's end, "
        "at this pace; 0 when nothing extra."
    )
    currency: str
    daily: list[DayOut] = Field(description="Every day of the cycle up to today, zeros included.")


class UsageOut(Schema):
    account: AccountRefOut
    services: list[ServiceUsageOut]

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "account": {"number": "100000000017", "name": "Rivera", "role": "holder"},
                    "services": [
                        {
                            "subscription_id": 41,
                            "kind": "internet",
                            "label": "Internet 500",
                            "plan_name": "Internet 500",
                            "used_bytes": 612000000000,
                            "allowance_bytes": 1200000000000,
                            "percent_used": 51,
                            "cycle_start": "2026-11-15",
                            "cycle_end": "2026-12-14",
                            "days_left": 9,
                            "projected_bytes": 853953488373,
                            "projected_over_bytes": 0,
                            "over_bytes": 0,
                            "overage_cents": 0,
                            "projected_overage_cents": 0,
                            "currency": "USD",
                            "daily": [
                                {"day": "2026-11-15", "bytes": 27818181818},
                                {"day": "2026-11-16", "bytes": 0},
                            ],
                        }
                    ],
                }
            ]
        }
    }


class CycleOut(Schema):
    cycle_start: dt.date
    cycle_end: dt.date
    used_bytes: int = Field(description="Both directions, less any data credited.")
    allowance_bytes: int | None = Field(description="null: unlimited.")
    in_progress: bool = Field(description="The current cycle, so far.")


class ServiceHistoryOut(Schema):
    subscription_id: int
    kind: str
    label: str
    cycles: list[CycleOut] = Field(
        description="Oldest first, ending with the current cycle: twelve, or fewer for a "
        "service that started since."
    )


class HistoryOut(Schema):
    account: AccountRefOut
    services: list[ServiceHistoryOut]

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "account": {"number": "100000000017", "name": "Rivera", "role": "holder"},
                    "services": [
                        {
                            "subscription_id": 41,
                            "kind": "internet",
                            "label": "Internet 500",
                            "cycles": [
                                {
                                    "cycle_start": "2026-10-15",
                                    "cycle_end": "2026-11-14",
                                    "used_bytes": 1315000000000,
                                    "allowance_bytes": 1200000000000,
                                    "in_progress": False,
                                },
                                {
                                    "cycle_start": "2026-11-15",
                                    "cycle_end": "2026-12-14",
                                    "used_bytes": 612000000000,
                                    "allowance_bytes": 1200000000000,
                                    "in_progress": True,
                                },
                            ],
                        }
                    ],
                }
            ]
        }
    }
