"""People to notify (an account holder in a service area with verified addresses) and a
notice to send them."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

from dropline.accounts.models import User
from dropline.core import clock
from dropline.customers.models import (
    AccountStatus,
    CustomerAccount,
    MemberRole,
    ServiceAddress,
    ServiceArea,
)
from dropline.customers.onboarding import add_member, open_account
from dropline.notifications.contacts import add_verified_contact
from dropline.notifications.models import Announcement, ContactKind
from dropline.notifications.outbox import notify
from tests.support.factories import make_user

_serial = itertools.count(1)


@dataclass
class Person:
    user: User
    account: CustomerAccount


def area(code: str) -> ServiceArea:
    found, _ = ServiceArea.objects.get_or_create(code=code, defaults={"name": code.title()})
    return found


def make_person(
    *,
    username: str,
    area_code: str = "north",
    language: str = "",
    account_language: str = "en",
    email_address: str | None = "",
    phone: str | None = None,
    status: str = AccountStatus.ACTIVE,
) -> Person:
    """An account holder in ``area_code`` with a verified email (unless ``None``) and,
    when given, a verified mobile number."""
    address = ServiceAddress.objects.create(
        line1=f"{next(_serial)} Notify Street",
        city="Riverbend",
        region="IA",
        postal_code="52240",
        service_area=area(area_code),
    )
    account = open_account(
        name=f"{username.title()} Household",
        service_address=address,
        bill_cycle_day=1,
        preferred_language=account_language,
        status=status,
    )
    user = make_user(username=username, preferred_language=language)
    add_member(account=account, user=user, role=MemberRole.HOLDER)
    if email_address is not None:
        add_verified_contact(
            user=user,
            kind=ContactKind.EMAIL,
            address=email_address or user.email,
            primary=True,
        )
    if phone:
        add_verified_contact(user=user, kind=ContactKind.PHONE, address=phone, primary=True)
    return Person(user=user, account=account)


def announcement_stub(**extra: Any) -> Announcement:
    """An unsaved announcement: enough context for the ``announcement.*`` templates."""
    starts = dt.datetime(2025, 1, 20, 6, 0, tzinfo=dt.UTC)
    values: dict[str, Any] = {
        "kind": "maintenance",
        "starts_at": starts,
        "ends_at": starts + dt.timedelta(hours=2),
        "title_en": "Network maintenance tonight",
        "title_es": "Mantenimiento de la red esta noche",
        "body_en": "We are upgrading equipment in your area.",
        "body_es": "Estamos mejorando los equipos de su zona.",
        "created_at": clock.now(),
        **extra,
    }
    return Announcement(**values)


def send_notice(
    *,
    user: User,
    category: str = "outages",
    subject_key: str = "notice:1",
    account: CustomerAccount | None = None,
    announcement: Announcement | None = None,
) -> list[Any]:
    """Ask for an ``announcement.notice`` message to one person (the only templates there
    are, so they stand in for any category, security included)."""
    return notify(
        event="announcement.notice",
        category=category,
        subject_key=subject_key,
        context={"announcement": announcement or announcement_stub()},
        account=account,
        users=[user],
    )
