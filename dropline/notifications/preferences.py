"""Who wants to hear about what, by which channel, and when SMS must wait."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from dropline.accounts.models import User
from dropline.core.formatting import US_TIME_ZONES
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


class QuietHoursError(PreferenceError):
    """Quiet hours refused: ``message`` says why in the person's words, ``field`` names
    the input at fault (``starts``, ``ends`` or ``time_zone``)."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def quiet_hours_time_zones(*, current: str | None) -> list[tuple[str, str]]:
    """The time zones quiet hours may be kept in, (zone, words) in the order offered:
    the provider's and the person's current one (when not among the US zones) first."""
    choices = [(zone, f"{label} ({zone})") for zone, label in US_TIME_ZONES]
    known = {zone for zone, _label in choices}
    for extra in (settings.TIME_ZONE, current):
        if extra and extra not in known:
            choices.insert(0, (extra, extra))
            known.add(extra)
    return choices


def set_quiet_hours(
    *, user: User, starts: dt.time | None, ends: dt.time | None, time_zone: str
) -> QuietHours | None:
    """Keep text messages (security alerts excepted) from ``starts`` until ``ends`` in
    ``time_zone``, one of ``quiet_hours_time_zones``; both times None turns quiet hours
    off. Returns them (None when off). Refusals are ``QuietHoursError`` naming the field:
    one time without the other, the same time twice, a zone not offered."""
    if (starts is None) != (ends is None):
        raise QuietHoursError(
            _("Enter both times, or leave both empty to turn quiet hours off."),
            field="ends" if ends is None else "starts",
        )
    with transaction.atomic():
        current = QuietHours.objects.select_for_update().filter(user=user).first()
        if starts is None or ends is None:
            if current is not None:
                current.delete()
            return None
        if starts == ends:
            raise QuietHoursError(
                _("Quiet hours must start and end at different times."), field="ends"
            )
        offered = quiet_hours_time_zones(current=current.time_zone if current else None)
        if time_zone not in {zone for zone, _words in offered}:
            raise QuietHoursError(_("Choose a time zone from the list."), field="time_zone")
        try:
            ZoneInfo(time_zone)
        except (KeyError, ValueError):
            raise QuietHoursError(
                _("Choose a time zone from the list."), field="time_zone"
            ) from None
        quiet, _made = QuietHours.objects.update_or_create(
            user=user, defaults={"starts": starts, "ends": ends, "time_zone": time_zone}
        )
    return quiet


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
