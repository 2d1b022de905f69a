"""Packets and rows that could not be counted, kept for the ingest status page."""

from __future__ import annotations

from dropline.core import clock
from dropline.usage.models import Rejection, Source

REASON_MAX = 300
EXCERPT_MAX = 300


def record_rejection(
    *, source: Source, reason: str, excerpt: str | bytes = "", collector_id: int | None = None
) -> Rejection:
    """Keep what was refused and why (an excerpt of it, never more than 300 characters)."""
    if isinstance(excerpt, bytes):
        excerpt = excerpt[: EXCERPT_MAX * 4].decode(errors="replace")
    return Rejection.objects.create(
        source=source,
        collector_id=collector_id,
        received_at=clock.now(),
        reason=reason[:REASON_MAX],
        excerpt=excerpt[:EXCERPT_MAX],
    )
