"""A password reset by email: allauth's single-use link and a reset code in one
message, sent through the account adapter so the web page and allauth's headless
endpoint send the same."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from typing import Any

from allauth.account.forms import ResetPasswordForm
from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from dropline.accounts import sealed
from dropline.accounts.models import User
from dropline.core import audit
from dropline.identity.recovery.errors import InvalidAddressError
from dropline.identity.recovery.identifiers import verified_email_owners
from dropline.identity.recovery.limits import (
    CODE_REQUESTS_PER_ACCOUNT,
    CODE_REQUESTS_PER_ACCOUNT_DAY,
    CODE_REQUESTS_PER_INPUT,
    CODE_REQUESTS_PER_IP,
    allowed_silently,
    check_visible,
    input_key,
)
from dropline.identity.recovery.reset_codes import (
    CODE_LIFETIME,
    base_context,
    decoy_code,
    issue_code,
    language_for,
    public_url,
)
from dropline.identity.tasks import send_recovery_email

logger = logging.getLogger(__name__)

# allauth's template names, so whatever sends these emails sends Dropline's words.
RESET_EMAIL = "account/email/password_reset_key"
NO_LOGIN_EMAIL = "account/email/unknown_account"


@dataclass(frozen=True)
class ResetEmail:
    """What goes into a reset email beside allauth's link."""

    code: str | None  # None when the address is not verified on the login
    language: str
    lifetime_minutes: int


def reset_email_minutes() -> int:
    """How long a reset email's link and code both work: the shorter of the two."""
    return int(min(CODE_LIFETIME.total_seconds(), settings.PASSWORD_RESET_TIMEOUT) // 60)


def request_reset_email(*, email: str, request: HttpRequest) -> None:
    """Email a reset link and code to each login that signs in with ``email``.

    allauth finds the logins and sends through the account adapter, so its headless
    endpoint sends the same message; an address with no login gets the adapter's "no
    login uses this address" message after the same work. Raises
    ``InvalidAddressError`` for something that is not an email address and
    ``ThrottledError`` past the visible limits, which a text-message request counts
    against too.
    """
    form = ResetPasswordForm(data={"email": email})
    if not form.is_valid():
        raise InvalidAddressError(_("Enter a valid email address, such as maria@example.com."))
    check_visible(
        [
            (CODE_REQUESTS_PER_IP, audit.client_ip(request) or "unknown"),
            (CODE_REQUESTS_PER_INPUT, input_key(form.cleaned_data["email"])),
        ]
    )
    form.save(request)


def send_reset_email(*, user: User, email: str, link: str, language: str) -> None:
    """Dropline's reset email to ``user`` at ``email``: allauth's single-use ``link``,
    a code, the username, how long they work and what to do if it was not them.

    Past the account's silent limit nothing is sent. Sent now, not through the outbox,
    so the link and the code never rest in the message log; a mail server that fails
    is logged for staff, never shown: the visitor's answer is the same either way.
    """
    prepared = _prepare_reset_email(user=user, email=email, language=language)
    if prepared is None:
        return
    context = {
        **base_context(),
        "username": user.username,
        "password_reset_url": link,
        "code": prepared.code,
        "lifetime_minutes": prepared.lifetime_minutes,
    }
    _send_email(template=RESET_EMAIL, to=email, language=prepared.language, context=context)


def send_no_login_email(*, email: str, language: str) -> None:
    """What an address with no login gets when someone asks to reset its password (or
    otherwise names it to allauth), after the hashing a real reset email costs."""
    decoy_code()
    context = {
        **base_context(),
        "email": email,
        "claim_url": public_url(reverse("accounts_portal:claim")),
    }
    _send_email(template=NO_LOGIN_EMAIL, to=email, language=language, context=context)


def _send_email(*, template: str, to: str, language: str, context: dict[str, Any]) -> None:
    """Render now; ``tasks.send_recovery_email`` sends it (with a broker, outside this
    request)."""
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}_message.txt", context).strip()
        html = render_to_string(f"{template}_message.html", context).strip()
    send_recovery_email.delay(
        to=to,
        subject=subject,
        sealed_text=sealed.seal(text),
        sealed_html=sealed.seal(html),
        message_id=f"<recovery.{secrets.token_hex(12)}@dropline>",
        kind=template.rsplit("/", 1)[-1],
    )


def _prepare_reset_email(*, user: User, email: str, language: str) -> ResetEmail | None:
    """The code for a reset email; None when the account's silent limit holds it back.

    The code replaces any live one, and goes only to an address verified on the
    login, because the code page finds logins by verified addresses only.
    """
    # One code made and hashed on every path: the same work as for an address with no login.
    if not allowed_silently([CODE_REQUESTS_PER_ACCOUNT, CODE_REQUESTS_PER_ACCOUNT_DAY], user):
        decoy_code()
        logger.info("password reset email for user %s held back by the account limit", user.pk)
        return None
    verified = User.objects.filter(verified_email_owners(email), pk=user.pk).exists()
    code = issue_code(user) if verified else None
    if code is None:
        decoy_code()
    return ResetEmail(
        code=code,
        language=language_for(user, language),
        lifetime_minutes=reset_email_minutes(),
    )
