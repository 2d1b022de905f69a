"""How many examples a property test that reaches the database draws.

The suite runs twice in CI: on SQLite, then on PostgreSQL with only the tests that reach
the database (``DROPLINE_TESTS=database``). A property is explored in full on the first
run; the second checks the same property against the other database's behaviour
(locking, types, constraints) with a quarter of the examples, at least five.
"""

from __future__ import annotations

import os


def examples(count: int) -> int:
    if os.environ.get("DROPLINE_TESTS") == "database":
        return max(5, count // 4)
    return count
