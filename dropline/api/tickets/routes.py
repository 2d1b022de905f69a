"""Support requests from the app: list them (newest first, a page at a time), open one,
read one with its thread (never staff's internal notes), write in it, download a file,
close it and rate the help. Thin: ``dropline.helpdesk.tickets`` decides.

The account is the first of the caller's unless ``account`` names another of theirs;
another account's request or file answers 404. Bad input answers 400 naming the field
(422 when the body is not the right shape); a request merged into another, closed too
long ago to reopen (or already, for closing), not closed yet or already rated (for a
rating) answers 409.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Query, Router, Status

from dropline.accounts.requests import signed_in_user
from dropline.api.errors import FieldError
from dropline.api.membership import membership_asked
from dropline.api.schemas import (
    AccountQuery,
    AccountRefOut,
    ErrorOut,
    FieldErrorOut,
    InvalidInputOut,
    file_download,
)
from dropline.api.tickets.schemas import (
    RatingIn,
    TicketDetailOut,
    TicketFileOut,
    TicketIn,
    TicketMessageIn,
    TicketMessageOut,
    TicketOut,
    TicketPageOut,
    TicketsQuery,
)
from dropline.core import pagination, uploads
from dropline.customers.models import AccountMember
from dropline.helpdesk.errors import SupportError
from dropline.helpdesk.models import Ticket, TicketMessage
from dropline.helpdesk.tickets import closing, queries
from dropline.helpdesk.tickets.opening import open_ticket
from dropline.helpdesk.tickets.replying import customer_reply

router = Router(tags=["tickets"])
PAGE_SIZE = 50
ANSWERS: dict[int, Any] = {400: InvalidInputOut, 404: ErrorOut, 409: InvalidInputOut}
# Refusals for the request's state (409), not the input: merged, closed (already, or too
# long ago to reopen), not closed yet or already rated (a rating).
REFUSED_STATES = {"closed", "merged", "not_closed", "already_rated"}


def _refused(refused: SupportError) -> Any:
    if refused.code == "not_found":
        raise Http404
    if refused.code in REFUSED_STATES:
        return Status(
            409,
            InvalidInputOut(
                detail=refused.message,
                errors=[FieldErrorOut(field=refused.field or "body", reason=refused.message)],
            ),
        )
    raise FieldError(refused.field or "body", refused.message)


def _ticket(membership: AccountMember, ticket_id: int) -> Ticket:
    found = queries.ticket_for(account=membership.account, ticket_id=ticket_id)
    if found is None:
        raise Http404
    return found


def _ticket_out(ticket: Ticket) -> dict[str, Any]:
    return {
        "id": ticket.pk,
        "number": ticket.number,
        "category": ticket.category,
        "category_label": str(ticket.get_category_display()),
        "subject": ticket.subject,
        "status": ticket.status,
        "status_label": str(ticket.get_status_display()),
        "created_at": ticket.created_at,
        "updated_at": ticket.updated_at,
        "due_at": ticket.due_at,
        "closed_at": ticket.closed_at,
        "merged_into_id": ticket.merged_into_id,
        "rating": ticket.rating,
    }


def _author(message: TicketMessage) -> str:
    author = message.author
    if author is None:
        return ""
    if message.from_staff:
        return author.first_name
    return author.get_full_name() or author.get_username()


def _message_out(ticket: Ticket, message: TicketMessage) -> TicketMessageOut:
    return TicketMessageOut(
        id=message.pk,
        from_staff=message.from_staff,
        author=_author(message),
        body=message.body,
        created_at=message.created_at,
        attachments=[
            TicketFileOut(
                id=file.pk,
                name=file.original_name,
                content_type=file.content_type,
                size=file.size,
                url=reverse(
                    "api-v1:ticket_file",
                    kwargs={"ticket_id": ticket.pk, "attachment_id": file.pk},
                ),
            )
            for file in message.attachments.all()
        ],
    )


def _detail_out(ticket: Ticket) -> TicketDetailOut:
    return TicketDetailOut(
        **_ticket_out(ticket),
        messages=[_message_out(ticket, m) for m in queries.customer_thread(ticket)],
    )


@router.get("/tickets", response={200: TicketPageOut, 404: ErrorOut}, summary="Your requests")
def tickets(request: HttpRequest, query: Query[TicketsQuery]) -> TicketPageOut:
    """The account's support requests, newest first, 50 at a time; pass `before_id` from
    `next_before_id` for the next page."""
    membership = membership_asked(request, query.account)
    account = membership.account
    page = pagination.keyset_page(
        queries.tickets_for(account=account),
        after=query.before_id,
        limit=query.limit,
        default_limit=PAGE_SIZE,
        max_limit=PAGE_SIZE,
    )
    return TicketPageOut(
        account=AccountRefOut(number=account.number, name=account.name, role=membership.role),
        tickets=[TicketOut(**_ticket_out(t)) for t in page.rows],
        next_before_id=page.next_key,
    )


@router.post("/tickets", response={201: TicketDetailOut, **ANSWERS}, summary="Ask for help")
def create(request: HttpRequest, body: TicketIn) -> Any:
    """Open a support request. We answer by `due_at` and let you know when we do."""
    membership = membership_asked(request, body.account)
    try:
        ticket = open_ticket(
            account=membership.account,
            person=signed_in_user(request),
            category=body.category,
            subject=body.subject,
            description=body.description,
        )
    except SupportError as refused:
        return _refused(refused)
    return Status(201, _detail_out(ticket))


@router.get(
    "/tickets/{ticket_id}",
    response={200: TicketDetailOut, 404: ErrorOut},
    summary="One request with its messages",
)
def ticket(request: HttpRequest, ticket_id: int, query: Query[TicketsQuery]) -> Any:
    """The request with its messages and files, oldest first (never staff's internal notes)."""
    membership = membership_asked(request, query.account)
    return _detail_out(_ticket(membership, ticket_id))


@router.post(
    "/tickets/{ticket_id}/messages",
    response={201: TicketMessageOut, **ANSWERS},
    summary="Write in a request",
)
def message(request: HttpRequest, ticket_id: int, body: TicketMessageIn) -> Any:
    """Your message puts the request back to waiting for us. A request closed within the
    last 7 days opens again; one closed earlier, or merged into another, answers 409."""
    membership = membership_asked(request, body.account)
    found = _ticket(membership, ticket_id)
    try:
        written = customer_reply(
            account=membership.account,
            person=signed_in_user(request),
            ticket_id=found.pk,
            body=body.body,
        )
    except SupportError as refused:
        return _refused(refused)
    return Status(201, _message_out(found, written))


@router.get(
    "/tickets/{ticket_id}/files/{attachment_id}",
    response={200: None, 404: ErrorOut},
    summary="Download a file of a request",
    url_name="ticket_file",
    openapi_extra=file_download("The file, as an attachment with its type."),
)
def download(
    request: HttpRequest, ticket_id: int, attachment_id: int, query: Query[TicketsQuery]
) -> HttpResponse:
    """The file as sent (an attachment, with the type found in its content)."""
    membership = membership_asked(request, query.account)
    found = queries.customer_attachment(
        account=membership.account, ticket_id=ticket_id, attachment_id=attachment_id
    )
    if found is None:
        raise Http404
    return uploads.download(found)


@router.post(
    "/tickets/{ticket_id}/close",
    response={200: TicketDetailOut, 404: ErrorOut, 409: InvalidInputOut},
    summary="Close a request",
)
def close(request: HttpRequest, ticket_id: int, query: Query[AccountQuery]) -> Any:
    """Close a request that no longer needs an answer; then rate the help. 409 when it is
    already closed or was merged into another. A message within 7 days opens it again."""
    membership = membership_asked(request, query.account)
    found = _ticket(membership, ticket_id)
    try:
        closed = closing.close(
            account=membership.account, person=signed_in_user(request), ticket_id=found.pk
        )
    except SupportError as refused:
        return _refused(refused)
    return _detail_out(closed)


@router.post(
    "/tickets/{ticket_id}/rating",
    response={200: TicketOut, 400: InvalidInputOut, 404: ErrorOut, 409: InvalidInputOut},
    summary="Rate the help on a closed request",
)
def rate(request: HttpRequest, ticket_id: int, body: RatingIn, query: Query[AccountQuery]) -> Any:
    """Once per request, while it is closed: 1 to 5 stars and an optional comment. 409
    naming `rating` when the request is not closed or was rated already."""
    membership = membership_asked(request, query.account)
    found = _ticket(membership, ticket_id)
    try:
        rated = closing.rate(
            account=membership.account,
            person=signed_in_user(request),
            ticket_id=found.pk,
            rating=body.rating,
            comment=body.comment,
        )
    except SupportError as refused:
        return _refused(refused)
    return TicketOut(**_ticket_out(rated))
