"""The security page's own controls, for the mobile app: the person's security activity,
Dropline's part of their second factors (the list, the default, text-message codes), and
the sessions-and-devices page (sessions with "this device", ending one or all the others,
forgetting trusted browsers).

allauth headless serves the rest under ``/_allauth/app/v1/``: password, email,
authenticator app, passkeys, recovery codes and re-authentication.

Thin: ``dropline.identity.security_events.activity``, ``sms_factor`` and
``dropline.identity.sessions`` decide, as for the web pages. Every read has the signed-in
person in the query, so another person's ids answer 404. Changing second factors needs a
re-authentication within the last five minutes, as on the web; the state is allauth's
own, in the session behind the ``X-Session-Token`` (or the browser session), so a stale
caller gets allauth's 401 with the ``reauthenticate`` flows, confirms at
``/_allauth/app/v1/auth/reauthenticate`` (or ``/auth/2fa/reauthenticate``) and sends the
request again.
"""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import get_adapter as get_account_adapter
from django.conf import settings
from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from dropline.accounts.devices import parse_user_agent
from dropline.accounts.models import SecondFactorMethod, User
from dropline.accounts.requests import signed_in_user
from dropline.api.errors import FieldError
from dropline.api.headless import caller_session_key, require_recent_authentication
from dropline.api.schemas import AllauthAuthenticationOut, ErrorOut, FieldErrorOut, InvalidInputOut
from dropline.api.security.schemas import (
    ActivityEventOut,
    ActivityPageOut,
    ActivityQuery,
    DefaultMethodIn,
    EndedSessionsOut,
    FactorOut,
    NumberOut,
    RecoveryCodesOut,
    RemoveIn,
    SecondFactorsOut,
    SessionOut,
    SessionsOut,
    TextMessageFactorOut,
    TextMessageIn,
    TrustedBrowsersOut,
    WarningOut,
)
from dropline.core.phones import display_phone
from dropline.identity import sessions as user_sessions
from dropline.identity.factors import errors as factor_errors
from dropline.identity.factors import listing, sms_codes
from dropline.identity.factors import removal as factor_removal
from dropline.identity.security_events import activity as security_activity

router = Router(tags=["security"])

# allauth's name for the second-factor app, as the web's ``reauthentication_required``.
MFA_APP = "allauth.mfa"
CONFIRM_LAST = "confirm_last"
CONTACT_ID = "contact_id"

# A change refused for want of a recent re-authentication: allauth's answer.
REAUTHENTICATE: dict[int, Any] = {401: AllauthAuthenticationOut}
BAD_INPUT: dict[int, Any] = {400: InvalidInputOut, 422: InvalidInputOut}


# Security activity ---------------------------------------------------------------------------


@router.get(
    "/security/activity",
    response={200: ActivityPageOut, 422: InvalidInputOut},
    summary="Security activity",
)
def activity(request: HttpRequest, query: Query[ActivityQuery]) -> ActivityPageOut:
    """The person's sign-ins, failed attempts and changes to how they sign in, newest
    first, 25 a page, as the web's security activity page; at most 40 pages deep."""
    this_device = parse_user_agent(request.headers.get("User-Agent", ""))
    page = security_activity.activity_page(
        user=signed_in_user(request),
        number=query.page,
        current_fingerprint=this_device.fingerprint,
    )
    return ActivityPageOut(
        events=[
            ActivityEventOut(
                id=row.event.pk,
                at=row.at,
                kind=row.event.kind,
                description=row.what,
                failed=row.failed,
                new_device=row.new_device,
                device=row.device,
                this_device=row.this_device,
                ip=row.event.ip,
            )
            for row in page.rows
        ],
        page=page.number,
        previous_page=page.previous_number if page.has_previous else None,
        next_page=page.next_number if page.has_next else None,
        older_not_listed=page.at_limit,
        this_device=this_device.label if this_device.browser or this_device.os else "",
        time_zone=settings.TIME_ZONE,
    )


# Second factors ------------------------------------------------------------------------------


def _factor_out(factor: listing.Factor) -> FactorOut:
    return FactorOut(
        method=factor.method,
        id=factor.id,
        name=factor.name,
        created_at=factor.added_at,
        last_used_at=factor.last_used_at,
        is_default=factor.is_default,
        passwordless=factor.passwordless,
    )


