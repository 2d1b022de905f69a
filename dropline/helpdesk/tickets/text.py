"""The checks every ticket text passes: trimmed, not empty, not too long."""

from __future__ import annotations

from django.utils.translation import gettext as _

from dropline.helpdesk.errors import SupportError
from dropline.helpdesk.models import TicketCategory

MAX_SUBJECT = 120
MAX_BODY = 5000
MAX_RATING_COMMENT = 500


def checked(value: object, *, field: str, empty: str, limit: int) -> str:
    """``value`` trimmed; ``SupportError`` (``invalid``, naming ``field``) when it is not
    text, empty (saying ``empty``) or longer than ``limit`` characters."""
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise SupportError(empty, code="invalid", field=field)
    if len(text) > limit:
        raise SupportError(
            _("Keep it to %(count)d characters or fewer.") % {"count": limit},
            code="invalid",
            field=field,
        )
    return text


def body(value: object) -> str:
    return checked(value, field="body", empty=_("Write a message."), limit=MAX_BODY)


def category(value: object) -> str:
    if not isinstance(value, str) or value not in TicketCategory.values:
        raise SupportError(
            _("Choose what your request is about."), code="invalid", field="category"
        )
    return value
