"""Saved replies: the answers staff reuse, one language each. Staff add one, change it, or
retire it (it leaves the reply form's picker but stays on record); each write is one
transaction with its audit event (``saved_reply.added``, ``.changed``, ``.retired``) and
refuses bad input with a ``SupportError`` naming the field. The reads the back-office
needs are here too: the picker's list and one reply by id."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import HttpRequest
from django.utils.translation import gettext as _

from dropline.accounts.models import User
from dropline.core import audit, clock
from dropline.helpdesk.errors import SupportError
from dropline.helpdesk.models import SavedReply

MAX_TITLE = 120
MAX_BODY = 5000


def _checked(
    *, title: str, language: str, body: str, saved_reply_id: int | None
) -> tuple[str, str]:
    title = title.strip()
    body = body.strip()
    if not title:
        raise SupportError(_("Give the saved reply a title."), code="invalid", field="title")
    if len(title) > MAX_TITLE:
        raise SupportError(
            _("Keep the title to %(count)d characters.") % {"count": MAX_TITLE},
            code="invalid",
            field="title",
        )
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise SupportError(_("Choose English or Spanish."), code="invalid", field="language")
    if not body:
        raise SupportError(_("Write the reply."), code="invalid", field="body")
    if len(body) > MAX_BODY:
        raise SupportError(
            _("Keep the reply to %(count)d characters.") % {"count": MAX_BODY},
            code="invalid",
            field="body",
        )
    same = SavedReply.objects.filter(title__iexact=title, language=language, is_active=True)
    if saved_reply_id is not None:
        same = same.exclude(pk=saved_reply_id)
    if same.exists():
        raise SupportError(
            _("A saved reply in this language already has this title. Choose another title."),
            code="invalid",
            field="title",
        )
    return title, body


def add_saved_reply(
    *, title: str, language: str, body: str, by: User, request: HttpRequest | None = None
) -> SavedReply:
    """Add a saved reply in ``language``, in use at once."""
    with transaction.atomic():
        title, body = _checked(title=title, language=language, body=body, saved_reply_id=None)
        reply = SavedReply.objects.create(
            title=title, language=language, body=body, is_active=True, updated_at=clock.now()
        )
        audit.record(
            action="saved_reply.added",
            request=request,
            actor=by,
            target=reply,
            data={"language": language},
        )
    return reply


def _locked(saved_reply_id: int) -> SavedReply:
    reply = SavedReply.objects.select_for_update().filter(pk=saved_reply_id).first()
    if reply is None:
        raise SupportError(_("That saved reply does not exist."), code="not_found")
    return reply


def change_saved_reply(
    *,
    saved_reply_id: int,
    title: str,
    language: str,
    body: str,
    by: User,
    request: HttpRequest | None = None,
) -> SavedReply:
    """Change a saved reply's title, language or text; a retired one is not changed."""
    with transaction.atomic():
        reply = _locked(saved_reply_id)
        if not reply.is_active:
            raise SupportError(
                _("This saved reply is retired; add a new one instead."), code="closed"
            )
        title, body = _checked(
            title=title, language=language, body=body, saved_reply_id=saved_reply_id
        )
        changed = [
            name
            for name, value in (("title", title), ("language", language), ("body", body))
            if getattr(reply, name) != value
        ]
        reply.title, reply.language, reply.body = title, language, body
        reply.updated_at = clock.now()
        reply.save(update_fields=["title", "language", "body", "updated_at"])
        audit.record(
            action="saved_reply.changed",
            request=request,
            actor=by,
            target=reply,
            data={"changed": changed},
        )
    return reply


def retire_saved_reply(
    *, saved_reply_id: int, by: User, request: HttpRequest | None = None
) -> SavedReply:
    """Take a saved reply out of use: the picker no longer offers it."""
    with transaction.atomic():
        reply = _locked(saved_reply_id)
        if not reply.is_active:
            raise SupportError(_("This saved reply is already retired."), code="closed")
        reply.is_active = False
        reply.updated_at = clock.now()
        reply.save(update_fields=["is_active", "updated_at"])
        audit.record(action="saved_reply.retired", request=request, actor=by, target=reply)
    return reply


def saved_replies(*, include_retired: bool = False) -> QuerySet[SavedReply]:
    """Every saved reply, by title and language; retired ones only when asked."""
    found = SavedReply.objects.order_by("title", "language", "pk")
    return found if include_retired else found.filter(is_active=True)


def picker_replies(*, language: str = "") -> QuerySet[SavedReply]:
    """The replies the reply form offers: those in use, the ones in ``language`` (the
    customer's) first."""
    return saved_replies().order_by(
        Case(When(language=language, then=Value(0)), default=Value(1), output_field=IntegerField()),
        "title",
        "language",
        "pk",
    )


def saved_reply(*, saved_reply_id: int, in_use: bool = False) -> SavedReply | None:
    found = SavedReply.objects.filter(pk=saved_reply_id)
    if in_use:
        found = found.filter(is_active=True)
    return found.first()
