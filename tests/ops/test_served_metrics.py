"""``dropline serve`` with two gunicorn workers: one scrape adds up every worker's
requests, the metrics directory starts empty, and the access log is JSON when asked."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings
from prometheus_client.parser import text_string_to_metric_families

pytestmark = pytest.mark.postgres

REQUESTS = 24


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    finally:
        conn.close()


def _database_url() -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def test_one_scrape_sees_every_worker(transactional_db, tmp_path: Path):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("the server shares the tests' PostgreSQL database")
    metrics_dir = tmp_path / "prometheus"
    metrics_dir.mkdir()
    # Left by an earlier server: counted again if the start did not clear it.
    (metrics_dir / "histogram_1.db").write_bytes(b"not a sample file")
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": _database_url(),
        "DATABASE_POOL": "false",
        "DROPLINE_VAR_DIR": str(tmp_path),
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
        "DROPLINE_LOG_FORMAT": "json",
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
    }
    env.pop("DROPLINE_METRICS_TOKEN", None)
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "dropline", "serve", "--port", str(port), "--workers", "2"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if _get(port, "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert server.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        # Several at once, so both workers take some.
        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(pool.map(lambda _: _get(port, "/healthz")[0], range(REQUESTS - 1)))
        assert statuses == [200] * (REQUESTS - 1)
        status, body, headers = _get(port, "/metrics")
        assert status == 200, body
        count = 0.0
        for family in text_string_to_metric_families(body.decode()):
            for sample in family.samples:
                if (
                    sample.name == "dropline_http_request_duration_seconds_count"
                    and sample.labels["route"] == "healthz"
                ):
                    count += sample.value
        assert count == REQUESTS
        # Two workers wrote samples (one file each), and the stale file is gone.
        writers = {path.stem.rsplit("_", 1)[1] for path in metrics_dir.glob("histogram_*.db")}
        assert "1" not in writers
        assert len(writers) == 2, writers
        # Through a proxy on this machine it is not found.
        assert _get(port, "/metrics", {"X-Forwarded-For": "203.0.113.9"})[0] == 404
        request_id = headers["X-Request-ID"]
    finally:
        server.terminate()
        server.wait(timeout=20)
    access = []
    for line in log.read_text().splitlines():
        if line.startswith("{"):
            entry = json.loads(line)
            if entry["logger"] == "gunicorn.access":
                access.append(entry)
    scrape = [entry for entry in access if entry["path"] == "/metrics" and entry["status"] == 200]
    assert scrape
    assert scrape[0]["request_id"] == request_id
    assert scrape[0]["method"] == "GET"
    assert scrape[0]["duration_ms"] >= 0
    assert len([entry for entry in access if entry["path"] == "/healthz"]) >= REQUESTS
