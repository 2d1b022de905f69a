"""Argon2id at OWASP's parameters.

Django's own Argon2 hasher uses 100 MiB and 8 lanes, about 200 ms a sign-in on
two cores; OWASP's minimum (19 MiB, t=2, p=1) is the recommended balance. The
algorithm name stays ``argon2`` so hashes made with other parameters are
re-hashed at the next successful sign-in (``must_update``).
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
