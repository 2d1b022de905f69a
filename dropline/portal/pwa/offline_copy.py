"""Pages a signed-in person can still read offline: the overview, billing and data usage.

A view marked ``@offline_copy`` answers a signed-in person as usual, plus two headers the
service worker reads (``sw.js``, see ``worker.py``):

- ``X-Dropline-Offline: private``: this page may be kept in the browser's private page
  cache, to be shown when the network is gone. The worker keeps nothing else: no other
  page, no answer for a signed-out visitor, no API, no download.
- ``X-Dropline-Offline-Owner``: who it belongs to, as a keyed hash of the person (never
  their id). The worker keeps the pages of one owner only: a page for someone else drops
  every page it kept before, so a browser shared after a session ran out never shows
  one person's page to the next.

The page also carries the offline notice ("You're offline. This is what we showed you
on ..."), rendered now in the page's language with the time of this answer, and hidden:
the worker shows it by removing ``hidden`` (``NOTICE_HIDDEN`` -> ``NOTICE_SHOWN``) when
it serves the kept copy.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponseBase
from django.utils.crypto import salted_hmac

from dropline.accounts.models import User
from dropline.core import clock

OFFLINE_HEADER = "X-Dropline-Offline"
OWNER_HEADER = "X-Dropline-Offline-Owner"
PRIVATE = "private"
# The request attribute the notice template reads: when this answer was made.
RENDERED_AT = "dropline_offline_copy_at"
# The notice's attributes as rendered, and as the worker rewrites them to show it.
NOTICE_HIDDEN = "data-offline-notice hidden"
NOTICE_SHOWN = "data-offline-notice"

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def owner_token(user_id: int) -> str:
    """Who a kept page belongs to: stable for one person, meaningless to anyone else."""
    return salted_hmac("dropline.portal.pwa.owner", str(user_id)).hexdigest()[:32]


def offline_copy(view: View) -> View:
    """Let the service worker keep this page for its signed-in reader (see the module)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = getattr(request, "user", None)
        person = user if isinstance(user, User) and user.is_authenticated else None
        if person is not None:
            setattr(request, RENDERED_AT, clock.now())
        response = view(request, *args, **kwargs)
        if (
            person is not None
            and request.method == "GET"
            and response.status_code == 200
            and response.get("Content-Type", "").startswith("text/html")
        ):
            response[OFFLINE_HEADER] = PRIVATE
            response[OWNER_HEADER] = owner_token(person.pk)
        return response

    return wrapped  # type: ignore[return-value]
