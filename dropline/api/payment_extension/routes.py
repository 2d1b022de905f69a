"""A payment extension from the app: read the options, ask for a later date. Thin:
``dropline.payments.extensions`` decides. The account is the first of the caller's
unless ``account`` names another of theirs (404 for any other); asking needs someone
who may pay the bills (403); a refusal answers 422 naming ``until`` with a ``code``
(``too_late``, ``too_early``, ``too_soon``, ``already_extended``, ``nothing_to_pay``).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError

from dropline.api.membership import membership_asked
from dropline.api.payment_extension.schemas import (
    ExtensionIn,
    ExtensionOut,
    ExtensionQuery,
    ExtensionRefusedOut,
)
from dropline.api.schemas import AccountRefOut, ErrorOut, FieldErrorOut
from dropline.customers.models import AccountMember
from dropline.customers.permissions import can_pay_bills
from dropline.payments import extensions
from dropline.payments.errors import PaymentError

router = Router(tags=["autopay"])


def _out(membership: AccountMember) -> ExtensionOut:
    account = membership.account
    options = extensions.options_for(account=account)
    return ExtensionOut(
        account=AccountRefOut(number=account.number, name=account.name, role=membership.role),
        invoice=options.invoice.number if options.invoice else None,
        due_on=options.invoice.due_on if options.invoice else None,
        latest_until=options.latest_until,
        until=options.current.until if options.current else None,
        may_ask=options.may_ask and options.current is None,
        next_allowed_on=options.next_allowed_on,
    )


@router.get(
    "/payment-extension",
    response={200: ExtensionOut, 404: ErrorOut},
    summary="The open bill's extension and the options",
)
def read(request: HttpRequest, query: Query[ExtensionQuery]) -> ExtensionOut:
    """The open bill's extension, if any, and the latest date one may ask for."""
    return _out(membership_asked(request, query.account))


@router.post(
    "/payment-extension",
    response={201: ExtensionOut, 403: ErrorOut, 404: ErrorOut, 422: ExtensionRefusedOut},
    summary="Ask for a later date to pay the open bill by",
)
def ask(request: HttpRequest, body: ExtensionIn, query: Query[ExtensionQuery]) -> Any:
    """Ask to pay the open bill by `until`, no late fee until then. A date the rules
    refuse answers 422 naming `until` with a `code`."""
    membership = membership_asked(request, query.account)
    if not can_pay_bills(membership):
        raise HttpError(403, _("Only someone who may pay this account's bills can do this."))
    try:
        extensions.ask_extension(account=membership.account, until=body.until, actor=request.user)
    except PaymentError as refused:
        return Status(
            422,
            ExtensionRefusedOut(
                detail=refused.reason,
                code=refused.code,
                errors=[FieldErrorOut(field=refused.field, reason=refused.reason)],
            ),
        )
    return Status(201, _out(membership))
