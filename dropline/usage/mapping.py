"""Which service a RADIUS username belongs to, and the usage kept aside until it had one.

Usage for a username no service has is still counted (its session's counters move on,
its records are kept) but belongs to nobody. When staff give a service that username,
``assign_kept`` hands the records kept aside to it and adds their bytes to its hour,
day and bill-cycle roll-ups, as if they had been known all along.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dropline.core import audit
from dropline.subscriptions.models import Subscription
from dropline.usage import dispatch
from dropline.usage.errors import UsageError
from dropline.usage.ingest import generic, postgres
from dropline.usage.ingest.compute import Batch, Calendar

MAX_USERNAME = 253


def clean_username(username: str) -> str:
    """A RADIUS username as given, or UsageError: 1 to 253 printable characters, no
    spaces."""
    name = (username or "").strip()
    if not name:
        raise UsageError(_("Enter the RADIUS username."), field="radius_username")
    if len(name) > MAX_USERNAME:
        raise UsageError(
            _("A RADIUS username has at most 253 characters."), field="radius_username"
        )
    if not name.isprintable() or any(c.isspace() for c in name):
        raise UsageError(
            _("A RADIUS username has no spaces or control characters."), field="radius_username"
        )
    return name


def _name_taken() -> UsageError:
    return UsageError(
        _("Another current service already uses this RADIUS username."), field="radius_username"
    )


def set_radius_username(*, subscription_id: int, username: str, actor: Any, ip: str | None) -> int:
    """Give the service ``username`` as its RADIUS username and hand it the usage kept
    aside under that name; returns the bytes handed over. Audited as
    ``usage.radius_username_set``."""
    name = clean_username(username)
    with transaction.atomic():
        subscription = (
            Subscription.objects.select_for_update()
            .select_related("account")
            .filter(pk=subscription_id)
            .first()
        )
        if subscription is None:
            raise UsageError(_("That service does not exist."), field="subscription_id")
        taken = (
            Subscription.objects.filter(radius_username=name, ended_on__isnull=True)
            .exclude(pk=subscription.pk)
            .exists()
        )
        if taken:
            raise UsageError(
                _("Another current service already uses this RADIUS username."),
                field="radius_username",
            )
        previous = subscription.radius_username
        subscription.radius_username = name
        try:
            with transaction.atomic():
                subscription.save(update_fields=["radius_username"])
        except IntegrityError as exc:  # set elsewhere at the same moment
            raise UsageError(
                _("Another current service already uses this RADIUS username."),
                field="radius_username",
            ) from exc
        audit.record(
            action="usage.radius_username_set",
            actor=actor,
            target=subscription,
            account_number=subscription.account.number,
            data={"radius_username": name, "previous": previous},
            ip=ip,
        )
        return assign_kept(username=name, subscription_id=subscription.pk)


def _take_kept(username: str, subscription_id: int) -> list[tuple[dt.datetime, int, int]]:
    """Give the records kept aside under ``username`` the service, returning each one's
    instant and bytes, in one statement."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE usage_usagerecord SET subscription_id = %s"
            " WHERE subscription_id IS NULL AND username = %s"
            " RETURNING occurred_at, input_delta, output_delta",
            [subscription_id, username],
        )
        rows = cursor.fetchall()
        cursor.execute(
            "UPDATE usage_usagesession SET subscription_id = %s"
            " WHERE subscription_id IS NULL AND username = %s",
            [subscription_id, username],
        )
    taken = []
    for occurred_at, input_delta, output_delta in rows:
        at = generic.aware(occurred_at)
        assert at is not None
        taken.append((at, int(input_delta), int(output_delta)))
    return taken


def assign_kept(*, username: str, subscription_id: int) -> int:
    """Hand the usage kept aside under ``username`` to the service: its records and
    sessions get the service, their bytes go into its roll-ups. Returns the bytes."""
    with transaction.atomic():
        subscription = (
            Subscription.objects.select_related("account").filter(pk=subscription_id).first()
        )
        if subscription is None:
            raise UsageError(_("That service does not exist."), field="subscription_id")
        taken = _take_kept(username, subscription.pk)
        calendar = Calendar(timezone.get_default_timezone())
        anchor = subscription.account.bill_cycle_day
        batch = Batch()
        for at, input_delta, output_delta in taken:
            if not input_delta and not output_delta:
                continue
            batch.add(
                subscription.pk,
                calendar.hour(at),
                calendar.day(at),
                calendar.cycle(anchor, calendar.day(at)),
                input_delta,
                output_delta,
            )
        if connection.vendor == "postgresql":
            postgres.prepare(nested=True)
            postgres.add_rollups(batch)
        else:
            generic.add_rollups(batch)
        if batch.counted_bytes:
            ids = [subscription.pk]
            dispatch.check_alerts_after_commit(ids)
    return batch.counted_bytes
