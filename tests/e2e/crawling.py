"""Finding pages by following links, the way a person browsing would.

A crawl starts from a few entry points (the home page and its navigation) and opens
every same-origin link it meets with GET, so a new page is visited as soon as
something links to it. It never follows a link that signs out, deletes, downloads or
leaves the area being crawled, and it is bounded: a few pages of each shape (the same
path with another id, filter or page number), a limit per section (the first two
segments of the path, such as /backoffice/admin/) and one in all.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urldefrag, urlsplit

if TYPE_CHECKING:
    from playwright.sync_api import Page, Response

# Every link on the page, except ones that download a file.
LINKS = """() => [...document.querySelectorAll("a[href]:not([download])")].map((a) => a.href)"""

# Never pages to check, or not safe to open by following a link: files, the API and
# the app's sign-in endpoints, the language switch (a form), health probes.
NOT_PAGES = ("/static/", "/media/", "/api/", "/_allauth/", "/i18n/", "/healthz", "/readyz")
# Links that change something or end the session, even when they are GET.
STATE_CHANGING = re.compile(r"log-?out|sign-?out|/delete/|/remove/|/revoke/", re.IGNORECASE)
DOWNLOADS = re.compile(r"\.(csv|pdf|txt|json|xml|zip|ics|vcf|png|jpe?g|svg)$|/export", re.I)
NOT_PAGE_QUERIES = {"next", "_popup", "_to_field"}
# A path segment that is an id: a number, a long token, or anything with a digit.
ID_SEGMENT = re.compile(r"^(?=.*\d)[\w.-]+$|^[\w-]{16,}$")


# Pages of one template named by a word rather than an id: a help article or topic
# (``tests/helpdesk/help/test_shipped_words.py`` reads every shipped article's words).
NAMED_BY_SLUG = ("/support/articles/", "/support/topics/")


def shape(url: str) -> str:
    """The page ``url`` is one of, whatever the id or the query (a filter, a sort
    order, a page number): ``/backoffice/customers/1001/?page=2`` ->
    ``/backoffice/customers/{}/``; ``/support/articles/autopay/`` ->
    ``/support/articles/{}/``."""
    path = urlsplit(url).path
    for prefix in NAMED_BY_SLUG:
        if path.startswith(prefix) and path != prefix:
            rest = path.removeprefix(prefix).split("/", 1)
            return prefix + "{}/" + (rest[1] if len(rest) > 1 else "")
    return "/".join("{}" if ID_SEGMENT.match(seg) else seg for seg in path.split("/"))


def section(url: str, depth: int = 2) -> str:
    """The first ``depth`` path segments: ``/backoffice/customers/``, ``/accounts/2fa/``."""
    segments = [seg for seg in urlsplit(url).path.split("/") if seg][:depth]
    return "/" + "".join(f"{seg}/" for seg in segments)


@dataclass
class Crawl:
    """Which links a crawl follows, and how far it goes.

    ``within``: the path prefixes the crawl stays in (empty: the whole site).
    ``skipped``: path prefixes it never opens. The limits keep it fast on a large
    site: ``per_shape`` pages of one shape, ``per_section`` pages per section and
    ``max_pages`` in all."""

    origin: str
    within: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()
    per_shape: int = 2
    per_section: int = 30
    max_pages: int = 100
    visited: list[str] = field(default_factory=list)
    _queued: set[str] = field(default_factory=set)
    _shapes: Counter[str] = field(default_factory=Counter)
    _sections: Counter[str] = field(default_factory=Counter)

    def followable(self, url: str) -> str | None:
        """The page ``url`` names, if the crawl should open it."""
        url, _fragment = urldefrag(url)
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != self.origin:
            return None
        path = parts.path
        if self.within and not path.startswith(self.within):
            return None
        if path.startswith(NOT_PAGES + self.skipped):
            return None
        if STATE_CHANGING.search(path) or DOWNLOADS.search(path):
            return None
        # "?next=" sends back where the link was found: the page, or a loop of it. The
        # Django admin's pop-up windows are parts of its forms, not pages.
        if any(key in NOT_PAGE_QUERIES for key, _value in parse_qsl(parts.query)):
            return None
        return url

    def admit(self, url: str) -> bool:
        """Count ``url`` against the limits; False once its shape or section is full."""
        if self._shapes[shape(url)] >= self.per_shape:
            return False
        if self._sections[section(url)] >= self.per_section:
            return False
        self._shapes[shape(url)] += 1
        self._sections[section(url)] += 1
        return True

    def run(
        self,
        page: Page,
        start: Iterable[str],
        visit: Callable[[str, Response | None], None],
    ) -> list[str]:
        """Open ``start`` and every page reachable from it. ``visit(url, response)`` is
        called on each as soon as it is loaded, to check it (or to get past a "confirm
        your password" step); the links are collected after it. Returns the pages
        opened, in order."""
        queue = [self.origin + path for path in start]
        self._queued.update(queue)
        while queue and len(self.visited) < self.max_pages:
            url = queue.pop(0)
            if not self.admit(url):
                continue
            self.visited.append(url)
            response = page.goto(url)
            visit(url, response)
            for link in page.evaluate(LINKS):
                target = self.followable(link)
                if target and target not in self._queued:
                    self._queued.add(target)
                    queue.append(target)
        return self.visited
