"""A ticket's files: the content-checked upload rules of ``core.uploads`` (PDF, PNG or JPEG
decided by the bytes, at most 10 MB each), at most ``MAX_FILES_PER_TICKET`` per ticket and
``MAX_FILES_PER_MESSAGE`` per message, refusals said as ``SupportError`` (field ``files``)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence

from django.utils.translation import ngettext

from dropline.core import clock, uploads
from dropline.core.uploads import Staged, UploadError, UploadLike
from dropline.helpdesk.errors import SupportError
from dropline.helpdesk.models import Ticket, TicketAttachment, TicketMessage

MAX_FILES_PER_TICKET = 10
MAX_FILES_PER_MESSAGE = 5


def _as_support_error(refused: UploadError) -> SupportError:
    return SupportError(refused.message, code=refused.code, field=refused.field)


def too_many_files() -> SupportError:
    return SupportError(
        ngettext(
            "A request can have at most %(count)d file.",
            "A request can have at most %(count)d files.",
            MAX_FILES_PER_TICKET,
        )
        % {"count": MAX_FILES_PER_TICKET},
        code="too_many_files",
        field="files",
    )


@contextlib.contextmanager
def staged_files(*, files: Sequence[UploadLike], already: int = 0) -> Iterator[list[Staged]]:
    """Check and stage ``files`` (``already``: how many the ticket holds) for a block that
    makes their rows with ``save``; a refusal or a failing block leaves no file behind."""
    if len(files) > MAX_FILES_PER_MESSAGE:
        raise SupportError(
            ngettext(
                "Attach at most %(count)d file to one message.",
                "Attach at most %(count)d files to one message.",
                MAX_FILES_PER_MESSAGE,
            )
            % {"count": MAX_FILES_PER_MESSAGE},
            code="too_many_files",
            field="files",
        )
    if already + len(files) > MAX_FILES_PER_TICKET:
        raise too_many_files()
    try:
        staged = uploads.stage(files=files, already=already, max_files=MAX_FILES_PER_TICKET)
    except UploadError as refused:
        raise _as_support_error(refused) from refused
    with uploads.removed_on_error(staged):
        yield staged


def save(*, ticket: Ticket, message: TicketMessage, staged: Sequence[Staged]) -> None:
    """The rows of ``staged`` files on ``message``, and the files in their final place.
    Call inside the transaction, within ``staged_files``."""
    if not staged:
        return
    if ticket.attachments.count() + len(staged) > MAX_FILES_PER_TICKET:
        # Another message took the last places meanwhile (the ticket row is locked).
        raise too_many_files()
    now = clock.now()
    TicketAttachment.objects.bulk_create(
        [
            TicketAttachment(
                ticket=ticket,
                message=message,
                original_name=item.original_name,
                content_type=item.content_type,
                size=item.size,
                sha256=item.sha256,
                storage_key=item.storage_key,
                created_at=now,
            )
            for item in staged
        ]
    )
    uploads.keep(staged)
