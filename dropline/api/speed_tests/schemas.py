"""Speed tests in the API: the account's history and a result measured by an app."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict

from dropline.api.schemas import AccountQuery
from dropline.network.models import ConnectionKind
from dropline.network.speed_tests.recording import (
    MAX_JITTER_MS,
    MAX_KBPS,
    MAX_LATENCY_MS,
    MAX_STREAMS,
)


def _whole(low: int, high: int) -> dict[str, Any]:
    """A whole number the recording checks itself (400 naming the field, in the caller's
    language, for anything else): published, not enforced by pydantic."""
    return {"type": "integer", "minimum": low, "maximum": high}


class SpeedTestsQuery(AccountQuery):
    cursor: str | None = Field(
        None, max_length=200, description="`next_cursor` of the page before."
    )
    limit: int | None = Field(None, ge=1, le=100, description="Tests per page (20 if left out).")


class SpeedTestIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "latency_ms": 18,
                    "jitter_ms": 3,
                    "download_kbps": 412000,
                    "upload_kbps": 38000,
                    "streams": 4,
                    "connection": "wifi",
                }
            ]
        }
    )

    account: str | None = Field(None, max_length=40, description="The account number.")
    latency_ms: Any = Field(
        description="The delay, whole milliseconds (0 to 10,000).",
        json_schema_extra=_whole(0, MAX_LATENCY_MS),
    )
    jitter_ms: Any = Field(
        0,
        description="The variation of the delay, whole milliseconds.",
        json_schema_extra=_whole(0, MAX_JITTER_MS),
    )
    download_kbps: Any = Field(
        description="Download speed, whole kilobits a second.",
        json_schema_extra=_whole(0, MAX_KBPS),
    )
    upload_kbps: Any = Field(
        description="Upload speed, whole kilobits a second.", json_schema_extra=_whole(0, MAX_KBPS)
    )
    streams: Any = Field(
        1, description="Parallel streams used (1 to 16).", json_schema_extra=_whole(1, MAX_STREAMS)
    )
    connection: Any = Field(
        "unknown",
        description="`wifi`, `wired` or `unknown`.",
        json_schema_extra={"type": "string", "enum": list(ConnectionKind.values)},
    )


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
