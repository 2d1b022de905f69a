"""Getting a login from the mobile app: claiming an account with the bill's details, or
redeeming an invitation code. Thin: ``dropline.identity.claiming`` decides, as for the
web pages, with the same checks, the same identical refusal for every "no matching
account" and the same limits per IP address and per account number.

Someone signed out creates a login (``/new-login/...``, no authentication). The new
login is then signed in the way the web does it, through allauth's ``complete_signup``,
but as allauth headless's ``app`` client: the answer is allauth's own, the 401 of an app
sign-up whose ``data.flows`` has ``verify_email`` pending, with the pending login's
``meta.session_token``. The app sends the emailed code to allauth's
``/_allauth/app/v1/auth/email/verify`` with that token and is signed in.

Someone signed in adds an account to their login (``/accounts/...``).

Each domain function is one transaction. The views add none around them: the limits'
counters live in the shared cache, which is the database by default, and a refusal
must not roll its own count back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from allauth.account import app_settings as allauth_settings
from allauth.account.utils import complete_signup
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.headless.base.response import AuthenticationResponse
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.decorators import decorate_view

from dropline.accounts.requests import signed_in_user
from dropline.api.claiming.schemas import (
    AccountDetailsIn,
    ClaimIn,
    InvitationCodeIn,
    JoinedOut,
    RedeemIn,
    TooManyAttemptsOut,
)
from dropline.api.headless import in_allauth_app_context
from dropline.api.schemas import (
    AccountRefOut,
    AllauthAuthenticationOut,
    ErrorOut,
    FieldErrorOut,
    InvalidInputOut,
)
from dropline.core import audit
from dropline.customers.models import AccountMember
from dropline.identity import claiming

router = Router(tags=["getting a login"])

Answer = Status[Any]

NEW_LOGIN_ANSWERS: dict[int, Any] = {
    401: AllauthAuthenticationOut,
    400: InvalidInputOut,
    409: ErrorOut,
    410: AllauthAuthenticationOut,
    422: InvalidInputOut,
    429: TooManyAttemptsOut,
}
JOIN_ANSWERS: dict[int, Any] = {
    201: JoinedOut,
    400: InvalidInputOut,
    422: InvalidInputOut,
    429: TooManyAttemptsOut,
}


def _refused(response: HttpResponse, exc: claiming.ClaimError) -> Answer:
    """A domain refusal as the API's error shape: 429 with ``Retry-After`` for the
    limits, else 400 naming the field (``body`` when it is the details as a whole)."""
    if isinstance(exc, claiming.TooManyAttemptsError):
        seconds = exc.minutes * 60
        response["Retry-After"] = str(seconds)
        return Status(429, TooManyAttemptsOut(detail=str(exc), retry_after=seconds))
    if isinstance(exc, claiming.LoginDetailsError):
        errors = [
            FieldErrorOut(field=field, reason=reason)
            for field, reasons in exc.errors.items()
            for reason in reasons
        ]
    else:
        field = "code" if isinstance(exc, claiming.InvitationCodeError) else "body"
        errors = [FieldErrorOut(field=field, reason=str(exc))]
    return Status(400, InvalidInputOut(detail=str(exc), errors=errors))


def _new_login(
    request: HttpRequest, response: HttpResponse, *, create: Callable[[], AccountMember]
) -> HttpResponse | Answer:
    """Create the login with ``create`` (which answers its membership, audited) and
    start its sign-in as an app sign-up.

    Runs inside allauth's app context (``in_allauth_app_context``), so
    ``request.session`` is the session the answer's token names.
    """
    if request.user.is_authenticated:
        return Status(
            409,
            ErrorOut(detail=_("You are already signed in. Add the account to your login instead.")),
        )
    try:
        member = create()
    except claiming.ClaimError as exc:
        return _refused(response, exc)
    try:
        started = complete_signup(
            request, member.user, allauth_settings.EMAIL_VERIFICATION, reverse("portal:overview")
        )
    except ImmediateHttpResponse:
        started = None
    return AuthenticationResponse.from_response(request, started)


@router.post(
    "/new-login/claim",
    auth=None,
    response=NEW_LOGIN_ANSWERS,
    summary="Claim an account with the bill's details",
)
@decorate_view(in_allauth_app_context)
def claim(request: HttpRequest, response: HttpResponse, payload: ClaimIn) -> Any:
    """Create a login that holds the account, then sign in as after an app sign-up.

    Answers allauth's 401 with `verify_email` pending and `meta.session_token`: send the
    emailed code to `/_allauth/app/v1/auth/email/verify` with that token. Any detail
    that matches no claimable account gets the same 400 (`body`), whatever was wrong.
    409 when the caller is already signed in (use `POST /accounts/claim`).
    """

    def create() -> AccountMember:
        return claiming.claim_account(
            account_number=payload.account_number,
            postal_code=payload.postal_code,
            last_name=payload.last_name,
            username=payload.username,
            email=payload.email,
            password=payload.password,
            request_ip=audit.client_ip(request),
            language=get_language() or "",
            request=request,
        )

    return _new_login(request, response, create=create)


@router.post(
    "/new-login/invitation",
    auth=None,
    response=NEW_LOGIN_ANSWERS,
    summary="Redeem an invitation code",
)
@decorate_view(in_allauth_app_context)
def redeem(request: HttpRequest, response: HttpResponse, payload: RedeemIn) -> Any:
    """Create a login on the code's account, with the code's role, then sign in as
    after an app sign-up (see the claim). A code that cannot be used answers 400 naming
    `code`. 409 when the caller is already signed in (use `POST /accounts/invitation`).
    """

    def create() -> AccountMember:
        return claiming.redeem_invitation(
            code=payload.code,
            username=payload.username,
            email=payload.email,
            password=payload.password,
            request_ip=audit.client_ip(request),
            language=get_language() or "",
            request=request,
        )

    return _new_login(request, response, create=create)


def _joined(member: AccountMember) -> Answer:
    account = member.account
    return Status(
        201,
        JoinedOut(
            account=AccountRefOut(number=account.number, name=account.name, role=member.role)
        ),
    )


@router.post("/accounts/claim", response=JOIN_ANSWERS, summary="Add an account you hold")
def claim_for_me(request: HttpRequest, response: HttpResponse, payload: AccountDetailsIn) -> Answer:
    """The signed-in person becomes the holder of another account, by the bill's details."""
    user = signed_in_user(request)
    try:
        member = claiming.claim_account_for_user(
            user=user,
            account_number=payload.account_number,
            postal_code=payload.postal_code,
            last_name=payload.last_name,
            request_ip=audit.client_ip(request),
            request=request,
        )
    except claiming.ClaimError as exc:
        return _refused(response, exc)
    return _joined(member)


@router.post("/accounts/invitation", response=JOIN_ANSWERS, summary="Join with an invitation code")
def redeem_for_me(
    request: HttpRequest, response: HttpResponse, payload: InvitationCodeIn
) -> Answer:
    """The signed-in person joins the code's account with their login."""
    user = signed_in_user(request)
    try:
        member = claiming.accept_invitation(
            code=payload.code, user=user, request_ip=audit.client_ip(request), request=request
        )
    except claiming.ClaimError as exc:
        return _refused(response, exc)
    return _joined(member)
