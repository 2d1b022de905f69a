"""Template filters for ``dropline.backoffice.words``: ``{{ event.action|audit_action }}``,
``{{ message.event|message_event }}``, ``{{ entry.book|ledger_book }}``,
``{{ transaction.kind|transaction_kind }}``."""

from __future__ import annotations

from django import template

from dropline.backoffice import words
from dropline.core.phones import display_phone

register = template.Library()

register.filter("audit_action", words.audit_action)
register.filter("message_event", words.message_event)
register.filter("ledger_book", words.ledger_book)
register.filter("transaction_kind", words.transaction_kind)


@register.filter
def phone(value: str) -> str:
    """A stored E.164 number as people write it; anything else (an email address) as is."""
    if not value or "@" in value:
        return value or ""
    return display_phone(value)
