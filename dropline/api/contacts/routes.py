"""A person's notification email addresses and mobile numbers, for the mobile app: the
same operations as the web's contact page. Thin: ``dropline.notifications.contacts``
decides, with the same codes and limits (6 digits, 15 minutes, 5 tries a code, 5 codes
an hour for an address), and ``dropline.identity.contacts`` confirms and removes,
recording and alerting the same security events as for the web.

Adding, making primary and removing need a sign-in confirmed within the last five
minutes, as on the web. With the app's session token, a stale one gets allauth's own
401 (``data.flows`` lists ``reauthenticate``): the app confirms at
``/_allauth/app/v1/auth/reauthenticate`` and retries. A browser session confirms on the
web's re-authentication page.

Every contact is looked up with the caller in the query, so another person's id answers
404, before any other check.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import HttpError

from dropline.accounts.requests import signed_in_user
from dropline.api.contacts.schemas import (
    AddContactIn,
    ContactCodeIn,
    ContactCodeSentOut,
    ContactOut,
    NewContactOut,
)
from dropline.api.errors import FieldError
from dropline.api.headless import require_recent_authentication
from dropline.api.schemas import AllauthAuthenticationOut, ErrorOut, InvalidInputOut
from dropline.identity import contacts as contact_changes
from dropline.notifications import contacts as contact_points
from dropline.notifications.models import ContactKind, ContactPoint
from dropline.notifications.queries import contact_state, own_contact, shown_address

router = Router(tags=["contacts"])

CODE_EXPIRES_IN = int(contact_points.CODE_LIFETIME.total_seconds())
# 401 is allauth's answer when the sign-in must be confirmed again (or the API's
# ``{"detail": "Unauthorized"}`` without credentials).
RECHECKED: dict[int, Any] = {401: AllauthAuthenticationOut}
BAD_INPUT: dict[int, Any] = {400: InvalidInputOut, 422: InvalidInputOut}


def _own_contact(request: HttpRequest, contact_id: int) -> ContactPoint:
    return own_contact(user=signed_in_user(request), contact_id=contact_id)


def _contact_out(contact: ContactPoint) -> ContactOut:
    state = contact_state(contact)
    return ContactOut(
        id=contact.pk,
        kind="phone" if contact.kind == ContactKind.PHONE else "email",
        address=shown_address(contact),
        state=state,
        primary=contact.is_primary,
        undeliverable_reason=contact.failure_reason if state == "undeliverable" else "",
    )


def _all_contacts(request: HttpRequest) -> list[ContactOut]:
    return [
        _contact_out(contact)
        for contact in contact_points.contacts_for(user=signed_in_user(request))
    ]


@router.get("/contacts", response=list[ContactOut], summary="Email addresses and mobile numbers")
def list_contacts(request: HttpRequest) -> list[ContactOut]:
    """Where notifications reach the person: email addresses first, then mobile numbers,
    each kind's primary first."""
    return _all_contacts(request)


@router.post(
    "/contacts",
    response={201: NewContactOut, **BAD_INPUT, **RECHECKED},
    summary="Add an email address or mobile number",
)
def add_contact(request: HttpRequest, payload: AddContactIn) -> Status[NewContactOut]:
    """Add the address and send it a 6-digit code (email or text message); it is
    `pending` until the code comes back to `verify`. Any refusal names `address`: not
    an address of that kind, added already, or a code that could not be sent (then
    nothing is kept)."""
    require_recent_authentication(request)
    user = signed_in_user(request)
    try:
        contact = contact_points.add_and_send_code(
            user=user, kind=payload.kind, address=payload.address
        )
    except contact_points.ContactError as exc:
        raise FieldError("address", str(exc)) from None
    return Status(
        201,
        NewContactOut(**_contact_out(contact).model_dump(), code_expires_in=CODE_EXPIRES_IN),
    )


@router.post(
    "/contacts/{contact_id}/verify",
    response={200: ContactOut, 404: ErrorOut, **BAD_INPUT},
    summary="Confirm an address with its code",
)
def verify_contact(request: HttpRequest, contact_id: int, payload: ContactCodeIn) -> ContactOut:
    """The address becomes `verified` (and primary if it is the first of its kind), and
    the person is alerted at every address they have, the new one included. A refusal
    names `code`: wrong, expired, or after five wrong tries, when even the right code
    is refused until a new one is sent. An address already `verified` answers as it
    is, whatever the code."""
    contact = _own_contact(request, contact_id)
    if contact_state(contact) == "verified":
        return _contact_out(contact)
    try:
        contact_changes.verify(contact=contact, code=payload.code, request=request)
    except contact_points.ContactError as exc:
        raise FieldError("code", str(exc)) from None
    return _contact_out(contact)


@router.post(
    "/contacts/{contact_id}/code",
    response={200: ContactCodeSentOut, 404: ErrorOut, 409: ErrorOut, 429: ErrorOut},
    summary="Send a new code",
)
def resend_code(request: HttpRequest, contact_id: int) -> Any:
    """Send a new 6-digit code to a `pending` or `undeliverable` address. 429 when none
    was sent (five this hour already, or it could not be sent): `detail` says why. 409
    for an address that is `verified` and needs none."""
    contact = _own_contact(request, contact_id)
    if contact_state(contact) == "verified":
        raise HttpError(409, _("This address is already confirmed."))
    # No transaction here: a code that could not be sent still counts towards the
    # hourly limit, as on the web.
    try:
        contact_points.send_verification_code(contact=contact)
    except contact_points.ContactError as exc:
        return Status(429, ErrorOut(detail=str(exc)))
    return ContactCodeSentOut(address=shown_address(contact), code_expires_in=CODE_EXPIRES_IN)


@router.post(
    "/contacts/{contact_id}/primary",
    response={200: list[ContactOut], 404: ErrorOut, 409: ErrorOut, **RECHECKED},
    summary="Use an address first",
)
def make_primary(request: HttpRequest, contact_id: int) -> list[ContactOut]:
    """Make a `verified` address the primary one of its kind; answers every contact, as
    the list does, since the former primary changes too. 409 for an address not
    verified yet."""
    contact = _own_contact(request, contact_id)
    require_recent_authentication(request)
    try:
        contact_points.make_primary(contact=contact)
    except contact_points.ContactError as exc:
        raise HttpError(409, str(exc)) from None
    return _all_contacts(request)


@router.delete(
    "/contacts/{contact_id}",
    response={204: None, 404: ErrorOut, 409: ErrorOut, **RECHECKED},
    summary="Remove an address",
)
def remove_contact(request: HttpRequest, contact_id: int) -> Status[None]:
    """Removing a primary address makes the oldest other verified one of its kind
    primary. Removing a verified address alerts the person there and at every address
    they keep. 409 for the mobile number that receives their sign-in codes: turn those
    off first."""
    contact = _own_contact(request, contact_id)
    require_recent_authentication(request)
    try:
        contact_changes.remove(contact=contact, request=request)
    except contact_points.ContactError as exc:
        raise HttpError(409, str(exc)) from None
    return Status(204, None)
