"""Bounded pagination: page numbers for web pages, keyset (cursor) pages for the API.

Neither ever counts a whole table. A numbered page reads one row more than it shows
(to know whether there is a next page) and goes at most ``max_pages`` deep, so every
OFFSET stays small; a page number that is junk is the first page, one too far the
last offered. A page that says "page 3 of N" gets N from :func:`page_count`, a COUNT
that stops at ``max_pages`` pages of rows. A keyset page reads the rows after a cursor
(the last key shown) on an ordered unique key, ``limit`` rows (capped) plus one.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from django.core import signing
from django.db.models import Model, QuerySet

T = TypeVar("T")
U = TypeVar("U")
M = TypeVar("M", bound=Model)

_CURSOR_SALT = "dropline.core.pagination.cursor"


# A QuerySet or a list: sliced without reading the rest.
Rows = Sequence[T] | QuerySet[Any, T]


class InvalidCursorError(ValueError):
    """A cursor this server did not make (or made for another list)."""


# --- page numbers ---------------------------------------------------------------------


def page_number(text: str | int | None, *, max_pages: int) -> int:
    """The page a link asks for, forgiving: junk is the first page, too far the last."""
    try:
        number = int(text or 1)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), max_pages)


@dataclasses.dataclass(frozen=True)
class NumberedPage(Generic[T]):
    rows: list[T]
    number: int
    has_previous: bool
    has_next: bool
    at_limit: bool  # more rows exist past the last page offered

    @property
    def previous_number(self) -> int:
        return self.number - 1

    @property
    def next_number(self) -> int:
        return self.number + 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    def map(self, rows: list[U]) -> NumberedPage[U]:
        """The same page with other rows (the rows made into what the page shows)."""
        return NumberedPage(
            rows=rows,
            number=self.number,
            has_previous=self.has_previous,
            has_next=self.has_next,
            at_limit=self.at_limit,
        )


def numbered_page(
    rows: Rows[T], *, number: str | int | None, size: int, max_pages: int
) -> NumberedPage[T]:
    """Page ``number`` (1 is the first) of ``size`` rows, in one query and no COUNT."""
    if size < 1 or max_pages < 1:
        raise ValueError("a page holds at least one row, and there is at least one page")
    page = page_number(number, max_pages=max_pages)
    start = (page - 1) * size
    found = list(rows[start : start + size + 1])
    more = len(found) > size
    return NumberedPage(
        rows=found[:size],
        number=page,
        has_previous=page > 1,
        has_next=more and page < max_pages,
        at_limit=more and page == max_pages,
    )


def page_count(rows: Rows[Any], *, size: int, max_pages: int) -> int:
    """How many pages of ``size`` the rows fill: at least 1, at most ``max_pages``,
    counting no more than ``max_pages * size`` rows (a COUNT over a LIMIT)."""
    if size < 1 or max_pages < 1:
        raise ValueError("a page holds at least one row, and there is at least one page")
    cap = max_pages * size
    total = rows[:cap].count() if isinstance(rows, QuerySet) else min(len(rows), cap)
    return max(1, math.ceil(total / size))


# --- keyset pages -------------------------------------------------------------------------


def clamp_limit(limit: int | None, *, default: int, maximum: int) -> int:
    """The page size asked for, at least 1 and at most ``maximum``; ``default`` if none."""
    if limit is None:
        return min(default, maximum)
    return min(max(limit, 1), maximum)


@dataclasses.dataclass(frozen=True)
class KeysetPage(Generic[M]):
    rows: list[M]
    next_key: int | None  # the last key shown, when more rows follow; else None

    @property
    def next_cursor(self) -> str | None:
        """``next_key`` as an opaque, signed cursor."""
        return encode_cursor(self.next_key) if self.next_key is not None else None


def keyset_page(
    rows: QuerySet[M],
    *,
    after: int | None,
    limit: int | None,
    default_limit: int,
    max_limit: int,
    field: str = "pk",
    descending: bool = True,
) -> KeysetPage[M]:
    """The rows after key ``after`` (none: from the start), ordered on ``field`` (an
    integer, unique: the primary key), newest first unless ``descending`` is False."""
    size = clamp_limit(limit, default=default_limit, maximum=max_limit)
    queryset = rows
    if after is not None:
        lookup = f"{field}__lt" if descending else f"{field}__gt"
        queryset = queryset.filter(**{lookup: after})
    queryset = queryset.order_by(f"-{field}" if descending else field)
    found = list(queryset[: size + 1])
    more = len(found) > size
    shown = found[:size]
    next_key = _key_of(shown[-1], field) if more else None
    return KeysetPage(rows=shown, next_key=next_key)


def _key_of(row: Model, field: str) -> int:
    value = row.pk if field == "pk" else getattr(row, field)
    return int(value)


def encode_cursor(key: int) -> str:
    """An opaque cursor for ``key``: signed, so a client can only hand back what it got."""
    return signing.dumps(key, salt=_CURSOR_SALT, compress=False)


def decode_cursor(cursor: str | None) -> int | None:
    """The key in a cursor from :func:`encode_cursor`; None for no cursor (the first
    page); ``InvalidCursorError`` for one this server did not make."""
    if not cursor:
        return None
    try:
        value = signing.loads(cursor, salt=_CURSOR_SALT)
    except signing.BadSignature:
        raise InvalidCursorError("not a cursor from this list") from None
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidCursorError("not a cursor from this list")
    return value
