"""How fast the speed test's download makes its bytes, against the floors.

    .venv/bin/python -m bench.speed_test --megabytes 512

The download endpoint streams incompressible bytes cut at random places from a pool of
random bytes made once per process (``portal/speed_test/transfer.py``), so one web
process can feed a fast line without making randomness per request. Timed, in one
process, with no server: ``_pieces(size)`` as the response streams them (MB/s), against
two floors measured in the same run: copying slices of the pool in order (what cutting
at random places costs on top), and ``os.urandom`` for the same bytes (why the pool).
"""

from __future__ import annotations

import argparse
import os
import secrets
import time
from collections.abc import Callable, Iterator

PIECE = 64 * 2**10


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--megabytes", type=int, default=512, help="bytes made per way (MB)")
    return parser.parse_args(argv)


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dropline.settings")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("ALLOWED_HOSTS", "localhost")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def rate(make: Callable[[int], Iterator[bytes]], size: int) -> float:
    """MB/s making ``size`` bytes with ``make``."""
    started = time.perf_counter()
    made = sum(len(piece) for piece in make(size))
    elapsed = time.perf_counter() - started
    assert made == size
    return size / 1e6 / elapsed


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    setup()
    from dropline.portal.speed_test import transfer

    size = args.megabytes * 10**6
    pool = transfer._pool()

    def in_order(n: int) -> Iterator[bytes]:
        offset, left = 0, n
        while left:
            step = min(PIECE, left, transfer.POOL_BYTES - offset)
            yield bytes(pool[offset : offset + step])
            offset = (offset + step) % transfer.POOL_BYTES
            left -= step

    def fresh(n: int) -> Iterator[bytes]:
        left = n
        while left:
            step = min(PIECE, left)
            yield os.urandom(step)
            left -= step

    pieces = rate(transfer._pieces, size)
    floor = rate(in_order, size)
    urandom = rate(fresh, size)
    print(f"download bytes, {args.megabytes} MB in 64 KiB pieces")
    print(f"  cut at random from the pool  {pieces:8.0f} MB/s  ({pieces * 8 / 1000:.1f} Gbps)")
    print(f"  floor: the pool in order     {floor:8.0f} MB/s  (cuts: {pieces / floor:.2f}x)")
    print(f"  os.urandom per piece         {urandom:8.0f} MB/s  ({pieces / urandom:.1f}x slower)")


if __name__ == "__main__":
    main()
