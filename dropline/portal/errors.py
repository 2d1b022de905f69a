"""The portal's error answers.

The 429 handler that allauth's rate limits answer with (``handler429`` in the root
URLconf): it records the rate limit, then answers as allauth would.
"""

from __future__ import annotations

from allauth.core.internal.ratelimit import handler429
from django.http import HttpRequest, HttpResponse

from dropline.accounts.models import User
from dropline.identity.security_events import record as security_events


def too_many_requests(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """allauth's 429 answer, after recording the rate limit as a security event."""
    user = getattr(request, "user", None)
    security_events.throttled(request=request, user=user if isinstance(user, User) else None)
    return handler429(request)
