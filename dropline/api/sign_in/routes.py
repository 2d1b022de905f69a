"""The mobile app's second sign-in step by text message, beside allauth headless's.

The app signs in at ``/_allauth/app/v1/auth/login``. When the second step is still to
come, allauth answers 401 with a ``session_token`` for the pending login and, in
``data.flows``, the pending step: ``mfa_authenticate`` (allauth's own endpoints) or
``dropline_sms_authenticate`` (a code by text message, these endpoints). The app
sends that pending token as ``X-Session-Token`` here. The endpoints answer in
allauth's shape where allauth would: 401 with the flows when nothing fitting is
pending (or the token opens no session, or there is none), and, once the code is
right, allauth's 200 with the signed-in session's new token.

Thin: the checks and the limits (a new code after 30 seconds, five an hour, five
tries a code) are ``dropline.identity.stages`` and ``sms_factor``, the same as the
web page's.
"""

from __future__ import annotations

from typing import Any

from allauth.headless.base.response import AuthenticationResponse, UnauthorizedResponse
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.security import APIKeyHeader

from dropline.api.errors import FieldError
from dropline.api.headless import in_pending_login_context
from dropline.api.schemas import AllauthAuthenticationOut, ErrorOut, InvalidInputOut
from dropline.api.sign_in.schemas import (
    RouteIn,
    SecondFactorStepOut,
    SignInCodeIn,
    SignInCodeSentOut,
)
from dropline.identity import stages
from dropline.identity.factors import errors, sms_codes

router = Router(tags=["sign-in"])


# What a call without the header is authenticated as here: nobody, left to allauth.
NO_TOKEN = "none"  # noqa: S105 - no secret: the absence of one


class PendingLoginToken(APIKeyHeader):
    """The pending login's ``X-Session-Token``, from ``/_allauth/app/v1/auth/login``.

    Nothing is checked here: which login the token opens, if any, is allauth's lookup
    (``in_pending_login_context``), which answers a missing, ended or forged token as it
    answers any caller with nothing pending: 401 with the flows.
    """

    param_name = "X-Session-Token"
    openapi_description = (
        "The pending login's session token: `meta.session_token` of allauth's 401 from "
        "`POST /_allauth/app/v1/auth/login` while a second step is pending."
    )

    def authenticate(self, request: HttpRequest, key: str | None) -> str:
        return key or NO_TOKEN


pending_login = PendingLoginToken()


ALLAUTH_ANSWERS: dict[int, type[Schema]] = {401: AllauthAuthenticationOut}


def _not_pending(request: HttpRequest) -> HttpResponse:
    """allauth's answer when the step asked for is not what the login waits at."""
    return UnauthorizedResponse(request)


@router.get(
    "/sign-in/second-factor",
    auth=pending_login,
    response={200: SecondFactorStepOut, **ALLAUTH_ANSWERS},
    summary="The pending sign-in's second step",
)
@decorate_view(in_pending_login_context)
def second_factor_step(request: HttpRequest) -> Any:
    """Which second step the pending login waits at, and which others the person has."""
    pending = stages.pending_second_factor(request)
    if pending is None:
        return _not_pending(request)
    factor = (
        sms_codes.sms_factor_for(user=pending.user) if stages.ROUTE_SMS in pending.routes else None
    )
    return SecondFactorStepOut(
        route=pending.route,
        routes=sorted(pending.routes),
        number=sms_codes.masked_number(factor.contact.address) if factor else None,
    )


@router.post(
    "/sign-in/second-factor/route",
    auth=pending_login,
    response={400: InvalidInputOut, 422: InvalidInputOut, **ALLAUTH_ANSWERS},
    summary="Use another second step",
)
@decorate_view(in_pending_login_context)
def choose_route(request: HttpRequest, payload: RouteIn) -> Any:
    """Switch the pending login between allauth's step (`mfa`) and a code by text
    message (`sms`), as "use a text message instead" does on the web. Switching to
    `sms` texts a code unless one was sent for this sign-in already.

    Answers allauth's 401 whose `data.flows` shows the step now pending.
    """
    pending = stages.pending_second_factor(request)
    if pending is None:
        return _not_pending(request)
    if payload.route not in pending.routes:
        raise FieldError(
            "route",
            _("You have no authenticator app or passkey.")
            if payload.route == stages.ROUTE_MFA
            else _("You have not set up sign-in codes by text message."),
        )
    stages.choose_route(request, payload.route)
    return AuthenticationResponse(request)


@router.post(
    "/sign-in/text-message/send",
    auth=pending_login,
    response={200: SignInCodeSentOut, 429: ErrorOut, **ALLAUTH_ANSWERS},
    summary="Text a new sign-in code",
)
@decorate_view(in_pending_login_context)
def send_code(request: HttpRequest) -> Any:
    """Text a new code to the person's number; earlier codes stop working.

    The first code goes out when the login reaches this step. 429 when no code was
    sent (asked again too soon, too many this hour, or the text could not be sent):
    `detail` says why and what to do.
    """
    step = stages.sms_step(request)
    if step is None:
        return _not_pending(request)
    try:
        sms_codes.send_sign_in_code(factor=step.factor)
    except errors.SecondFactorError as exc:
        return Status(429, ErrorOut(detail=str(exc)))
    return SignInCodeSentOut(
        number=sms_codes.masked_number(step.factor.contact.address),
        expires_in=int(sms_codes.CODE_LIFETIME.total_seconds()),
        resend_after=int(sms_codes.RESEND_AFTER.total_seconds()),
    )


@router.post(
    "/sign-in/text-message/authenticate",
    auth=pending_login,
    response={
        200: AllauthAuthenticationOut,
        400: InvalidInputOut,
        422: InvalidInputOut,
        **ALLAUTH_ANSWERS,
    },
    summary="Finish signing in with the texted code",
)
@decorate_view(in_pending_login_context)
def authenticate(request: HttpRequest, payload: SignInCodeIn) -> Any:
    """Answers as allauth's `/auth/2fa/authenticate` does: 200 with `meta.session_token`,
    the signed-in session's token, to use from now on. A wrong code answers 400 naming
    `code`; after five wrong tries the code is used up and a new one must be sent.
    """
    step = stages.sms_step(request)
    if step is None:
        return _not_pending(request)
    try:
        stages.pass_sms_step(request, step, code=payload.code)
    except errors.SecondFactorError as exc:
        raise FieldError("code", str(exc)) from None
    return AuthenticationResponse(request)
