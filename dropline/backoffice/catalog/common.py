"""What the catalogue pages share: the one form page, and a plan's recent changes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise

from dropline.backoffice.words import audit_action
from dropline.core.models import AuditEvent

RECENT_CHANGES = 10


@dataclass(frozen=True)
class FormPage:
    """The words around a form: its title, where "back" goes, a note, the button."""

    title: str | Promise
    back_url: str
    back_label: str | Promise
    submit: str | Promise
    note: str | Promise = ""


def form_page(
    request: HttpRequest,
    page: FormPage,
    form: Any,
    *,
    status: int = 200,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    return render(
        request,
        "backoffice/catalog/form.html",
        {"page": page, "form": form, **(extra or {})},
        status=status,
    )


@dataclass(frozen=True)
class Change:
    event: AuditEvent
    words: str


def recent_changes(target: models.Model) -> list[Change]:
    """The latest audited changes of ``target``, newest first."""
    events = (
        AuditEvent.objects.filter(target_type=target._meta.label_lower, target_id=str(target.pk))
        .select_related("actor")
        .order_by("-created_at", "-id")[:RECENT_CHANGES]
    )
    return [Change(event=event, words=audit_action(event.action)) for event in events]
