"""Telling people about an outage's steps, through the notifications app.

Two ways, and nobody is told twice about one step:

- The declaration and the end (resolved, or a maintenance cancelled) go to every
  account in the affected areas through an ``Announcement`` and its chunked fan-out
  (``notifications.announcements``); its follow-up reaches exactly the people the
  first notice reached.
- Everyone who asked "tell me when it's fixed" (``OutageWatch``) is told of every step
  posted with "notify" (a new status, a new expected end, a note) through
  ``outbox.notify``, in the outages category. A new ETA goes to them only, not to the
  whole area: it can change several times in an evening, and the people who care
  asked; the portal, the banner and the status page show it to everyone else.

At the end, a watcher whom the announcement's first notice reached is left to its
follow-up; the others get the watchers' message. Subject keys name the outage and
the step (``outage:<id>:update:<update id>``), so a retried step sends nothing again.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from dropline.core.formatting import display_datetime
from dropline.network.models import Outage, OutageKind, OutageUpdate, OutageWatch
from dropline.notifications.announcements import INITIAL
from dropline.notifications.announcements import subject_key as announcement_key
from dropline.notifications.categories import Category
from dropline.notifications.models import Message
from dropline.notifications.outbox import notify

OUTAGES_PATH = "/outages/"  # the portal's "Is there an outage?" page
UPDATE_EVENT = "outage.update"
RESOLVED_EVENT = "outage.resolved"
CANCELLED_EVENT = "outage.canceled"
# How long an outage with no expected end stays on the announcement banner before an
# update gives it one.
OPEN_ENDED_WINDOW = dt.timedelta(days=3)


def announcement_ends_at(*, starts_at: dt.datetime, eta: dt.datetime | None) -> dt.datetime:
    """The announcement's window end: the expected end, or a few days on while unknown."""
    return eta if eta is not None else starts_at + OPEN_ENDED_WINDOW


def _body(outage: Outage, message: str) -> str:
    parts = []
    cause = outage.cause(translation.get_language() or "en")
    if cause:
        parts.append(_("Cause: %(cause)s") % {"cause": cause})
    elif outage.kind == OutageKind.OUTAGE:
        parts.append(_("We are finding the cause."))
    if message:
        parts.append(message)
    if outage.eta is not None and outage.kind == OutageKind.OUTAGE:
        parts.append(
            _("We expect it to be fixed by %(eta)s.") % {"eta": display_datetime(outage.eta)}
        )
    elif outage.kind == OutageKind.OUTAGE:
        parts.append(_("We do not know yet when it will be fixed."))
    parts.append(
        _("Follow it, and ask to be told when it is fixed, at %(url)s")
        % {"url": settings.DROPLINE_PUBLIC_URL.rstrip("/") + OUTAGES_PATH}
    )
    return "\n\n".join(parts)


def announcement_bodies(*, outage: Outage, message_en: str, message_es: str) -> tuple[str, str]:
    """The announcement's notice in English and in Spanish."""
    with translation.override("en"):
        english = _body(outage, message_en)
    with translation.override("es"):
        spanish = _body(outage, message_es)
    return english, spanish


def resolution_texts(outage: Outage, *, cancelled: bool) -> tuple[str, str]:
    """The announcement's follow-up in English and in Spanish."""
    texts = []
    for language in ("en", "es"):
        with translation.override(language):
            title = outage.title(language)
            if cancelled:
                texts.append(
                    _("%(title)s is canceled: your service will not be interrupted.")
                    % {"title": title}
                )
            else:
                texts.append(_("%(title)s is over: your service is back.") % {"title": title})
    return texts[0], texts[1]


def _told_by_announcement(outage: Outage) -> set[int]:
    if outage.announcement_id is None:
        return set()
    return set(
        Message.objects.filter(
            event=f"announcement.{INITIAL}",
            subject_key=announcement_key(outage.announcement),  # type: ignore[arg-type]
        ).values_list("user_id", flat=True)
    )


def tell_watchers(
    *, outage: Outage, update: OutageUpdate, event: str, skip_told: bool = False
) -> int:
    """Tell each watcher of ``outage`` about ``update``; with ``skip_told``, not those
    the announcement reached (its follow-up tells them). Returns the messages recorded."""
    skip = _told_by_announcement(outage) if skip_told else set()
    sent = 0
    watches = OutageWatch.objects.filter(outage=outage).select_related("user", "account")
    for watch in watches.order_by("pk"):
        if watch.user_id in skip:
            continue
        sent += len(
            notify(
                event=event,
                category=Category.OUTAGES,
                subject_key=f"outage:{outage.pk}:update:{update.pk}",
                context={
                    "outage": outage,
                    "update": update,
                    "url": settings.DROPLINE_PUBLIC_URL.rstrip("/") + OUTAGES_PATH,
                },
                users=[watch.user],
                account=watch.account,
                link=OUTAGES_PATH,
            )
        )
    return sent
