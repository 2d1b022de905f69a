"""Speed tests in the API: the account's history and a result measured by an app."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from dropline.api.schemas import AccountQuery


class SpeedTestsQuery(AccountQuery):
    cursor: str | None = Field(
        None, max_length=200, description="`next_cursor` of the page before."
    )
    limit: int | None = Field(None, ge=1, le=100, description="Tests per page (20 if left out).")


class SpeedTestIn(Schema):
    account: str | None = Field(None, max_length=40, description="The account number.")
    latency_ms: Any = Field(description="The delay, whole milliseconds (0 to 10,000).")
    jitter_ms: Any = Field(0, description="The variation of the delay, whole milliseconds.")
    download_kbps: Any = Field(description="Download speed, whole kilobits a second.")
    upload_kbps: Any = Field(description="Upload speed, whole kilobits a second.")
    streams: Any = Field(1, description="Parallel streams used (1 to 16).")
    connection: Any = Field("unknown", description="`wifi`, `wired` or `unknown`.")


class AssessmentOut(Schema):
    download: str = Field(description="`fine`, `below`, `well_below` or `unknown` (no plan).")
    upload: str
    verdict: str = Field(description="The worse of the two.")
    advice_codes: list[str]
    advice: list[str] = Field(description="The advice in words, in the request's language.")


class SpeedTestOut(Schema):
    id: int
    ran_at: dt.datetime
    latency_ms: int
    jitter_ms: int
    download_kbps: int
    upload_kbps: int
    streams: int
    connection: str
    plan_download_mbps: int | None
    plan_upload_mbps: int | None
    assessment: AssessmentOut


class SpeedTestPageOut(Schema):
    items: list[SpeedTestOut]
    next_cursor: str | None
