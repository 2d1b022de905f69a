"""Background tasks of the core app."""

from __future__ import annotations

import socket

from celery import shared_task

from dropline.core import clock


@shared_task(name="core.worker_heartbeat")
def worker_heartbeat(token: str) -> dict[str, str]:
    """Answer from whichever worker takes it: proof that tasks go out and results come back."""
    return {"token": token, "worker": socket.gethostname(), "at": clock.now().isoformat()}
