"""Internal notes staff leave on a customer's account. Append-only: a note is
written once, with its author, and audited; nothing edits or deletes one."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from dropline.accounts.models import User
from dropline.core import audit, clock
from dropline.customers.models import CustomerAccount, CustomerNote


class NoteError(ValueError):
    """The note cannot be saved as written; the message says why."""


def add_note(
    *,
    account: CustomerAccount,
    author: User,
    body: str,
    request: HttpRequest | None = None,
) -> CustomerNote:
    """Add ``body`` to ``account``'s notes as written by ``author`` (audited as
    ``customer_note.added``). Raises ``NoteError`` for an empty or too long note."""
    text = body.strip()
    if not text:
        raise NoteError(_("Write the note before adding it."))
    if len(text) > CustomerNote.MAX_LENGTH:
        raise NoteError(
            _("A note can be at most %(limit)d characters long.")
            % {"limit": CustomerNote.MAX_LENGTH}
        )
    with transaction.atomic():
        note = CustomerNote.objects.create(
            account=account,
            author=author,
            author_name=author.get_full_name() or author.get_username(),
            body=text,
            created_at=clock.now(),
        )
        audit.record(
            action="customer_note.added",
            request=request,
            actor=author,
            target=account,
            account_number=account.number,
            data={"note_id": note.pk},
        )
    return note
