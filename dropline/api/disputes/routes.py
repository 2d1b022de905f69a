"""Disputes from the app: list them, open one of an invoice line with files, read one
with its thread (never staff's internal notes), write in it with files, download a file,
withdraw one.
Thin: ``dropline.payments.disputes`` decides, files included (checked by content).

Writes are `multipart/form-data`: the fields of ``DisputeIn``/``MessageIn`` and any
number of `files` (PDF, PNG or JPEG, 10 MB each, 5 per dispute). The account is the
first of the caller's unless ``account`` names another of theirs; another account's
dispute, line or file answers 404. Opening and writing need someone who may pay the
account's bills (403 otherwise). A refusal answers 422 naming the field, with a
``code``; a closed dispute 409.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status, UploadedFile
from ninja.errors import HttpError

from dropline.accounts.requests import signed_in_user
from dropline.api.disputes.schemas import (
    DISPUTE_EXAMPLE,
    MESSAGE_EXAMPLE,
    AttachmentOut,
    DisputeDetailOut,
    DisputeIn,
    DisputeOut,
    DisputeRefusedOut,
    DisputesOut,
    DisputesQuery,
    MessageIn,
    MessageOut,
)
from dropline.api.membership import membership_asked
from dropline.api.refusals import conflict
from dropline.api.schemas import (
    AccountRefOut,
    ErrorOut,
    FieldErrorOut,
    InvalidInputOut,
    file_download,
)
from dropline.billing.describe import describe_line
from dropline.customers.models import AccountMember
from dropline.customers.permissions import can_pay_bills
from dropline.payments.disputes import attachments, queries
from dropline.payments.disputes.messages import add_message
from dropline.payments.disputes.models import Dispute, DisputeMessage
from dropline.payments.disputes.opening import open_dispute
from dropline.payments.disputes.resolving import withdraw as withdraw_dispute
from dropline.payments.errors import PaymentError

router = Router(tags=["disputes"])

ANSWERS: dict[int, Any] = {
    403: ErrorOut,
    404: ErrorOut,
    409: DisputeRefusedOut,
    422: DisputeRefusedOut,
}


def _multipart_example(example: dict[str, Any]) -> dict[str, Any]:
    return {"requestBody": {"content": {"multipart/form-data": {"example": example}}}}


def _language() -> str:
    return (get_language() or "en").split("-")[0]


def _refused(refused: PaymentError) -> Status:
    return Status(
        409 if refused.code == "closed" else 422,
        DisputeRefusedOut(
            detail=refused.reason,
            code=refused.code,
            errors=[FieldErrorOut(field=refused.field, reason=refused.reason)],
        ),
    )


def _payer(request: HttpRequest, account: str | None) -> AccountMember:
    membership = membership_asked(request, account)
    if not can_pay_bills(membership):
        raise HttpError(403, _("Only someone who may pay this account's bills can do this."))
    return membership


def _dispute(membership: AccountMember, dispute_id: int) -> Dispute:
    found = queries.dispute_for(account=membership.account, dispute_id=dispute_id)
    if found is None:
        raise Http404
    return found


def _dispute_out(dispute: Dispute) -> dict[str, Any]:
    return {
        "id": dispute.pk,
        "number": dispute.number,
        "status": dispute.status,
        "status_label": str(dispute.get_status_display()),
        "invoice": dispute.invoice.number,
        "line_id": dispute.invoice_line_id,
        "line": describe_line(dispute.invoice_line, _language()),
        "amount_cents": dispute.amount_cents,
        "currency": dispute.currency,
        "reason": dispute.reason,
        "reason_label": str(dispute.get_reason_display()),
        "due_on": dispute.due_on,
        "opened_at": dispute.opened_at,
        "closed_at": dispute.closed_at,
        "resolution": dispute.resolution,
        "credited_cents": dispute.credited_cents,
    }


def _message_out(dispute: Dispute, message: DisputeMessage) -> MessageOut:
    return MessageOut(
        id=message.pk,
        from_staff=message.from_staff,
        body=message.body,
        created_at=message.created_at,
        attachments=[
            AttachmentOut(
                id=file.pk,
                name=file.original_name,
                content_type=file.content_type,
                size=file.size,
                url=reverse(
                    "api-v1:dispute_file",
                    kwargs={"dispute_id": dispute.pk, "attachment_id": file.pk},
                ),
            )
            for file in message.attachments.all()
        ],
    )


def _detail_out(dispute: Dispute) -> DisputeDetailOut:
    return DisputeDetailOut(
        **_dispute_out(dispute),
        messages=[_message_out(dispute, m) for m in queries.customer_thread(dispute=dispute)],
    )


@router.get(
    "/disputes", response={200: DisputesOut, 404: ErrorOut}, summary="The account's disputes"
)
def disputes(request: HttpRequest, query: Query[DisputesQuery]) -> DisputesOut:
    """Every dispute on the account, newest first, and the amount held while open."""
    membership = membership_asked(request, query.account)
    account = membership.account
    return DisputesOut(
        account=AccountRefOut(number=account.number, name=account.name, role=membership.role),
        held_cents=queries.held_cents(account_id=account.pk),
        disputes=[DisputeOut(**_dispute_out(d)) for d in queries.disputes_for(account=account)],
    )


@router.post(
    "/disputes",
    response={201: DisputeDetailOut, **ANSWERS},
    summary="Dispute a charge on a bill, with files",
    openapi_extra=_multipart_example(DISPUTE_EXAMPLE),
)
def create(
    request: HttpRequest,
    body: Form[DisputeIn],
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Any:
    """`multipart/form-data`: the fields below and any `files`. The amount is held out of
    autopay and late fees while the dispute is open; we answer by `due_on`."""
    membership = _payer(request, body.account)
    line = queries.line_for(
        account=membership.account, invoice_number=body.invoice, line_id=body.line_id
    )
    if line is None:
        raise Http404
    try:
        dispute = open_dispute(
            account=membership.account,
            invoice_line=line,
            amount_cents=body.amount_cents,
            reason=body.reason,
            description=body.description,
            files=files or [],
            actor=request.user,
            request=request,
        )
    except PaymentError as refused:
        return _refused(refused)
    return Status(201, _detail_out(dispute))


@router.get(
    "/disputes/{dispute_id}",
    response={200: DisputeDetailOut, 404: ErrorOut},
    summary="One dispute with its messages",
)
def dispute(request: HttpRequest, dispute_id: int, query: Query[DisputesQuery]) -> Any:
    """The dispute with its messages and files, oldest first (never staff's notes)."""
    membership = membership_asked(request, query.account)
    return _detail_out(_dispute(membership, dispute_id))


@router.post(
    "/disputes/{dispute_id}/messages",
    response={201: MessageOut, **ANSWERS},
    summary="Write in a dispute, with files",
    openapi_extra=_multipart_example(MESSAGE_EXAMPLE),
)
def message(
    request: HttpRequest,
    dispute_id: int,
    body: Form[MessageIn],
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Any:
    """`multipart/form-data`: `body` and any `files`. A closed dispute answers 409."""
    membership = membership_asked(request, body.account)
    found = _dispute(membership, dispute_id)
    _payer(request, body.account)
    try:
        written = add_message(
            dispute=found,
            body=body.body,
            files=files or [],
            actor=request.user,
            from_staff=False,
            request=request,
        )
    except PaymentError as refused:
        return _refused(refused)
    return Status(201, _message_out(found, written))


@router.get(
    "/disputes/{dispute_id}/files/{attachment_id}",
    response={200: None, 404: ErrorOut},
    summary="Download a file of a dispute",
    url_name="dispute_file",
    openapi_extra=file_download("The file, as an attachment with its type."),
)
def download(
    request: HttpRequest, dispute_id: int, attachment_id: int, query: Query[DisputesQuery]
) -> HttpResponse:
    """The file as sent (an attachment, with the type found in its content)."""
    membership = membership_asked(request, query.account)
    found = queries.customer_attachment(
        account=membership.account, dispute_id=dispute_id, attachment_id=attachment_id
    )
    if found is None:
        raise Http404
    return attachments.download(found)


@router.post(
    "/disputes/{dispute_id}/withdraw",
    response={200: DisputeDetailOut, 403: ErrorOut, 404: ErrorOut, 409: InvalidInputOut},
    summary="Withdraw a dispute",
)
def withdraw(request: HttpRequest, dispute_id: int, query: Query[DisputesQuery]) -> Any:
    """Take the dispute back, as its web page's Withdraw button does: it is closed, and
    the amount is no longer held out of autopay and late fees. Whoever may pay the
    account's bills may withdraw it; one already closed answers 409 and stays as it was.
    Another account's dispute answers 404."""
    membership = membership_asked(request, query.account)
    found = _dispute(membership, dispute_id)
    _payer(request, query.account)
    try:
        withdrawn = withdraw_dispute(dispute=found, actor=signed_in_user(request), request=request)
    except PaymentError as refused:
        return conflict(refused.field, refused.reason)
    return _detail_out(withdrawn)
