"""Helpers shared by several back-office features: bounded pages for long lists, and
the Content-Security-Policy for pages that show rendered e-mail HTML."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from django.db.models import Model, QuerySet
from django.http import HttpResponse

from dropline.core.security import CONTENT_SECURITY_POLICY

PAGE_SIZE = 50
# Pages past this are refused: narrow the filters instead. Keeps every page's
# OFFSET small and the log free of a COUNT over the whole outbox.
MAX_PAGES = 100


def _rendered_html_policy() -> str:
    """The site's Content-Security-Policy, adjusted for pages that show rendered
    e-mail HTML in a sandboxed ``srcdoc`` frame, which inherits the page's policy:
    the e-mail's inline styles may apply, and there is no ``frame-ancestors`` (the
    frame would inherit it and refuse to show; X-Frame-Options still keeps the
    page itself out of other sites' frames). Scripts, other origins and remote
    images stay blocked, for the page and the frame alike."""
    directives = []
    for directive in CONTENT_SECURITY_POLICY.split(";"):
        name = directive.split()[0]
        if name == "frame-ancestors":
            continue
        directives.append("style-src 'self' 'unsafe-inline'" if name == "style-src" else directive)
    return "; ".join(d.strip() for d in directives)


RENDERED_HTML_POLICY = _rendered_html_policy()

RowT = TypeVar("RowT", bound=Model)


@dataclass(frozen=True)
class BoundedPage(Generic[RowT]):
    rows: list[RowT]
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


def bounded_page(queryset: QuerySet[RowT], *, page: str | None) -> BoundedPage[RowT]:
    """One page of ``PAGE_SIZE`` rows in one query (no COUNT), at most ``MAX_PAGES`` deep."""
    try:
        number = min(max(int(page or 1), 1), MAX_PAGES)
    except ValueError:
        number = 1
    start = (number - 1) * PAGE_SIZE
    rows = list(queryset[start : start + PAGE_SIZE + 1])
    more = len(rows) > PAGE_SIZE
    return BoundedPage(
        rows=rows[:PAGE_SIZE],
        number=number,
        has_previous=number > 1,
        has_next=more and number < MAX_PAGES,
        at_limit=more and number == MAX_PAGES,
    )


def with_rendered_html_policy(response: HttpResponse) -> HttpResponse:
    response["Content-Security-Policy"] = RENDERED_HTML_POLICY
    return response
