"""Messages in a dispute's thread, both ways, with files.

The customer writes from the portal or the app; staff reply (the customer is told) or
leave an internal note (never shown to the customer, and nobody is told). A staff reply
to an open dispute puts it in review. A closed dispute takes no more messages.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from dropline.core import audit, clock
from dropline.payments.disputes import attachments, notifying
from dropline.payments.disputes.attachments import MAX_FILES_PER_DISPUTE
from dropline.payments.disputes.models import Dispute, DisputeMessage, DisputeStatus
from dropline.payments.disputes.opening import save_attachments
from dropline.payments.errors import PaymentError

MAX_BODY = 4000


def add_message(
    *,
    dispute: Dispute,
    body: str,
    actor: Any,
    from_staff: bool,
    internal: bool = False,
    files: Sequence[attachments.UploadLike] = (),
    request: HttpRequest | None = None,
) -> DisputeMessage:
    """Add a message to ``dispute``'s thread. Refusals (``PaymentError``): ``closed``,
    ``body`` (empty or too long), ``internal`` (a customer's note cannot be internal),
    and the files' ``file_type``, ``file_too_large``, ``too_many_files``."""
    body = body.strip()
    if not body:
        raise PaymentError("body", _("Write a message."), "body")
    if len(body) > MAX_BODY:
        raise PaymentError(
            "body",
            _("Keep the message to %(count)d characters or fewer.") % {"count": MAX_BODY},
            "body",
        )
    if internal and not from_staff:
        raise PaymentError("internal", _("Only staff can write internal notes."), "internal")
    person = actor if actor is not None and actor.is_authenticated else None
    already = dispute.attachments.count()
    with attachments.staged_files(files=files, already=already) as staged, transaction.atomic():
        locked = Dispute.objects.select_for_update().get(pk=dispute.pk)
        if not locked.is_open:
            raise PaymentError(
                "body", _("This dispute is closed and takes no more messages."), "closed"
            )
        if staged and locked.attachments.count() + len(staged) > MAX_FILES_PER_DISPUTE:
            # Another message took the last places meanwhile.
            raise attachments.too_many_files()
        message = DisputeMessage.objects.create(
            dispute=locked,
            author=person,
            from_staff=from_staff,
            internal=internal,
            body=body,
            created_at=clock.now(),
        )
        save_attachments(dispute=locked, message=message, staged=staged)
        if from_staff and not internal and locked.status == DisputeStatus.OPEN:
            locked.status = DisputeStatus.IN_REVIEW
            locked.save(update_fields=["status"])
        audit.record(
            action="dispute.note_added" if internal else "dispute.message_added",
            request=request,
            actor=person,
            target=locked,
            account_number=locked.account.number,
            data={"message": message.pk, "from_staff": from_staff, "files": len(staged)},
        )
        if from_staff and not internal:
            notifying.tell(
                locked, notifying.DISPUTE_MESSAGE, subject=f"dispute_message:{message.pk}"
            )
    dispute.status = locked.status
    return message
