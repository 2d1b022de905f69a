"""Speed tests from the app: the account's history, newest first, in keyset pages, and
recording a result the app measured. The same domain as the web page
(``network.speed_tests``): the same bounds, the same plan snapshot, the same advice.

The account is the first of the caller's unless ``account`` names another of theirs; a
number that is not theirs answers 404. A figure out of bounds answers 400 naming the
field and the reason, and nothing is recorded; more than ``PER_PERSON`` results an hour
answers 429 with ``Retry-After``.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError

from dropline.accounts.requests import signed_in_user
from dropline.api.errors import FieldError
from dropline.api.membership import membership_asked
from dropline.api.schemas import ErrorOut, InvalidInputOut
from dropline.api.speed_tests.schemas import (
    AssessmentOut,
    SpeedTestIn,
    SpeedTestOut,
    SpeedTestPageOut,
    SpeedTestsQuery,
)
from dropline.core import ratelimit
from dropline.core.pagination import InvalidCursorError, decode_cursor
from dropline.network.models import SpeedTest
from dropline.network.speed_tests import (
    SpeedTestError,
    advice,
    assess,
    page_after,
    record_speed_test,
)

router = Router(tags=["speed tests"])

PER_PERSON = ratelimit.Limit.per("speed_test.app", 20, dt.timedelta(hours=1))


def speed_test_out(test: SpeedTest) -> SpeedTestOut:
    found = assess(test)
    return SpeedTestOut(
        id=test.pk,
        ran_at=test.ran_at,
        latency_ms=test.latency_ms,
        jitter_ms=test.jitter_ms,
        download_kbps=test.download_kbps,
        upload_kbps=test.upload_kbps,
        streams=test.streams,
        connection=test.connection,
        plan_download_mbps=test.plan_download_mbps,
        plan_upload_mbps=test.plan_upload_mbps,
        assessment=AssessmentOut(
            download=found.download,
            upload=found.upload,
            verdict=found.verdict,
            advice_codes=found.codes,
            advice=advice(test),
        ),
    )


@router.get(
    "/speed-tests",
    response={200: SpeedTestPageOut, 400: ErrorOut, 404: ErrorOut},
    summary="Speed tests, newest first",
)
def list_speed_tests(request: HttpRequest, query: Query[SpeedTestsQuery]) -> SpeedTestPageOut:
    """A page of the account's speed tests with the plan's speeds of each day and the
    advice; `next_cursor` gets the next."""
    membership = membership_asked(request, query.account)
    try:
        after = decode_cursor(query.cursor)
    except InvalidCursorError:
        raise HttpError(400, _("That cursor is not one this list gave out.")) from None
    page = page_after(account=membership.account, after=after, limit=query.limit)
    return SpeedTestPageOut(
        items=[speed_test_out(test) for test in page.rows], next_cursor=page.next_cursor
    )


@router.post(
    "/speed-tests",
    response={201: SpeedTestOut, 400: InvalidInputOut, 404: ErrorOut, 429: ErrorOut},
    summary="Record a speed test measured by the app",
)
def record(request: HttpRequest, response: HttpResponse, body: SpeedTestIn) -> Any:
    """Record a result the app measured, with the plan's speeds of today; answers with
    the advice."""
    membership = membership_asked(request, body.account)
    user = signed_in_user(request)
    decision = ratelimit.hit(PER_PERSON, str(user.pk))
    if not decision.allowed:
        seconds = decision.seconds
        response["Retry-After"] = str(seconds)
        minutes = max(1, math.ceil(seconds / 60))
        return Status(
            429,
            ErrorOut(
                detail=_(
                    "You have recorded many speed tests in the last hour. You can record "
                    "another in %(minutes)s minutes."
                )
                % {"minutes": minutes}
            ),
        )
    try:
        test = record_speed_test(
            account=membership.account,
            user=user,
            latency_ms=body.latency_ms,
            jitter_ms=body.jitter_ms,
            download_kbps=body.download_kbps,
            upload_kbps=body.upload_kbps,
            streams=body.streams,
            connection=body.connection,
        )
    except SpeedTestError as error:
        raise FieldError(error.field, error.reason) from None
    return Status(201, speed_test_out(test))
