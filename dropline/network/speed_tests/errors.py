"""What a speed test refusal says: the field at fault and the reason, in words."""

from __future__ import annotations


class SpeedTestError(Exception):
    """A speed test result that cannot be recorded; ``field`` names the input at fault
    (``latency_ms``, ``jitter_ms``, ``download_kbps``, ``upload_kbps``, ``streams``,
    ``connection``) and ``reason`` says why, in words."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = str(reason)
