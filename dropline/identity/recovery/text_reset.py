"""A password reset by a code in a text message, to the verified mobile number of each
login the typed identifier names."""

from __future__ import annotations

import logging
import secrets

from dropline.accounts import sealed
from dropline.accounts.models import User
from dropline.identity.recovery.identifiers import as_phone, phone_for, users_for_identifier
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
    base_context,
    decoy_code,
    issue_code,
    language_for,
)
from dropline.identity.tasks import send_reset_code_text
from dropline.notifications.rendering import render

logger = logging.getLogger(__name__)

RESET_CODE_EVENT = "account.password_reset_code"


def _send_code(*, user: User, phone: str, code: str, language: str) -> None:
    """Hand the text to ``tasks.send_reset_code_text``: with a broker, the gateway's
    round trip happens outside this request (see ``request_reset_code``)."""
    rendered = render(
        event=RESET_CODE_EVENT,
        language=language_for(user, language),
        context={**base_context(), "user": user, "code": code, "username": user.username},
    )
    send_reset_code_text.delay(
        user_id=user.pk,
        phone=phone,
        sealed_body=sealed.seal(rendered.sms),
        idempotency_key=f"reset_code:{user.pk}:{secrets.token_hex(8)}",
    )


def request_reset_code(*, identifier: str, ip: str | None, language: str) -> None:
    """Text a reset code to the verified mobile of each login ``identifier`` names.

    Answers the same (returns None) whether or not anything was sent, after the same
    work: one code hashed per login found, or one for none; the text itself is sent by
    a background task. Raises ``ThrottledError`` past the limits for this IP address
    or this identifier.
    """
    check_visible(
        [
            (CODE_REQUESTS_PER_IP, ip or "unknown"),
            (CODE_REQUESTS_PER_INPUT, input_key(identifier)),
        ]
    )
    typed_phone = as_phone(identifier.strip())
    users = users_for_identifier(identifier)
    if not users:
        decoy_code()  # the same work as for a real login
        return
    for user in users:
        # One code made and hashed per login found, whether or not it is sent.
        phone = phone_for(user, typed_phone)
        if phone is None:
            decoy_code()
            continue
        if not allowed_silently([CODE_REQUESTS_PER_ACCOUNT, CODE_REQUESTS_PER_ACCOUNT_DAY], user):
            decoy_code()
            logger.info("password reset code for user %s held back by the account limit", user.pk)
            continue
        code = issue_code(user)
        _send_code(user=user, phone=phone, code=code, language=language)
