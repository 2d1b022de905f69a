"""Messages waiting in the Celery broker's queues, asked with a short timeout.

RabbitMQ is asked with a passive ``queue.declare`` (its answer carries the ready
messages); Redis with the length of the queue's lists (kombu's virtual declare, one list
per priority). A queue the broker does not know yet holds nothing. A broker that does
not answer within ``TIMEOUT`` seconds is reported down, never waited for.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from kombu import Connection
from kombu.exceptions import ChannelError

TIMEOUT = 1


@dataclass(frozen=True)
class BrokerState:
    configured: bool
    up: bool
    depths: dict[str, int]


def queue_names() -> list[str]:
    """The queues Dropline's tasks go to (Celery's default queue unless routed)."""
    names = {str(getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", "") or "celery")}
    routes = getattr(settings, "CELERY_TASK_ROUTES", None) or {}
    if isinstance(routes, dict):
        names.update(
            str(route["queue"])
            for route in routes.values()
            if isinstance(route, dict) and route.get("queue")
        )
    return sorted(names)


def _depth(connection: Connection, queue: str) -> int:
    channel: Any = connection.channel()  # py-amqp's or kombu's virtual channel
    try:
        _, waiting, _ = channel.queue_declare(queue=queue, passive=True)
        return int(waiting)
    except ChannelError as exc:
        if "NOT_FOUND" in str(exc) or getattr(exc, "code", None) == 404:
            return 0
        raise
    finally:
        # A channel the broker closed (after NOT_FOUND) is closed already.
        with contextlib.suppress(Exception):
            channel.close()


def broker_state(url: str | None = None) -> BrokerState:
    url = settings.CELERY_BROKER_URL if url is None else url
    if not url:
        return BrokerState(configured=False, up=False, depths={})
    options = {
        "socket_timeout": TIMEOUT,
        "socket_connect_timeout": TIMEOUT,
        "max_retries": 0,
    }
    try:
        with Connection(url, connect_timeout=TIMEOUT, transport_options=options) as connection:
            connection.ensure_connection(max_retries=0, timeout=TIMEOUT)
            depths = {queue: _depth(connection, queue) for queue in queue_names()}
    except Exception:  # any failure (refused, timed out, refused credentials) is "down"
        return BrokerState(configured=True, up=False, depths={})
    return BrokerState(configured=True, up=True, depths=depths)