def _second_factors(user: User) -> SecondFactorsOut:
    summary = listing.factors_for(user=user)
    current = summary.sms_factor
    in_use = sms_codes.sms_factor_for(user=user) if current is not None else None
    return SecondFactorsOut(
        factors=[_factor_out(factor) for factor in summary.factors],
        default_method=summary.default_method,
        recovery_codes=(
            RecoveryCodesOut(
                left=summary.recovery_codes_left,
                total=summary.recovery_codes_total,
                viewable=summary.recovery_codes_viewable,
            )
            if summary.recovery_codes_left is not None
            else None
        ),
        text_message_numbers=[
            NumberOut(
                contact_id=contact.pk,
                number=display_phone(contact.address),
                receives_codes=in_use is not None and in_use.contact_id == contact.pk,
            )
            for contact in sms_codes.verified_numbers(user=user)
        ],
    )


@router.get("/security/second-factors", response=SecondFactorsOut, summary="Second factors")
def second_factors(request: HttpRequest) -> SecondFactorsOut:
    """Every second factor, the one asked for first, how many recovery codes are left
    (never the codes: allauth's recovery-codes endpoint shows them, once) and the
    numbers that can receive sign-in codes."""
    return _second_factors(signed_in_user(request))


@router.put(
    "/security/second-factors/default",
    response={200: SecondFactorsOut, **BAD_INPUT, **REAUTHENTICATE},
    summary="Choose what is asked for first",
)
def set_default(request: HttpRequest, payload: DefaultMethodIn) -> Any:
    """Ask for `method` (`totp`, `webauthn` or `sms`, one the person has) first at
    sign-in. Needs a re-authentication within the last five minutes."""
    user = signed_in_user(request)
    require_recent_authentication(request, app=MFA_APP)
    with transaction.atomic():
        factor_removal.lock_factors(user)
        try:
            listing.set_default_method(user=user, method=payload.method)
        except factor_errors.SecondFactorError as exc:
            raise FieldError("method", str(exc)) from None
    return _second_factors(user)


@router.post(
    "/security/second-factors/text-message",
    response={200: TextMessageFactorOut, 404: InvalidInputOut, **BAD_INPUT, **REAUTHENTICATE},
    summary="Turn on sign-in codes by text message",
)
def add_text_message(request: HttpRequest, payload: TextMessageIn) -> Any:
    """Send sign-in codes to one of the person's confirmed mobile numbers (moving them
    there if they already go to another). The weakest second factor: the answer carries
    the warning the web page shows. Another person's number answers 404, a number not
    confirmed (or whose last text did not arrive) 400, both naming `contact_id`. Needs
    a re-authentication within the last five minutes; ends the trust given to browsers."""
    user = signed_in_user(request)
    require_recent_authentication(request, app=MFA_APP)
    with transaction.atomic():
        if sms_codes.mobile_number_of(user=user, contact_id=payload.contact_id) is None:
            reason = _("Choose one of your mobile numbers.")
            return Status(
                404,
                InvalidInputOut(
                    detail=reason, errors=[FieldErrorOut(field=CONTACT_ID, reason=reason)]
                ),
            )
        try:
            sms_codes.enable_sms_factor(user=user, contact_id=payload.contact_id, request=request)
        except factor_errors.SecondFactorError as exc:
            raise FieldError(CONTACT_ID, str(exc)) from None
        added = listing.factors_for(user=user).sms_factor
    assert added is not None
    return TextMessageFactorOut(
        factor=_factor_out(added),
        warning=WarningOut(
            title=_("The weakest second factor"),
            text=_(
                "Text messages can be intercepted, and someone who takes over your phone "
                "number (a SIM swap) receives your codes. An authenticator app or a passkey "
                "protects you better; use text messages only if you cannot use those."
            ),
        ),
    )


