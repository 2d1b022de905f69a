"""Tasks run in-process without a broker, and through a real Redis broker with one."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import uuid
from urllib.parse import urlsplit

import pytest
import redis

from dropline.celery import app
from dropline.core.tasks import worker_heartbeat
from tests.support.services import need

REDIS_URL = os.environ.get("REDIS_URL", "")


def _redis_reachable(url: str) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), 2):
            return True
    except OSError:
        return False


def test_without_a_broker_tasks_run_in_the_calling_process():
    assert app.conf.task_always_eager is True
    token = uuid.uuid4().hex
    assert worker_heartbeat.delay(token).get(timeout=1)["token"] == token


def _env(tmp_path, broker: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    return {
        **keep,
        "DJANGO_SETTINGS_MODULE": "dropline.settings",
        "DROPLINE_DEMO": "1",
        "DROPLINE_VAR_DIR": str(tmp_path),
        "CELERY_BROKER_URL": broker,
        "CELERY_RESULT_BACKEND": broker,
    }


@pytest.mark.redis
def test_a_task_goes_through_the_real_redis_broker_to_a_worker_and_back(tmp_path):
    need(bool(REDIS_URL) and _redis_reachable(REDIS_URL), "REDIS_URL is not set or not reachable")
    env = _env(tmp_path, REDIS_URL)
    worker = subprocess.Popen(
        [sys.executable, "-m", "dropline", "worker", "--concurrency", "1", "--loglevel", "WARNING"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        check = subprocess.run(
            [sys.executable, "-m", "dropline", "checkworker", "--timeout", "60"],
            env=env,
            capture_output=True,
            text=True,
            timeout=90,
            check=False,
        )
        assert check.returncode == 0, check.stderr
        assert "answered" in check.stdout
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


@pytest.mark.redis
def test_checkworker_says_so_when_no_worker_answers(tmp_path):
    need(bool(REDIS_URL) and _redis_reachable(REDIS_URL), "REDIS_URL is not set or not reachable")
    parts = urlsplit(REDIS_URL)
    # An empty database of the same server: no worker listens there.
    lonely = parts._replace(path="/14").geturl()
    try:
        check = subprocess.run(
            [sys.executable, "-m", "dropline", "checkworker", "--timeout", "2"],
            env=_env(tmp_path, lonely),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        redis.Redis.from_url(lonely).flushdb()  # drop the heartbeat nobody took
    assert check.returncode != 0
    assert "no worker answered" in check.stderr


def test_worker_refuses_to_start_without_a_broker(tmp_path):
    env = _env(tmp_path, "")
    result = subprocess.run(
        [sys.executable, "-m", "dropline", "worker"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "CELERY_BROKER_URL is not set" in result.stderr
