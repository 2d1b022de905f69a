"""Readings and usage for tests, put through the real ingest.

``interim``/``start``/``stop`` build one accounting packet's reading; ``ingest_usage``
(alias ``ingest_bytes``) counts some bytes for a service at an instant, as if its
access network had reported them, so roll-ups, meters and alerts see real usage.
"""

from __future__ import annotations

import datetime as dt
import itertools

from dropline.subscriptions.models import Subscription
from dropline.usage.ingest import IngestResult, ingest
from dropline.usage.models import SessionStatus, Source
from dropline.usage.readings import Reading

_serial = itertools.count(1)


def reading(
    session: str,
    username: str,
    inp: int,
    out: int,
    at: dt.datetime,
    session_time: int = 0,
    *,
    status: SessionStatus = SessionStatus.INTERIM,
    nas: str = "nas-1",
) -> Reading:
    return Reading(
        session_key=session,
        username=username,
        status=status,
        input_octets=inp,
        output_octets=out,
        session_time=session_time,
        occurred_at=at,
        nas=nas,
    )


def interim(
    session: str, username: str, inp: int, out: int, at: dt.datetime, session_time: int = 0
) -> Reading:
    """An Interim-Update: the session's cumulative counters at ``at``."""
    return reading(session, username, inp, out, at, session_time)


def start(session: str, username: str, at: dt.datetime) -> Reading:
    return reading(session, username, 0, 0, at, 0, status=SessionStatus.START)


def stop(
    session: str, username: str, inp: int, out: int, at: dt.datetime, session_time: int = 0
) -> Reading:
    return reading(session, username, inp, out, at, session_time, status=SessionStatus.STOP)


def username_of(subscription: Subscription) -> str:
    """The name the service's usage is reported under, giving it one if it has none."""
    if not subscription.radius_username and not subscription.phone_number:
        subscription.radius_username = f"user-{subscription.pk}"
        Subscription.objects.filter(pk=subscription.pk).update(
            radius_username=subscription.radius_username
        )
    return subscription.radius_username or subscription.phone_number


def ingest_usage(
    subscription: Subscription,
    bytes: int,
    at: dt.datetime,
    *,
    upload_share: float = 0.1,
) -> IngestResult:
    """Count ``bytes`` for ``subscription`` at ``at`` (a tenth as upload, the rest as
    download) through ``ingest``, as one finished session of its own."""
    upload = int(bytes * upload_share)
    return ingest(
        [
            reading(
                f"test-{next(_serial)}",
                username_of(subscription),
                upload,
                bytes - upload,
                at,
                60,
                status=SessionStatus.STOP,
            )
        ],
        source=Source.DEMO,
    )


ingest_bytes = ingest_usage