@router.delete(
    "/security/second-factors/text-message",
    response={204: None, 404: ErrorOut, 409: ErrorOut, **BAD_INPUT, **REAUTHENTICATE},
    summary="Turn off sign-in codes by text message",
)
def remove_text_message(request: HttpRequest, payload: RemoveIn | None = None) -> Any:
    """Stop sending sign-in codes by text message. As for allauth's removal of an
    authenticator app or passkeys: the last second factor goes only with
    `"confirm_last": true` in the JSON body (else 400 naming `confirm_last`, and nothing
    changes); staff keep an authenticator app or passkey (409). 404 when codes by text
    message are off. Needs a re-authentication within the last five minutes."""
    user = signed_in_user(request)
    require_recent_authentication(request, app=MFA_APP)
    confirmed = payload is not None and payload.confirm_last
    with transaction.atomic():
        factor_removal.lock_factors(user)
        factor = listing.factors_for(user=user).sms_factor
        if factor is None:
            return Status(
                404, ErrorOut(detail=_("This way of signing in has already been removed."))
            )
        removal = factor_removal.removal_of(user=user, factor=factor)
        if removal.blocked_reason is not None:
            return Status(409, ErrorOut(detail=removal.blocked_reason))
        if removal.is_last and not confirmed:
            raise FieldError(
                CONFIRM_LAST,
                _(
                    "This is your last second factor. Confirm that your account will be "
                    "protected by the password alone."
                ),
            )
        factor_removal.remove_factor(
            request=request,
            user=user,
            method=SecondFactorMethod.TEXT_MESSAGE,
            factor_id=factor.id,
            confirm_last=confirmed,
        )
    return Status(204, None)


# Sessions and devices ------------------------------------------------------------------------
#
# ``end-others`` is routed before ``{session_id}``, which would take its name for an id.
# The web's sessions page (``portal/security``) asks for no re-authentication to end a
# session or forget the trusted browsers, and neither do these: signing a lost phone out
# must not wait for the password, which whoever has the phone may have changed.


def _session_out(session: user_sessions.ActiveSession) -> SessionOut:
    return SessionOut(
        id=session.id,
        device=session.device_label,
        browser=session.device.browser,
        os=session.device.os,
        user_agent=session.user_agent,
        ip=session.ip,
        first_seen=session.first_seen,
        last_seen=session.last_seen,
        this_device=session.is_current,
    )


@router.get("/security/sessions", response=SessionsOut, summary="Sessions and devices")
def sessions(request: HttpRequest) -> SessionsOut:
    """The browsers and apps signed in to the person's login, as the web's "Sessions and
    devices" page lists them: the one asking first (`this_device`), then the most recently
    seen; and whether the browser asking is trusted to skip the second factor."""
    user = signed_in_user(request)
    active = user_sessions.active_sessions(
        user=user, current_session_key=caller_session_key(request)
    )
    trust = user_sessions.trust_applies(user=user)
    return SessionsOut(
        sessions=[_session_out(session) for session in active],
        others=sum(1 for session in active if not session.is_current),
        trusted_browsers=(
            TrustedBrowsersOut(
                this_browser_trusted_until=user_sessions.trusted_browser_until(
                    request=request, user=user
                )
            )
            if trust
            else None
        ),
    )


@router.post(
    "/security/sessions/end-others",
    response=EndedSessionsOut,
    summary="Sign out everywhere else",
)
def end_other_sessions(request: HttpRequest) -> EndedSessionsOut:
    """Sign out every other session of the person, the web's and the app's; the one asking
    stays signed in."""
    ended = user_sessions.end_other_sessions(
        user=signed_in_user(request), current_session_key=caller_session_key(request)
    )
    return EndedSessionsOut(ended=[_session_out(session) for session in ended])


@router.delete(
    "/security/sessions/{session_id}",
    response={204: None, 404: ErrorOut},
    summary="Sign a session out",
)
def end_session(request: HttpRequest, session_id: int) -> Any:
    """Sign out one of the person's sessions: its next request, on the web or in the app,
    is signed out. Ending the session asking signs the caller out too: its token (or
    browser session) answers 401 from then on. Another person's session answers 404."""
    user = signed_in_user(request)
    current = caller_session_key(request)
    try:
        ended = user_sessions.end_session(
            user=user, session_id=session_id, current_session_key=current
        )
    except user_sessions.SessionNotFoundError:
        raise Http404 from None
    if ended.is_current and current == request.session.session_key:
        # The browser's own session: signed out here too, as the web page does, so the
        # answer takes its cookie away. An app's token session is simply gone.
        get_account_adapter(request).logout(request)
    return Status(204, None)


@router.delete(
    "/security/trusted-browsers",
    response={204: None},
    summary="Stop trusting all browsers",
)
def forget_trusted_browsers(request: HttpRequest) -> Any:
    """Every browser trusted so far ("Trust this browser" at sign-in) asks for the second
    factor at its next sign-in. Recorded in the person's security activity."""
    user_sessions.forget_trusted_browsers(user=signed_in_user(request), request=request)
    return Status(204, None)
