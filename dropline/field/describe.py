"""A visit's moments in words, in the active language and the provider's time zone."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from django.utils import formats
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from dropline.field.windows import provider_zone


class Timed(Protocol):
    """A window or an offer of one."""

    @property
    def starts_at(self) -> dt.datetime: ...
    @property
    def ends_at(self) -> dt.datetime: ...


def time_label(moment: dt.datetime) -> str:
    return formats.time_format(moment.astimezone(provider_zone()), "TIME_FORMAT")


def day_label(moment: dt.datetime) -> str:
    # Translators: a day in a sentence, as PHP date() letters: "Tuesday, March 3".
    return formats.date_format(moment.astimezone(provider_zone()), pgettext("visit day", "l, F j"))


def window_label(window: Timed) -> str:
    """``Tuesday, March 3, between 8 a.m. and 10 a.m.``"""
    return _("%(day)s, between %(start)s and %(end)s") % {
        "day": day_label(window.starts_at),
        "start": time_label(window.starts_at),
        "end": time_label(window.ends_at),
    }


def eta_label(eta: dt.datetime | None) -> str:
    if eta is None:
        return ""
    return _("expected at about %(time)s") % {"time": time_label(eta)}


# Rendered when the message is, in the recipient's language.
lazy_window_label = lazy(window_label, str)
lazy_eta_label = lazy(eta_label, str)
