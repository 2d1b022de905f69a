"""The back-office home's "needs attention" tiles. Each is a real count with a link
to the list that shows those records; a staff member sees the tiles their
permissions open. A domain adds its tile by adding one entry to ``TILES``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from dropline.accounts.models import User
from dropline.billing import search as billing_search
from dropline.billing.models import BillRunStatus
from dropline.core import clock
from dropline.helpdesk.tickets import queries as ticket_queries
from dropline.notifications import queries as notification_queries
from dropline.notifications.models import MessageStatus
from dropline.payments import collections
from dropline.payments.disputes import queries as dispute_queries
from dropline.usage import status as usage_status


@dataclass(frozen=True)
class Tile:
    """``count()`` is the number of records; ``describe(count)`` says what they are;
    ``link()`` opens the filtered list."""

    name: str
    permission: str
    count: Callable[[], int]
    describe: Callable[[int], str]
    link: Callable[[], str]
    link_label: Promise


@dataclass(frozen=True)
class ShownTile:
    name: str
    count: int
    text: str
    url: str
    link_label: str


def _failed_messages() -> int:
    return notification_queries.failed_since(since=clock.now() - dt.timedelta(hours=24))


def _current_announcements() -> int:
    return notification_queries.current_announcements(at=clock.now()).count()


TILES: list[Tile] = [
    Tile(
        name="failed_messages",
        permission="notifications.view_message",
        count=_failed_messages,
        describe=lambda n: ngettext(
            "message failed delivery in the last 24 hours",
            "messages failed delivery in the last 24 hours",
            n,
        ),
        link=lambda: (
            f"{reverse('backoffice:messages')}?"
            f"{urlencode({'status': MessageStatus.FAILED, 'created': '24h'})}"
        ),
        link_label=_("See failed messages"),
    ),
    Tile(
        name="current_announcements",
        permission="notifications.view_announcement",
        count=_current_announcements,
        describe=lambda n: ngettext(
            "outage or maintenance going on now",
            "outages or maintenance windows going on now",
            n,
        ),
        link=lambda: f"{reverse('backoffice:announcements')}?{urlencode({'current': '1'})}",
        link_label=_("See current announcements"),
    ),
    Tile(
        name="stopped_bill_runs",
        permission="billing.view_billrun",
        count=billing_search.stopped_runs_count,
        describe=lambda n: ngettext(
            "bill run stopped with failures",
            "bill runs stopped with failures",
            n,
        ),
        link=lambda: (
            f"{reverse('backoffice:bill_runs')}?{urlencode({'status': BillRunStatus.FAILED})}"
        ),
        link_label=_("See stopped bill runs"),
    ),
    Tile(
        name="disputes_past_due",
        permission="payments.view_dispute",
        count=dispute_queries.open_past_due_count,
        describe=lambda n: ngettext(
            "open dispute past its answer date",
            "open disputes past their answer date",
            n,
        ),
        link=lambda: reverse("backoffice:disputes"),
        link_label=_("See the disputes queue"),
    ),
    Tile(
        name="suspended_accounts",
        permission="payments.view_collections",
        count=collections.suspended_count,
        describe=lambda n: ngettext(
            "account with its services suspended for an unpaid balance",
            "accounts with their services suspended for an unpaid balance",
            n,
        ),
        link=lambda: f"{reverse('backoffice:collections')}?{urlencode({'step': 'suspended'})}",
        link_label=_("See the collections list"),
    ),
    Tile(
        name="usage_kept_aside",
        permission="usage.map_usernames",
        count=usage_status.kept_usernames_count,
        describe=lambda n: ngettext(
            "username with usage kept aside (no service has it)",
            "usernames with usage kept aside (no service has them)",
            n,
        ),
        link=lambda: reverse("backoffice:usage_unknown"),
        link_label=_("See unknown usernames"),
    ),
    Tile(
        name="usage_silent_collectors",
        permission="usage.view_collector",
        count=usage_status.silent_collectors_count,
        describe=lambda n: ngettext(
            "collector silent for more than 15 minutes",
            "collectors silent for more than 15 minutes",
            n,
        ),
        link=lambda: reverse("backoffice:usage_collectors"),
        link_label=_("See collectors"),
    ),
    Tile(
        name="usage_rejections",
        permission="usage.view_usagerecord",
        count=usage_status.rejections_last_hour,
        describe=lambda n: ngettext(
            "usage record rejected in the last hour",
            "usage records rejected in the last hour",
            n,
        ),
        link=lambda: f"{reverse('backoffice:usage_status')}#rejections",
        link_label=_("See the ingest status"),
    ),
    Tile(
        name="tickets_overdue",
        permission="helpdesk.view_ticket",
        count=ticket_queries.overdue_count,
        describe=lambda n: ngettext(
            "ticket waiting for us past its answer time",
            "tickets waiting for us past their answer time",
            n,
        ),
        link=lambda: f"{reverse('backoffice:tickets')}?{urlencode({'overdue': 'on'})}",
        link_label=_("See overdue tickets"),
    ),
]


def tiles_for(user: User) -> list[ShownTile]:
    """The tiles ``user`` may see, counted now."""
    shown = []
    for tile in TILES:
        if not user.has_perm(tile.permission):
            continue
        count = tile.count()
        shown.append(
            ShownTile(
                name=tile.name,
                count=count,
                text=tile.describe(count),
                url=tile.link(),
                link_label=str(tile.link_label),
            )
        )
    return shown
