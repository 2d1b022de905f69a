"""Getting back in without the password, for the mobile app: ask for a reset by email
(a link and a code) or by text message (a code), set a new password with the code, or
ask for a username reminder.

No authentication: the person is signed out. Each answer is the web page's: the same
whether or not a login matched, under the same limits (``dropline.identity.recovery``).
allauth's headless ``/_allauth/app/v1/auth/password/request`` sends the same email, and
its ``/auth/password/reset`` takes the key from the emailed link.
"""

from __future__ import annotations

import math

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from dropline.api.errors import FieldError
from dropline.api.recovery.schemas import (
    AcceptedOut,
    ReminderIn,
    ResetByEmailIn,
    ResetByTextIn,
    ResetWithCodeIn,
    ThrottledOut,
)
from dropline.api.schemas import InvalidInputOut
from dropline.core import audit
from dropline.identity.recovery import email_reset, errors, reset_codes, text_reset
from dropline.identity.recovery import username_reminder as reminders

router = Router(tags=["recovery"], auth=None)


def _language() -> str:
    return get_language() or settings.LANGUAGE_CODE


def _throttled(response: HttpResponse, exc: errors.ThrottledError) -> Status[Schema]:
    seconds = max(1, math.ceil(exc.retry_after.total_seconds()))
    response["Retry-After"] = str(seconds)
    return Status(429, ThrottledOut(detail=str(exc), retry_after=seconds))


def _required(field: str, text: str) -> str:
    cleaned = text.strip()
    if not cleaned:
        raise FieldError(field, _("This field is required."))
    return cleaned


THROTTLED = {429: ThrottledOut}


@router.post(
    "/password-reset/email",
    response={202: AcceptedOut, 400: InvalidInputOut, 422: InvalidInputOut, **THROTTLED},
    summary="Email a reset link and code",
)
def reset_by_email(
    request: HttpRequest, response: HttpResponse, payload: ResetByEmailIn
) -> Status[Schema]:
    """The same answer whether or not a login signs in with the address."""
    try:
        email_reset.request_reset_email(email=_required("email", payload.email), request=request)
    except errors.InvalidAddressError as exc:
        raise FieldError("email", str(exc)) from None
    except errors.ThrottledError as exc:
        return _throttled(response, exc)
    detail = _(
        "If a login signs in with this address, we have emailed it a link and a 6-digit code."
    )
    return Status(202, AcceptedOut(detail=detail))


@router.post(
    "/password-reset/text",
    response={202: AcceptedOut, 400: InvalidInputOut, 422: InvalidInputOut, **THROTTLED},
    summary="Text a reset code",
)
def reset_by_text(
    request: HttpRequest, response: HttpResponse, payload: ResetByTextIn
) -> Status[Schema]:
    """The same answer whether or not the login exists or has a verified mobile."""
    try:
        text_reset.request_reset_code(
            identifier=_required("identifier", payload.identifier),
            ip=audit.client_ip(request),
            language=_language(),
        )
    except errors.ThrottledError as exc:
        return _throttled(response, exc)
    detail = _(
        "If this names a login with a verified mobile number, we have texted it a 6-digit code."
    )
    return Status(202, AcceptedOut(detail=detail))


@router.post(
    "/password-reset",
    response={200: AcceptedOut, 400: InvalidInputOut, 422: InvalidInputOut, **THROTTLED},
    summary="Set a new password with a code",
)
def reset_with_code(
    request: HttpRequest, response: HttpResponse, payload: ResetWithCodeIn
) -> Status[Schema]:
    """With the code from the text message or the email. Every other session ends."""
    identifier = _required("identifier", payload.identifier)
    code = reset_codes.clean_code(payload.code)
    if code is None:
        raise FieldError("code", _("Enter the 6 digits of the code."))
    if not payload.password:
        raise FieldError("password", _("This field is required."))
    try:
        reset_codes.reset_password_with_code(
            identifier=identifier, code=code, new_password=payload.password, request=request
        )
    except errors.ThrottledError as exc:
        return _throttled(response, exc)
    except errors.CodeRejectedError as exc:
        raise FieldError("code", str(exc)) from None
    except errors.PasswordRejectedError as exc:
        raise FieldError("password", str(exc)) from None
    detail = _("Your password is changed. Anywhere you were signed in before, you are signed out.")
    return Status(200, AcceptedOut(detail=detail))


@router.post(
    "/username-reminder",
    response={202: AcceptedOut, 400: InvalidInputOut, 422: InvalidInputOut, **THROTTLED},
    summary="Send the username to a verified address",
)
def username_reminder(
    request: HttpRequest, response: HttpResponse, payload: ReminderIn
) -> Status[Schema]:
    """The same answer whether or not the address is verified on any login."""
    try:
        address = reminders.parse_address(_required("address", payload.address))
        reminders.send_username_reminder(
            address=address, ip=audit.client_ip(request), language=_language()
        )
    except errors.InvalidAddressError as exc:
        raise FieldError("address", str(exc)) from None
    except errors.ThrottledError as exc:
        return _throttled(response, exc)
    detail = _("If this address is verified on a login, we have sent the username to it.")
    return Status(202, AcceptedOut(detail=detail))
