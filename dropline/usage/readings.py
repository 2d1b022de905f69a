"""A reading: one accounting packet or usage record, as every source hands it to the
ingest (``dropline.usage.ingest.ingest``).

Counters are cumulative for the session, as RADIUS reports them, with gigawords
already folded in (``gigawords * 2**32 + octets``). A usage file's record is a session
of one reading (status ``stop``) keyed by the record's own identifier, so importing the
same record twice counts it once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dropline.usage.models import SessionStatus

GIGAWORD = 2**32


def fold(octets: int, gigawords: int = 0) -> int:
    """RADIUS's 32-bit octet counter and its gigawords as one 64-bit count."""
    return gigawords * GIGAWORD + octets


@dataclass(frozen=True, slots=True)
class Reading:
    session_key: str  # Acct-Unique-Session-Id, or "<nas>/<Acct-Session-Id>", or "csv:<id>"
    username: str  # RADIUS User-Name, or a mobile number in E.164 for a mobile line
    status: SessionStatus
    input_octets: int  # cumulative since the session started, gigawords folded in
    output_octets: int
    session_time: int  # Acct-Session-Time, seconds: orders the packets of a session
    occurred_at: dt.datetime  # aware: when the counters were read
    nas: str = ""
