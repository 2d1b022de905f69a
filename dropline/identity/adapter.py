"""django-allauth hooks for Dropline."""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import quote

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from dropline.accounts import sign_in_throttle
from dropline.accounts.models import User
from dropline.identity.claiming import on_email_confirmed
from dropline.identity.recovery import email_reset
from dropline.identity.security_events import record as security_events

# allauth's stages that Dropline replaces with its own (``dropline.identity.stages``).
_REPLACED_STAGES = {
    "allauth.account.stages.EmailVerificationStage": [
        "dropline.identity.stages.EmailVerificationStage"
    ],
    "allauth.mfa.stages.AuthenticateStage": [
        "dropline.identity.stages.AuthenticateStage",
        "dropline.identity.stages.SmsAuthenticateStage",
    ],
    "allauth.mfa.stages.TrustStage": ["dropline.identity.stages.TrustStage"],
}


class AccountAdapter(DefaultAccountAdapter):
    # allauth's messages in Dropline's words: what went wrong and what to do next.
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "account_inactive": _("This login is turned off. Contact us and we will help you."),
        "cannot_remove_primary_email": _(
            "This is your primary email address. Make another address primary first."
        ),
        "duplicate_email": _("This email address is already on your login."),
        "email_password_mismatch": _(
            "That email address and password do not match. Check them and try again."
        ),
        "username_password_mismatch": _(
            "That username and password do not match. Check them and try again."
        ),
        "email_taken": _("Another login already uses this email address."),
        "enter_current_password": _("Enter your current password."),
        "incorrect_code": _("That code is not right. Check it and try again."),
        "incorrect_password": _("That password is not right. Check it and try again."),
        "invalid_or_expired_key": _("This link has expired or was already used."),
        "invalid_login": _("We could not sign you in. Check your details and try again."),
        "invalid_password_reset": _("This link has expired or was already used."),
        "max_email_addresses": _("You cannot add more than %d email addresses."),
        "too_many_login_attempts": _(
            "Too many tries. Wait a few minutes, then try again or reset your password."
        ),
        "unverified_primary_email": _("Verify an email address before you make it primary."),
        "select_only_one": _("Choose only one."),
        "same_as_current": _("Enter something different from what you have now."),
        "rate_limited": _("Too many requests. Wait a moment, then try again."),
    }

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Customers get a login by claiming an existing account, never by open sign-up."""
        return False

    def get_login_stages(self) -> list[str]:
        """allauth's stages, with the second factor able to be a text message."""
        stages: list[str] = []
        for path in super().get_login_stages():
            stages.extend(_REPLACED_STAGES.get(path, [path]))
        return stages

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """allauth's failed-sign-in limits and the account's ceiling
        (``sign_in_throttle``), recorded as a lockout when they refuse."""
        login = str(credentials.get("username") or credentials.get("email") or "")
        try:
            super().pre_authenticate(request, **credentials)
            usage = self._login_failed_rl_usage
            if not sign_in_throttle.count_account_attempt(request, login, usage):
                raise self.validation_error("too_many_login_attempts")
        except ValidationError:
            security_events.throttled(request=request, login=login)
            raise

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        """Failed sign-ins pause a login from one address, not from all of them. The
        login alone, not allauth's "host:login": the host name and port a request names
        differ between web nodes reached directly, and anyone may vary the port (Django
        checks ``ALLOWED_HOSTS`` without it), so with the host in it the count could be
        split at will."""
        login = str(credentials.get("email", credentials.get("username", ""))).lower()
        return sign_in_throttle.attempts_key(login, request)

    def _delete_login_attempts_cached_email(self, request: HttpRequest, **credentials: Any) -> None:
        """After a reset, also forget the account's count across addresses."""
        super()._delete_login_attempts_cached_email(request, **credentials)
        login = str(credentials.get("email") or credentials.get("username") or "")
        sign_in_throttle.clear_account_attempts(request, login)

    def get_reauthentication_methods(self, user: Any) -> list[dict[str, Any]]:
        """allauth's ways to confirm it is you, described in Dropline's words."""
        methods: list[dict[str, Any]] = super().get_reauthentication_methods(user)
        for method in methods:
            method["description"] = _REAUTHENTICATION_WORDS.get(method["id"], method["description"])
        return methods

    def confirm_email(self, request: HttpRequest, email_address: EmailAddress) -> bool:
        """A confirmed sign-in email also becomes the person's first notification contact."""
        confirmed = super().confirm_email(request, email_address)
        if confirmed:
            on_email_confirmed(user=email_address.user, email=email_address.email)
        return bool(confirmed)

    # --- password reset by email: Dropline's message, with a code beside the link -----

    def send_password_reset_mail(
        self, user: AbstractBaseUser, email: str, context: dict[str, Any]
    ) -> None:
        """Dropline's reset email (``email_reset.send_reset_email``), for the portal's page
        and allauth's headless endpoint alike."""
        email_reset.send_reset_email(
            user=cast(User, user),
            email=email,
            link=context["password_reset_url"],
            language=_language(),
        )

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """An address with no login gets Dropline's words (no open sign-up to point at),
        after the same work as a real reset email, so the two answers take as long."""
        if template_prefix == email_reset.NO_LOGIN_EMAIL:
            email_reset.send_no_login_email(email=email, language=_language())
            return
        context = {**context, "provider_name": settings.DROPLINE_PROVIDER_NAME}
        super().send_mail(template_prefix, email, context)

    def get_reset_password_from_key_url(self, key: str) -> str:
        """The link on the portal's public address, as every Dropline message has it,
        whatever host the request named."""
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        path = path.replace("UID-KEY", quote(key))
        return settings.DROPLINE_PUBLIC_URL.rstrip("/") + path


_REAUTHENTICATION_WORDS = {
    "reauthenticate": _("Use your password"),
    "reauthenticate_by_code": _("Send me a code by email"),
    "mfa_reauthenticate": _("Use your authenticator app or a recovery code"),
    "mfa_reauthenticate:webauthn": _("Use a passkey or security key"),
}


def _language() -> str:
    return get_language() or settings.LANGUAGE_CODE
