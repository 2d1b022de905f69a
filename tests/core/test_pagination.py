"""Bounded pagination: numbered pages without a COUNT, keyset pages for the API."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings
from hypothesis import strategies as st

from dropline.core import clock, pagination
from dropline.core.models import AuditEvent


def events(n: int) -> list[AuditEvent]:
    now = clock.now()
    return AuditEvent.objects.bulk_create(
        AuditEvent(created_at=now, action=f"test.{i}") for i in range(n)
    )


# --- numbered pages -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [(None, 1), ("", 1), ("junk", 1), ("0", 1), ("-3", 1), ("2", 2), (7, 7), ("99", 10)],
)
def test_a_page_number_is_forgiving(text, expected):
    assert pagination.page_number(text, max_pages=10) == expected


@settings(deadline=None)
@given(
    total=st.integers(0, 300),
    size=st.integers(1, 30),
    max_pages=st.integers(1, 12),
    asked=st.one_of(st.none(), st.integers(-5, 20), st.text(max_size=3)),
)
def test_numbered_pages_show_each_row_once_up_to_the_last_page_offered(
    total, size, max_pages, asked
):
    rows = list(range(total))
    page = pagination.numbered_page(rows, number=asked, size=size, max_pages=max_pages)
    assert 1 <= page.number <= max_pages
    start = (page.number - 1) * size
    assert page.rows == rows[start : start + size]
    assert page.has_previous == (page.number > 1)
    more = total > start + size
    assert page.has_next == (more and page.number < max_pages)
    assert page.at_limit == (more and page.number == max_pages)
    assert page.has_other_pages == (page.has_previous or page.has_next)
    # Walking "next" from page 1 lists every row up to the limit once, in order.
    seen: list[int] = []
    current = pagination.numbered_page(rows, number=1, size=size, max_pages=max_pages)
    while True:
        seen.extend(current.rows)
        if not current.has_next:
            break
        current = pagination.numbered_page(
            rows, number=current.next_number, size=size, max_pages=max_pages
        )
    assert seen == rows[: size * max_pages]


def test_a_page_size_of_nothing_is_refused():
    with pytest.raises(ValueError, match="at least one"):
        pagination.numbered_page([1], number=1, size=0, max_pages=1)


@pytest.mark.django_db
def test_a_numbered_page_of_a_queryset_is_one_query_and_no_count():
    events(60)
    rows = AuditEvent.objects.order_by("-pk")
    with CaptureQueriesContext(connection) as queries:
        page = pagination.numbered_page(rows, number="2", size=25, max_pages=40)
    assert len(queries.captured_queries) == 1
    assert "COUNT(" not in queries.captured_queries[0]["sql"].upper()
    assert [e.pk for e in page.rows] == list(rows.values_list("pk", flat=True)[25:50])
    assert page.has_next
    assert page.map([e.action for e in page.rows]).rows[0] == page.rows[0].action


@pytest.mark.parametrize(
    ("total", "expected"), [(0, 1), (1, 1), (25, 1), (26, 2), (75, 3), (76, 3), (1000, 3)]
)
def test_a_page_count_is_at_least_one_and_at_most_the_last_page_offered(total, expected):
    assert pagination.page_count(list(range(total)), size=25, max_pages=3) == expected


@pytest.mark.django_db
def test_a_page_count_of_a_queryset_counts_no_further_than_the_last_page():
    events(60)
    rows = AuditEvent.objects.order_by("-pk")
    assert pagination.page_count(rows, size=25, max_pages=40) == 3
    with CaptureQueriesContext(connection) as queries:
        assert pagination.page_count(rows, size=10, max_pages=2) == 2
    assert len(queries.captured_queries) == 1
    sql = queries.captured_queries[0]["sql"].upper()
    assert "COUNT(" in sql
    assert "LIMIT 20" in sql


# --- keyset pages ---------------------------------------------------------------------------


@settings(deadline=None)
@given(limit=st.one_of(st.none(), st.integers(-10, 500)))
def test_the_limit_asked_for_is_capped(limit):
    size = pagination.clamp_limit(limit, default=50, maximum=100)
    assert 1 <= size <= 100
    if limit is None:
        assert size == 50
    else:
        assert size == min(max(limit, 1), 100)


@pytest.mark.django_db
@pytest.mark.parametrize("descending", [True, False])
def test_keyset_pages_walk_every_row_once(descending):
    made = sorted(e.pk for e in events(23))
    expected = list(reversed(made)) if descending else made
    seen: list[int] = []
    after: int | None = None
    pages = 0
    while True:
        page = pagination.keyset_page(
            AuditEvent.objects.all(),
            after=after,
            limit=5,
            default_limit=50,
            max_limit=100,
            descending=descending,
        )
        pages += 1
        seen.extend(e.pk for e in page.rows)
        if page.next_key is None:
            break
        assert pagination.decode_cursor(page.next_cursor) == page.next_key
        after = page.next_key
    assert seen == expected
    assert pages == 5


@pytest.mark.django_db
def test_a_keyset_page_reads_one_row_more_and_stops_at_the_cap():
    events(8)
    with CaptureQueriesContext(connection) as queries:
        page = pagination.keyset_page(
            AuditEvent.objects.all(), after=None, limit=1000, default_limit=5, max_limit=6
        )
    assert len(page.rows) == 6
    assert page.next_key == page.rows[-1].pk
    assert len(queries.captured_queries) == 1
    assert "LIMIT 7" in queries.captured_queries[0]["sql"]


@pytest.mark.django_db
def test_a_last_page_has_no_cursor():
    events(3)
    page = pagination.keyset_page(
        AuditEvent.objects.all(), after=None, limit=3, default_limit=3, max_limit=3
    )
    assert len(page.rows) == 3
    assert page.next_key is None
    assert page.next_cursor is None


def test_a_cursor_is_opaque_and_cannot_be_forged():
    cursor = pagination.encode_cursor(41)
    assert "41" not in cursor.split(":")[-1]  # the signature part says nothing
    assert pagination.decode_cursor(cursor) == 41
    assert pagination.decode_cursor(None) is None
    assert pagination.decode_cursor("") is None
    for forged in ["41", cursor[:-1] + ("A" if cursor[-1] != "A" else "B"), "a:b"]:
        with pytest.raises(pagination.InvalidCursorError):
            pagination.decode_cursor(forged)
