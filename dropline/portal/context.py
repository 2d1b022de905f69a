"""Template context every page needs: the provider's name and contact details, the
navigation, and for a signed-in person the notification bell and the outage/maintenance
banner.

The bell and the banner are lazy: they query only when a template shows them, so a
page that does not (the back-office, an anonymous visitor's sign-in page) pays nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property, partial
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.template import Context
from django.template.loader import get_template
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from dropline.accounts.models import User
from dropline.core.support import support_contact
from dropline.customers.models import AccountMember
from dropline.network.outages.queries import open_ended_announcements
from dropline.notifications.announcements import active_for_area
from dropline.notifications.inbox import unread_count
from dropline.portal.common import current_membership

# Each capability adds its section here when it works; none before. The notification
# pages are reached from the bell in the header and link to one another.
PORTAL_SECTIONS = [
    ("portal:overview", _("Overview")),
    ("services:index", _("Services")),
    ("channels:index", _("Channels")),
    ("usage:index", _("Data usage")),
    ("equipment:index", _("Equipment")),
    ("connection_check:index", _("Connection check")),
    ("outages:index", _("Outages")),
    ("speed_test:index", _("Speed test")),
    ("billing:overview", _("Billing")),
    ("plans:index", _("Plans")),
    ("accounts_portal:people", _("People")),
    ("security:index", _("Security")),
    ("help:index", _("Support")),
]

# URL namespaces of the customer's pages: the banner shows on these only.
PORTAL_NAMESPACES = frozenset(
    {
        "portal",
        "billing",
        "notifications",
        "security",
        "security_activity",
        "accounts_portal",
        "services",
        "channels",
        "changes",
        "orders",
        "payments",
        "payment_methods",
        "usage",
        "connection_check",
        "equipment",
        "speed_test",
    }
)
# Pages that list the notices themselves, where the banner would only repeat them.
BANNERLESS_VIEWS = frozenset({"notifications:inbox"})
BANNER_TEMPLATE = "portal/notifications/_banner.html"


class NotificationBell:
    """The header's link to the notification center; counts unread messages once, on use."""

    def __init__(self, *, user: User, current: bool) -> None:
        self._user = user
        self.current = current

    @cached_property
    def unread(self) -> int:
        return unread_count(user=self._user)


@dataclass(frozen=True)
class BannerItem:
    kind: str
    kind_label: str
    title: str
    body: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    # False for an outage whose expected end is not known yet (the notice's window end
    # is only how long the banner stays).
    ends_known: bool = True


class AnnouncementBanner:
    """Outages and maintenance in the service area of the account being looked at.

    Shown with ``{% include portal_banner %}``: Django's include renders any object
    with a ``render(context)`` method, which lets the banner reuse the ``membership``
    a view already put in the page's context instead of looking it up again.
    """

    def __init__(self, request: HttpRequest) -> None:
        self._request = request

    def _membership(self, context: Context) -> AccountMember | None:
        given = context.get("membership")
        if isinstance(given, AccountMember):
            return given
        return current_membership(self._request)

    def items(self, context: Context) -> list[BannerItem]:
        membership = self._membership(context)
        if membership is None:
            return []
        language = get_language() or settings.LANGUAGE_CODE
        area_id = membership.account.service_address.service_area_id
        active = active_for_area(service_area_id=area_id)
        open_ended = open_ended_announcements(announcement_ids=[a.pk for a in active])
        return [
            BannerItem(
                kind=announcement.kind,
                kind_label=announcement.get_kind_display(),
                title=announcement.title(language),
                body=announcement.body(language),
                starts_at=announcement.starts_at,
                ends_at=announcement.ends_at,
                ends_known=announcement.pk not in open_ended,
            )
            for announcement in active
        ]

    def render(self, context: Context) -> str:
        items = self.items(context)
        if not items:
            return ""
        return get_template(BANNER_TEMPLATE).render({"announcements": items})


def portal_navigation(current: str) -> list[dict[str, Any]]:
    """The portal's menu, the page ``current`` (a view name) marked."""
    return [
        {"url": reverse(name), "label": label, "current": name == current}
        for name, label in PORTAL_SECTIONS
    ]


def portal(request: HttpRequest) -> dict[str, Any]:
    match = request.resolver_match
    current = match.view_name if match else ""
    context: dict[str, Any] = {
        "provider_name": settings.DROPLINE_PROVIDER_NAME,
        # A callable: the template calls it only where it shows the menu (signed in),
        # so the sign-in page and the messages rendered at a sign-in skip the URLs.
        "portal_nav": partial(portal_navigation, current),
        "support": support_contact(),
    }
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and isinstance(user, User):
        context["notification_bell"] = NotificationBell(
            user=user, current=current == "notifications:inbox"
        )
        if (
            match is not None
            and match.namespace in PORTAL_NAMESPACES
            and current not in BANNERLESS_VIEWS
        ):
            context["portal_banner"] = AnnouncementBanner(request)
    return context
