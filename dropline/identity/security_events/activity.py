"""A person's "Security activity": their own sign-ins, failed attempts and changes to how
they sign in, newest first, a page at a time. The web page and the app's API show the
same pages.

Only the person's own events are read (the person is in the query), so nobody else's
ever appear. A page is a ``core.pagination`` numbered page: one query without a COUNT
(one row more than the page says whether an older page exists), at most ``MAX_PAGES``
deep.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dropline.accounts.models import SecurityEvent, SecurityEventKind, User
from dropline.core import pagination
from dropline.identity.security_events.describe import describe
from dropline.identity.security_events.search import events_for

PAGE_SIZE = 25
MAX_PAGES = 40

FAILURES = frozenset(
    {
        SecurityEventKind.SIGN_IN_FAILED,
        SecurityEventKind.SECOND_FACTOR_FAILED,
        SecurityEventKind.LOCKED_OUT,
        SecurityEventKind.RATE_LIMITED,
    }
)


@dataclass(frozen=True)
class ActivityRow:
    event: SecurityEvent
    what: str
    device: str
    this_device: bool
    failed: bool

    @property
    def at(self) -> dt.datetime:
        return self.event.at

    @property
    def new_device(self) -> bool:
        """A sign-in from a device never seen on this login before (it was alerted)."""
        return bool((self.event.data or {}).get("new_device"))


# A page of rows; ``at_limit``: older events exist but are not listed.
ActivityPage = pagination.NumberedPage[ActivityRow]


def page_number(text: str | None) -> int:
    """The page a link asks for, forgiving: junk is the first page, too far the last."""
    return pagination.page_number(text, max_pages=MAX_PAGES)


def activity_page(*, user: User, number: int, current_fingerprint: str) -> ActivityPage:
    """Page ``number`` (1 is the newest) of ``user``'s events, in the current language.

    ``current_fingerprint`` is the asking device's (``devices.parse_user_agent``); its
    events are marked as this device's.
    """
    page = pagination.numbered_page(
        events_for(user=user), number=number, size=PAGE_SIZE, max_pages=MAX_PAGES
    )
    return page.map(
        [
            ActivityRow(
                event=event,
                what=describe(event),
                device=event.device_label,
                this_device=bool(event.device_fingerprint)
                and event.device_fingerprint == current_fingerprint,
                failed=event.kind in FAILURES,
            )
            for event in page.rows
        ]
    )
