"""Recording audit events for staff actions."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest

from dropline.core import clock
from dropline.core.models import AuditEvent


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as the WSGI server saw it (a proxy sets REMOTE_ADDR via its config)."""
    return request.META.get("REMOTE_ADDR") or None


def record(
    *,
    action: str,
    request: HttpRequest | None = None,
    actor: Any = None,
    target: models.Model | None = None,
    account_number: str = "",
    data: dict[str, Any] | None = None,
    ip: str | None = None,
) -> AuditEvent:
    """Record one event; ``ip`` is for a caller that has the address but no request."""
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    return AuditEvent.objects.create(
        created_at=clock.now(),
        actor=actor,
        actor_label=actor.get_username() if actor is not None else "",
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:200] if target is not None else "",
        account_number=account_number,
        ip_address=client_ip(request) if request is not None else (ip or None),
        user_agent=request.headers.get("User-Agent", "")[:300] if request is not None else "",
        data=data or {},
    )


def events_for_account(*, account_number: str, limit: int = 50) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(account_number=account_number)
        .select_related("actor")
        .order_by("-created_at", "-id")[:limit]
    )
