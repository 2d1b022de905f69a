"""Django's database sessions, written once per sign-in instead of three times.

Django's database ``SessionStore`` looks a new key up before using it, and at a
sign-in (``cycle_key``) inserts the session under its new key at once, only to update
the same row when the response is sent. This store takes a new key without the look-up
(a clash is astronomically unlikely with 32 random characters, and the ``INSERT``
refuses one anyway: ``create`` then tries another key, as Django's does), and a sign-in's
new key is only written when the response saves the session: one ``INSERT`` in place
of a look-up, an ``INSERT`` and an ``UPDATE``. A single statement needs no transaction
of its own, so none is opened outside one.

Everything else (expiry, ``clearsessions``, the ``django_session`` table) is Django's.
"""

from __future__ import annotations

import contextlib
from typing import Any

from django.contrib.sessions.backends.base import VALID_KEY_CHARS, CreateError, UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import DatabaseError, IntegrityError, connections, router, transaction
from django.utils.crypto import get_random_string


class SessionStore(DatabaseSessionStore):
    def __init__(self, session_key: str | None = None) -> None:
        super().__init__(session_key)
        self._written = session_key is not None  # a key from a cookie names a stored row

    def _get_new_session_key(self) -> str:
        return get_random_string(32, VALID_KEY_CHARS)

    def cycle_key(self) -> None:
        """A new key for the same data (at a sign-in), stored when the session is saved."""
        data = self._session  # type: ignore[attr-defined]  # SessionBase internals, not in the stubs
        old = self.session_key if self._written else None
        self._session_key = self._get_new_session_key()
        self._session_cache = data
        self._written = False
        self.modified = True
        if old:
            self.delete(old)

    def exists(self, session_key: str) -> bool:
        if session_key == self._session_key and not self._written:
            return True
        return bool(super().exists(session_key))

    def load(self) -> dict[str, Any]:
        if not self._written and self._session_key is not None:
            return {}
        return dict(super().load())

    def save(self, must_create: bool = False) -> None:
        if self.session_key is None:
            self.create()
            return
        if not self._written:
            must_create = True
        data = self._get_session(no_load=must_create)  # type: ignore[attr-defined]
        obj = self.create_model_instance(data)
        using = router.db_for_write(self.model, instance=obj)
        # One statement is atomic by itself; inside a transaction, a savepoint keeps a
        # refused INSERT from spoiling it.
        block = (
            transaction.atomic(using=using)
            if connections[using].in_atomic_block
            else contextlib.nullcontext()
        )
        try:
            with block:
                obj.save(force_insert=must_create, force_update=not must_create, using=using)
        except IntegrityError as exc:
            if must_create:
                raise CreateError from exc
            raise
        except DatabaseError as exc:
            if not must_create:
                raise UpdateError from exc
            raise
        self._written = True

    def delete(self, session_key: str | None = None) -> None:
        if session_key is None and not self._written:
            self._session_key = None
            return
        super().delete(session_key)
