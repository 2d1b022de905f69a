"""gunicorn's configuration for ``dropline serve`` (``--config python:dropline.gunicorn_conf``).

- Metrics from every worker: before the workers start, ``PROMETHEUS_MULTIPROC_DIR``
  is set (``var/prometheus`` under ``DROPLINE_VAR_DIR`` unless already set) and
  emptied; a worker that exits is marked dead, so its gauges stop counting while its
  finished requests still do (``dropline.core.metrics``).
- Logs: gunicorn's own lines and its access log go through
  :class:`DroplineGunicornLogger`: secrets redacted, and one JSON object a line when
  ``DROPLINE_LOG_FORMAT=json``.

This module is read by gunicorn's master before Django is set up: it must not import
Django settings or prometheus_client at the top (the latter picks its storage from the
environment when first imported).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from pathlib import Path
from typing import Any

from gunicorn.glogging import Logger

from dropline.config import VAR_DIR
from dropline.core.logs import JsonFormatter, RedactSecrets, redact

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


def _json_logs() -> bool:
    return os.environ.get("DROPLINE_LOG_FORMAT", "").strip().lower() == "json"


class DroplineGunicornLogger(Logger):
    """gunicorn's logger with Dropline's redaction, and JSON when chosen.

    A JSON access line: time, level, logger (``gunicorn.access``), message (method,
    path and status), method, path (without its query string, token-like segments
    redacted), status, bytes, duration_ms, remote_addr, user_agent and request_id (the
    answer's ``X-Request-ID``). No header but the user agent is ever written."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                if not getattr(handler, "_gunicorn", False):
                    continue
                handler.addFilter(RedactSecrets())
                if _json_logs():
                    handler.setFormatter(JsonFormatter())

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        if not _json_logs():
            super().access(resp, req, environ, request_time)
            return
        if not self.access_log_enabled:
            return
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        request_id = ""
        for name, value in resp.headers:
            if name.lower() == "x-request-id":
                request_id = value
        method = environ.get("REQUEST_METHOD", "")
        path = redact(environ.get("PATH_INFO", ""))
        fields = {
            "method": method,
            "path": path,
            "status": int(status),
            "bytes": getattr(resp, "sent", None) or 0,
            "duration_ms": round(request_time / dt.timedelta(milliseconds=1), 3),
            "remote_addr": environ.get("REMOTE_ADDR", ""),
            "user_agent": redact(environ.get("HTTP_USER_AGENT", ""))[:300],
        }
        try:
            self.access_log.info(
                "%s %s %s",
                method,
                path,
                status,
                extra={"fields": fields, "request_id": request_id},
            )
        except Exception:
            self.error(json.dumps({"access_log_failed": True}))


logger_class = "dropline.gunicorn_conf.DroplineGunicornLogger"


def on_starting(server: Any) -> None:
    """In the master, before any worker: the shared metrics directory, emptied."""
    directory = Path(os.environ.get(MULTIPROC_ENV) or VAR_DIR / "prometheus")
    os.environ[MULTIPROC_ENV] = str(directory)
    from dropline.core.metrics import prepare_multiprocess_dir

    prepare_multiprocess_dir(directory)
    logging.getLogger("gunicorn.error").info("metrics from every worker in %s", directory)


def child_exit(server: Any, worker: Any) -> None:
    """A worker exited: its live gauges no longer count."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
