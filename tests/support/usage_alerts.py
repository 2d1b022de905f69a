"""A household with an internet service on a plan with an allowance and overage blocks,
and its usage written straight into the usage tables (the ingest has its own tests):
a cycle's bytes, sessions and their raw records."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from django.utils import timezone

from dropline.accounts.models import User
from dropline.catalog.models import Plan
from dropline.customers.cycles import Cycle, cycle_containing
from dropline.customers.models import CustomerAccount, MemberRole, ServiceAddress, ServiceArea
from dropline.customers.onboarding import add_member, open_account
from dropline.notifications.contacts import add_verified_contact
from dropline.notifications.models import ContactKind
from dropline.subscriptions.models import Subscription
from dropline.subscriptions.ordering import subscribe
from dropline.usage.models import (
    GB,
    SessionStatus,
    Source,
    UsageCycle,
    UsageDay,
    UsageRecord,
    UsageSession,
)
from dropline.usage.partitions import ensure_for, forget
from tests.support.factories import make_user

_serial = itertools.count(1)

# The household's bill date is the 3rd: the cycle of Nov 20, 2026 runs Nov 3 to Dec 2.
BILL_DAY = 3
TODAY = dt.date(2026, 11, 20)
ALLOWANCE_GB = 1200  # 1.2 TB


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    """Noon (or ``hour``) of ``day`` in the provider's time zone."""
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_default_timezone())


NOW = at(TODAY)


def allowance_plan(
    *,
    code: str = "internet-1200",
    allowance_gb: int | None = ALLOWANCE_GB,
    block_gb: int | None = 50,
    block_cents: int = 1000,
    cap_cents: int | None = 10000,
    kind: str = "internet",
    **extra: object,
) -> Plan:
    """Internet with 1.2 TB a cycle, then $10.00 per 50 GB, at most $100.00 a cycle."""
    plan, _ = Plan.objects.get_or_create(
        code=code,
        defaults={
            "kind": kind,
            "name": "Internet 500",
            "name_es": "Internet 500 (es)",
            "monthly_price_cents": 7000,
            "data_allowance_gb": allowance_gb,
            "overage_block_gb": block_gb,
            "overage_block_cents": block_cents,
            "overage_cap_cents": cap_cents,
            **extra,
        },
    )
    return plan


@dataclass
class Household:
    account: CustomerAccount
    holder: User
    service: Subscription

    @property
    def cycle(self) -> Cycle:
        return cycle_containing(self.account.bill_cycle_day, TODAY)


def household(
    *,
    username: str = "rivera",
    plan: Plan | None = None,
    language: str = "en",
    phone: str = "+13195550142",
    opened_on: dt.date = dt.date(2026, 1, 3),
) -> Household:
    """An account (bill date the 3rd) whose holder has a verified email and mobile
    number, with one internet service on ``plan`` (the allowance plan by default)."""
    area, _ = ServiceArea.objects.get_or_create(code="river", defaults={"name": "Riverbend"})
    address = ServiceAddress.objects.create(
        line1=f"{next(_serial)} Meter Street",
        city="Riverbend",
        region="IA",
        postal_code="52240",
        service_area=area,
    )
    account = open_account(
        name=f"{username.title()} Household",
        service_address=address,
        bill_cycle_day=BILL_DAY,
        opened_on=opened_on,
        preferred_language=language,
    )
    holder = make_user(username=username, preferred_language=language)
    add_member(account=account, user=holder, role=MemberRole.HOLDER)
    add_verified_contact(user=holder, kind=ContactKind.EMAIL, address=holder.email, primary=True)
    if phone:
        add_verified_contact(user=holder, kind=ContactKind.PHONE, address=phone, primary=True)
    service = subscribe(account=account, plan=plan or allowance_plan(), started_on=opened_on)
    return Household(account=account, holder=holder, service=service)


def set_usage(
    service: Subscription, *, used_bytes: int, cycle: Cycle | None = None, credited: int = 0
) -> UsageCycle:
    """The service's cycle (today's by default) at ``used_bytes``, as if counted."""
    cycle = cycle or cycle_containing(service.account.bill_cycle_day, TODAY)
    row, _ = UsageCycle.objects.update_or_create(
        subscription=service,
        cycle_start=cycle.start,
        defaults={
            "cycle_end": cycle.end,
            "input_bytes": used_bytes // 10,
            "output_bytes": used_bytes - used_bytes // 10,
            "credited_bytes": credited,
        },
    )
    return row


def use_gb(service: Subscription, gb: float | int, **kwargs: object) -> UsageCycle:
    return set_usage(service, used_bytes=round(gb * GB), **kwargs)  # type: ignore[arg-type]


def ensure_partition(moment: dt.datetime) -> None:
    """On PostgreSQL, the month partition of ``usage_usagerecord`` for ``moment``. What
    the process remembers of partitions is forgotten first: a test's transaction rolls
    back the partitions it made, even those a captured commit callback remembered."""
    forget()
    ensure_for([moment])


def session(
    service: Subscription | None,
    *,
    key: str,
    started_at: dt.datetime,
    records: int = 3,
    step: dt.timedelta = dt.timedelta(minutes=10),
    bytes_per_record: int = 10**8,
    stopped: bool = False,
    nas: str = "bng-1",
    username: str = "",
) -> UsageSession:
    """A session of ``records`` interim updates ``step`` apart, each adding
    ``bytes_per_record``, with its raw records and day roll-ups."""
    username = username or (service.radius_username if service else "") or "someone"
    last = started_at + step * (records - 1)
    total = bytes_per_record * records
    found = UsageSession.objects.create(
        key=key,
        username=username,
        subscription=service,
        nas=nas,
        source=Source.RLM_REST,
        started_at=started_at,
        updated_at=last,
        stopped_at=last if stopped else None,
        input_octets=total // 4,
        output_octets=total - total // 4,
        counted_bytes=total,
    )
    for i in range(records):
        moment = started_at + step * i
        ensure_partition(moment)
        so_far = bytes_per_record * (i + 1)
        status = SessionStatus.START if i == 0 else SessionStatus.INTERIM
        if stopped and i == records - 1:
            status = SessionStatus.STOP
        UsageRecord.objects.create(
            occurred_at=moment,
            received_at=moment,
            source=Source.RLM_REST,
            session_key=key,
            username=username,
            subscription=service,
            status=status,
            input_octets=so_far // 4,
            output_octets=so_far - so_far // 4,
            input_delta=bytes_per_record // 4,
            output_delta=bytes_per_record - bytes_per_record // 4,
        )
    if service is not None:
        day = timezone.localdate(started_at)
        row, _ = UsageDay.objects.get_or_create(subscription=service, day=day)
        UsageDay.objects.filter(pk=row.pk).update(
            input_bytes=row.input_bytes + total // 4,
            output_bytes=row.output_bytes + total - total // 4,
        )
    return found


def staff_with(*permissions: str, username: str = "agent") -> User:
    """A staff member (with a second factor) holding exactly ``permissions``
    ("app.codename"), whatever the roles say."""
    from django.contrib.auth.models import Permission

    user = make_user(username=username, is_staff=True)
    for name in permissions:
        app_label, codename = name.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return User.objects.get(pk=user.pk)  # no cached permissions


def visible_text(html: str) -> str:
    """The page's words without tags, spaces collapsed."""
    import re
    from html import unescape

    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
