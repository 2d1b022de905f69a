"""Who wants to hear about what, by which channel, and when SMS must wait."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import transaction

from dropline.accounts.models import User
from dropline.notifications.categories import DEFAULTS, ESSENTIAL, Category, Channel
from dropline.notifications.models import Preference, QuietHours


class PreferenceError(ValueError):
    pass


def preference_grid(*, user: User) -> dict[str, dict[str, bool]]:
    """category -> channel -> enabled, defaults filled in (one query)."""
    grid = {
        category: {channel: channel in DEFAULTS[category] for channel in Channel.values}
        for category in Category.values
    }
    for pref in Preference.objects.filter(user=user):
        if pref.category in grid and pref.category not in ESSENTIAL:
            grid[pref.category][pref.channel] = pref.enabled
    return grid


def channels_for(*, user: User, category: str) -> set[str]:
    if category in ESSENTIAL:
        return set(Channel.values)
    return {ch for ch, on in preference_grid(user=user)[category].items() if on}


def set_preferences(*, user: User, grid: dict[str, dict[str, bool]]) -> None:
    """Save the whole grid at once; security stays on whatever is asked."""
    unknown = set(grid) - set(Category.values)
    if unknown:
        raise PreferenceError(f"unknown category {sorted(unknown)[0]!r}")
    with transaction.atomic():
        for category, channels in grid.items():
            if category in ESSENTIAL:
                continue
            for channel, enabled in channels.items():
                if channel not in Channel.values:
                    raise PreferenceError(f"unknown channel {channel!r}")
                Preference.objects.update_or_create(
                    user=user, category=category, channel=channel, defaults={"enabled": enabled}
                )


def unsubscribe(*, user: User, category: str) -> bool:
    """Turn email off for one category. Returns False for categories that cannot be."""
    if category in ESSENTIAL or category not in Category.values:
        return False
    Preference.objects.update_or_create(
        user=user, category=category, channel=Channel.EMAIL, defaults={"enabled": False}
    )
    return True


def set_quiet_hours(
    *, user: User, starts: dt.time | None, ends: dt.time | None, time_zone: str
) -> None:
    if starts is None or ends is None:
        QuietHours.objects.filter(user=user).delete()
        return
    if starts == ends:
        raise PreferenceError("quiet hours must start and end at different times")
    try:
        ZoneInfo(time_zone)
    except (KeyError, ValueError):
        raise PreferenceError(f"unknown time zone {time_zone!r}") from None
    QuietHours.objects.update_or_create(
        user=user, defaults={"starts": starts, "ends": ends, "time_zone": time_zone}
    )


def quiet_until(quiet: QuietHours | None, at: dt.datetime) -> dt.datetime | None:
    """If ``at`` falls in the quiet hours, when they end (aware, UTC); else None."""
    if quiet is None:
        return None
    zone = ZoneInfo(quiet.time_zone)
    local = at.astimezone(zone)
    t = local.time().replace(tzinfo=None)
    overnight = quiet.starts > quiet.ends
    inside = (
        (t >= quiet.starts or t < quiet.ends) if overnight else (quiet.starts <= t < quiet.ends)
    )
    if not inside:
        return None
    end_day = local.date()
    if overnight and t >= quiet.starts:
        end_day += dt.timedelta(days=1)
    end_local = dt.datetime.combine(end_day, quiet.ends, tzinfo=zone)
    return end_local.astimezone(dt.UTC)
