"""The second step of signing in, as allauth login stages.

allauth runs a list of stages after the password (``AccountAdapter.get_login_stages``);
the pending login, with each stage's state, waits in the session until the last one
is handled. Dropline replaces two of allauth's and adds one:

- ``AuthenticateStage`` (allauth's key, so allauth's page and API endpoints still
  serve it): the authenticator app / passkey / recovery code step. It also honours
  the server-side revocation of trusted browsers, and steps aside when the person
  chose (or defaults to) a text message.
- ``SmsAuthenticateStage``: a code by text message, for people with that factor when
  it is their choice or their only factor.
- ``TrustStage``: allauth's "trust this browser?", offered after either step.

Exactly one of the two second-factor stages asks, whichever route the person takes:
both compute it with ``second_factor_route``, which only ever returns a route the
person actually has. ``choose_route`` (the "use a text message instead" button and
its opposite) may switch between them only while one of them is the current stage.

The web pages and the mobile app's endpoints share the helpers below
(``pending_second_factor``, ``sms_step``, ``pass_sms_step``), so both check the same
things in the same order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from allauth.account.internal.flows.login import record_authentication, resume_login
from allauth.account.internal.stagekit import unstash_login
from allauth.account.models import Login
from allauth.account.stages import EmailVerificationStage as AllauthEmailVerificationStage
from allauth.account.stages import LoginStage, LoginStageController
from allauth.core.internal.httpkit import headed_redirect_response, is_headless_request
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.stages import AuthenticateStage as AllauthAuthenticateStage
from allauth.mfa.stages import TrustStage as AllauthTrustStage
from allauth.mfa.utils import is_mfa_enabled
from allauth.mfa.webauthn.internal.flows import did_use_passwordless_login
from django.contrib import messages
from django.http import HttpRequest, HttpResponse

from dropline.accounts.models import SecondFactorMethod, SmsSecondFactor, User
from dropline.accounts.queries import sign_in_fact
from dropline.identity.factors import errors, listing, sms_codes, trusted_browsers

Route = Literal["mfa", "sms"]
ROUTE_MFA: Final = "mfa"  # allauth's page: authenticator app, passkey or recovery code
ROUTE_SMS: Final = "sms"
ROUTES = (ROUTE_MFA, ROUTE_SMS)
CHOICE_KEY = "dropline_second_factor_route"
SMS_STAGE_KEY = "dropline_sms_authenticate"


def _user(login: object) -> User | None:
    user = getattr(login, "user", None)
    return user if isinstance(user, User) else None


def skips_second_factor(request: HttpRequest, user: User) -> bool:
    """A passkey sign-in already was two factors; a trusted browser is exempt."""
    return did_use_passwordless_login(request, user) or trusted_browsers.is_trusted_browser(
        request=request, user=user
    )


def second_factor_route(request: HttpRequest, login: object) -> str | None:
    """Which second-factor page this sign-in goes to; None when the person has none."""
    user = _user(login)
    if user is None:
        return None
    has_mfa = is_mfa_enabled(user, [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN])
    has_sms = sms_codes.has_sms_factor(user=user)
    if not has_sms:
        return ROUTE_MFA if has_mfa else None
    if not has_mfa:
        return ROUTE_SMS
    chosen = getattr(login, "state", {}).get(CHOICE_KEY)
    if chosen in ROUTES:
        return str(chosen)
    if is_headless_request(request):
        # allauth's step first: every version of the app knows it. Newer ones can
        # switch to the text message (``/api/v1/sign-in/second-factor/route``).
        return ROUTE_MFA
    default = listing.default_method_for(user=user)
    return ROUTE_SMS if default == SecondFactorMethod.TEXT_MESSAGE else ROUTE_MFA


class EmailVerificationStage(AllauthEmailVerificationStage):
    """allauth's step, without asking the database again when the sign-in already
    found the login with a verified address (``queries.user_for_sign_in``). A sign-in
    by email address (allauth then checks that very address) or a login without one
    goes through allauth's own step."""

    def handle(self) -> tuple[HttpResponse | None, bool]:
        login = self.login
        if not login.email and not login.signup and sign_in_fact(login.user, "has_verified_email"):
            return None, True
        return super().handle()


class AuthenticateStage(AllauthAuthenticateStage):
    def handle(self) -> tuple[HttpResponse | None, bool]:
        if self._should_handle(self.request) and (
            second_factor_route(self.request, self.login) == ROUTE_MFA
        ):
            self.state["authentication_required"] = True
            return headed_redirect_response("mfa_authenticate"), True
        return None, True

    def _should_handle(self, request: HttpRequest) -> bool:
        user = _user(self.login)
        if user is None:
            return False
        known = sign_in_fact(user, "has_app_factor")
        if known is False or (
            known is None
            and not is_mfa_enabled(user, [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN])
        ):
            return False
        return not skips_second_factor(request, user)


