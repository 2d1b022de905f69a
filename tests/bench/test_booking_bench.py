"""``bench.booking`` run tiny on SQLite: the benchmark of technician-visit booking
still runs end to end (its own checks of the places included) as the field domain
changes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_booking_benchmark_runs_tiny_on_sqlite() -> None:
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DATABASE_URL", "REDIS_URL"} and not name.startswith("DROPLINE_")
    }
    env["PYTHONPATH"] = str(ROOT)
    argv = [sys.executable, "-m", "bench.booking", "--capacity", "1", "--places", "1"]
    argv += ["--racers", "2", "--rounds", "1", "--reads", "2", "--no-progress"]
    done = subprocess.run(
        argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    printed = done.stdout[-3000:] + done.stderr[-3000:]
    assert done.returncode == 0, printed
    assert "ratio: a booking costs" in done.stdout
    assert "won: 1 (each round exactly 1), refused: 1" in done.stdout
