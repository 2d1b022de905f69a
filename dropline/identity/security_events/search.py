"""Reading security events: a person's own, and everyone's for staff."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db.models import Q, QuerySet

from dropline.accounts.models import SecurityEvent, User
from dropline.customers.models import AccountMember


def events_for(*, user: User) -> QuerySet[SecurityEvent]:
    """The person's own events, newest first (never anyone else's)."""
    return SecurityEvent.objects.filter(user=user).order_by("-at", "-id")


@dataclass(frozen=True)
class SearchFilters:
    """Staff search: every filter optional, all combined."""

    account_number: str = ""
    username: str = ""
    email: str = ""
    ip: str = ""
    kind: str = ""
    since: dt.date | None = None
    until: dt.date | None = None

    def is_empty(self) -> bool:
        return not any((self.account_number, self.username, self.email, self.ip, self.kind)) and (
            self.since is None and self.until is None
        )


def _start_of_day(day: dt.date) -> dt.datetime:
    """Midnight of ``day`` in the provider's time zone."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def search(*, filters: SearchFilters) -> QuerySet[SecurityEvent]:
    """Everyone's events for staff, newest first; dates are the provider's days."""
    found = SecurityEvent.objects.select_related("user").order_by("-at", "-id")
    if filters.account_number:
        members = AccountMember.objects.filter(account__number=filters.account_number)
        found = found.filter(user_id__in=members.values("user_id"))
    if filters.username:
        found = found.filter(user__username__iexact=filters.username)
    if filters.email:
        by_address = EmailAddress.objects.filter(email__iexact=filters.email).values("user_id")
        found = found.filter(Q(user__email__iexact=filters.email) | Q(user_id__in=by_address))
    if filters.ip:
        found = found.filter(ip=filters.ip)
    if filters.kind:
        found = found.filter(kind=filters.kind)
    if filters.since is not None:
        found = found.filter(at__gte=_start_of_day(filters.since))
    if filters.until is not None:
        found = found.filter(at__lt=_start_of_day(filters.until + dt.timedelta(days=1)))
    return found