class SmsAuthenticateStage(LoginStage):
    key = SMS_STAGE_KEY
    urlname = "second_factor:sms_authenticate"

    def handle(self) -> tuple[HttpResponse | None, bool]:
        user = _user(self.login)
        if user is None:
            return None, True
        if sign_in_fact(user, "has_sms_factor") is False:
            return None, True
        factor = sms_codes.sms_factor_for(user=user)
        if factor is None or skips_second_factor(self.request, user):
            return None, True
        if second_factor_route(self.request, self.login) != ROUTE_SMS:
            return None, True
        self.state["authentication_required"] = True
        if not self.state.get("code_sent"):
            self.state["code_sent"] = True
            try:
                sms_codes.send_sign_in_code(factor=factor)
            except errors.SecondFactorError as exc:
                messages.error(self.request, str(exc))
        return headed_redirect_response(self.urlname), True


class TrustStage(AllauthTrustStage):
    def handle(self) -> tuple[HttpResponse | None, bool]:
        sms_stage = self.controller.get_stage(SMS_STAGE_KEY)
        if (
            mfa_settings.TRUST_ENABLED
            and sms_stage is not None
            and sms_stage.state.get("authentication_required")
            and is_headless_request(self.request) != "app"
        ):
            return headed_redirect_response("mfa_trust"), True
        return super().handle()


SECOND_FACTOR_STAGES = (AuthenticateStage.key, SMS_STAGE_KEY)


@dataclass(frozen=True)
class PendingSecondFactor:
    """A sign-in waiting at one of the two second-factor steps."""

    login: Login
    controller: LoginStageController
    user: User
    route: Route  # the step it waits at
    routes: frozenset[Route]  # the steps the person could take


def routes_for(user: User) -> frozenset[Route]:
    """The second-factor routes ``user`` has set up."""
    routes: set[Route] = set()
    if is_mfa_enabled(user, [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]):
        routes.add(ROUTE_MFA)
    if sms_codes.has_sms_factor(user=user):
        routes.add(ROUTE_SMS)
    return frozenset(routes)


def pending_second_factor(request: HttpRequest) -> PendingSecondFactor | None:
    """The sign-in waiting in this session, if it waits at a second-factor step."""
    if request.user.is_authenticated:
        return None
    login = unstash_login(request, peek=True)
    if login is None:
        return None
    controller = LoginStageController(request, login)
    current = controller.state.get("current")
    if current not in SECOND_FACTOR_STAGES:
        return None
    user = _user(login)
    if user is None or skips_second_factor(request, user):
        return None
    return PendingSecondFactor(
        login=login,
        controller=controller,
        user=user,
        route=ROUTE_SMS if current == SMS_STAGE_KEY else ROUTE_MFA,
        routes=routes_for(user),
    )


def choose_route(request: HttpRequest, route: str) -> HttpResponse | None:
    """Switch the pending sign-in to the other second-factor page.

    Returns the response that continues the sign-in, or None when there is no
    sign-in waiting at a second-factor step, or the person lacks that route.
    """
    pending = pending_second_factor(request)
    if pending is None or route not in pending.routes:
        return None
    pending.login.state[CHOICE_KEY] = route
    for key in SECOND_FACTOR_STAGES:
        pending.controller.state.get(key, {}).pop("handled", None)
    response: HttpResponse = resume_login(request, pending.login)
    return response


def stage_for(request: HttpRequest) -> LoginStage | None:
    """The pending sign-in's text-message stage, if that is where it waits."""
    stage: LoginStage | None = LoginStageController.enter(request, SMS_STAGE_KEY)
    return stage


@dataclass(frozen=True)
class SmsStep:
    """A sign-in waiting for a code by text message, with whose and to which number."""

    stage: LoginStage
    user: User
    factor: SmsSecondFactor


def sms_step(request: HttpRequest) -> SmsStep | None:
    """The pending sign-in's text-message step, if that is where it waits."""
    if request.user.is_authenticated:
        return None
    stage = stage_for(request)
    user = _user(stage.login) if stage is not None else None
    factor = sms_codes.sms_factor_for(user=user) if user is not None else None
    if stage is None or user is None or factor is None:
        return None
    return SmsStep(stage=stage, user=user, factor=factor)


def pass_sms_step(request: HttpRequest, step: SmsStep, *, code: str) -> HttpResponse:
    """Accept ``code`` as the second factor and carry on with the sign-in.

    Raises ``SecondFactorError`` (wrong, expired, too many tries) with the sign-in
    still waiting; otherwise returns the response that continues it.
    """
    sms_codes.verify_sign_in_code(factor=step.factor, code=code, request=request)
    record_authentication(request, step.user, "mfa", type="sms", id=step.factor.pk)
    response: HttpResponse = step.stage.exit()
    return response
